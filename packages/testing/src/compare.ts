import type { Tolerance } from '@implicit-bias/core';
import type { HostArray } from './reference.js';

/** The worst entry of a comparison, as reported by {@link worstMismatch}. */
export interface Mismatch {
  /** Flat row-major index of the worst entry. */
  readonly index: number;
  readonly actual: number;
  readonly expected: number;
  /** `|actual − expected| / (atol + rtol·max(|expected|, scale))`; above 1 is a violation. */
  readonly ratio: number;
}

/**
 * The entry whose error most exceeds `atol + rtol·max(|expected_i|, scale_i)`, or undefined
 * when every entry is within tolerance. `scale` carries the size of the terms that produced
 * each entry (for example `|A|·|B|` for a product), so cancellation does not demand more
 * accuracy than the precision allows. Non-finite values must match exactly.
 */
export function worstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  scale?: ArrayLike<number>,
): Mismatch | undefined {
  let worst: Mismatch | undefined;
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    if (Object.is(a, e) || (a === 0 && e === 0)) continue;
    const s = Math.max(Math.abs(e), Math.abs(scale?.[i] ?? 0));
    const raw = Math.abs(a - e) / (tol.atol + tol.rtol * s);
    const ratio = Number.isNaN(raw) || !Number.isFinite(a) || !Number.isFinite(e) ? Infinity : raw;
    if (ratio > 1 && (worst === undefined || ratio > worst.ratio)) {
      worst = { index: i, actual: a, expected: e, ratio };
    }
  }
  return worst;
}

/**
 * Throw an Error that names `label` unless `actual` has the expected shape and entries
 * within tolerance (see {@link worstMismatch}).
 */
export function assertClose(
  label: string,
  actual: HostArray,
  expected: HostArray,
  tol: Tolerance,
  scale?: ArrayLike<number>,
): void {
  const sa = JSON.stringify(actual.shape);
  const se = JSON.stringify(expected.shape);
  if (sa !== se) throw new Error(`${label}: shape ${sa}, expected ${se}`);
  const m = worstMismatch(actual.data, expected.data, tol, scale);
  if (m !== undefined) {
    throw new Error(
      `${label}: entry ${m.index} is ${m.actual}, expected ${m.expected} ` +
        `(error ${m.ratio.toPrecision(3)}× the tolerance rtol=${tol.rtol.toExponential(2)}, ` +
        `atol=${tol.atol.toExponential(2)})`,
    );
  }
}

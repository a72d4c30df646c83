/** Floating-point precision of a backend. */
export type Precision = 'float64' | 'float32';

/** Machine epsilon of each precision. */
export const EPSILON: Readonly<Record<Precision, number>> = {
  float64: 2.220446049250313e-16,
  float32: 1.1920928955078125e-7,
};

/** A relative and absolute tolerance pair: `|a − b| ≤ atol + rtol·|b|`. */
export interface Tolerance {
  /** Relative tolerance, a multiple of the precision's machine epsilon. */
  readonly rtol: number;
  /** Absolute tolerance, for values near zero. */
  readonly atol: number;
}

/**
 * Tolerance for comparing results of `ops` chained floating-point operations (a rough
 * count of how many roundings separate the two numbers) in the given precision.
 * The bound is `ops · ε · safety` with a safety factor of 8, floored at 4ε.
 */
export function tolerance(precision: Precision, ops = 16): Tolerance {
  const eps = EPSILON[precision];
  const rtol = Math.max(4 * eps, 8 * ops * eps);
  return { rtol, atol: rtol };
}

/** True when `|a − b| ≤ atol + rtol·|b|`. */
export function isClose(a: number, b: number, tol: Tolerance): boolean {
  return Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b);
}

/**
 * Largest violation ratio `|a_i − b_i| / (atol + rtol·|b_i|)` over two arrays; ≤ 1 means close.
 * Non-finite mismatches give Infinity.
 */
export function maxViolation(a: ArrayLike<number>, b: ArrayLike<number>, tol: Tolerance): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Object.is(x, y)) continue;
    const r = Math.abs(x - y) / (tol.atol + tol.rtol * Math.abs(y));
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : r;
  }
  return worst;
}

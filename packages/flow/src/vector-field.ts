import type { VectorField } from '@implicit-bias/core';

// The field type lives in core (theory's reduced flow implements it without importing flow).
export type { VectorField };

/** Each run of `runs` repeated `times` times (the runs of rows stacked `times` per row). */
export function repeatRuns(
  runs: readonly number[] | undefined,
  picks: readonly number[],
  times: number,
): number[] | undefined {
  if (runs === undefined) return undefined;
  const out: number[] = [];
  for (const p of picks) for (let t = 0; t < times; t++) out.push(runs[p]!);
  return out;
}

/**
 * `out = y + Σ_j c_j k_j` row by row, with per-row step `h[r]` multiplying every `c_j`; into
 * `into` when given (as long as `y`, not aliasing any input), else into a fresh array.
 */
export function combine(
  dim: number,
  rows: number,
  y: Float64Array,
  h: Float64Array,
  terms: readonly (readonly [number, Float64Array])[],
  into?: Float64Array,
): Float64Array {
  if (terms.length === 1) return combine1(dim, rows, y, h, terms[0]![0], terms[0]![1], into);
  const out = into === undefined ? new Float64Array(y) : (into.set(y), into);
  for (let r = 0; r < rows; r++) {
    const hr = h[r]!;
    const off = r * dim;
    for (const [c, k] of terms) {
      if (c === 0) continue;
      const hc = hr * c;
      for (let i = off; i < off + dim; i++) out[i] = out[i]! + hc * k[i]!;
    }
  }
  return out;
}

/** {@link combine} with one term: `out = y + (h[r]·c)·k` in one pass (the same roundings). */
function combine1(
  dim: number,
  rows: number,
  y: Float64Array,
  h: Float64Array,
  c: number,
  k: Float64Array,
  into?: Float64Array,
): Float64Array {
  if (c === 0) return into === undefined ? new Float64Array(y) : (into.set(y), into);
  const out = into ?? new Float64Array(y.length);
  for (let r = 0; r < rows; r++) {
    const hc = h[r]! * c;
    const end = (r + 1) * dim;
    for (let i = r * dim; i < end; i++) out[i] = y[i]! + hc * k[i]!;
  }
  // entries past the rows (none when y holds exactly `rows` rows) stay as in y
  for (let i = rows * dim; i < y.length; i++) out[i] = y[i]!;
  return out;
}

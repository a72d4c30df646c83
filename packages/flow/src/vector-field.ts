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

/** `out = y + Σ_j c_j k_j` row by row, with per-row step `h[r]` multiplying every `c_j`. */
export function combine(
  dim: number,
  rows: number,
  y: Float64Array,
  h: Float64Array,
  terms: readonly (readonly [number, Float64Array])[],
): Float64Array {
  const out = new Float64Array(y);
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

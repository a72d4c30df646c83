/**
 * An autonomous vector field `dy/dt = F(y)` evaluated for a batch of independent rows.
 *
 * `y` holds `rows` states of length `dim` back to back (row-major `[rows, dim]`); the result has
 * the same layout. Rows never interact, so a row's result must not depend on the other rows:
 * this is what lets batched runs reproduce sequential ones bit for bit.
 */
export interface VectorField {
  /** Length of one state. */
  readonly dim: number;
  /**
   * `F` applied to every row of `y` (`[rows, dim]`), returning a new `[rows, dim]` array.
   * `runs[i]`, when given, is the run that row i belongs to: a field whose runs differ (one data
   * set per run) evaluates each row with its run's data; other fields ignore it.
   */
  evaluate(y: Float64Array, rows: number, runs?: readonly number[]): Float64Array;
  /**
   * Optional exact Jacobians `∂F/∂y` of every row, row-major `[rows, dim, dim]` (`runs` as in
   * `evaluate`); steppers that need a Jacobian fall back to central differences of `evaluate`
   * without it.
   */
  jacobian?(y: Float64Array, rows: number, runs?: readonly number[]): Float64Array;
}

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

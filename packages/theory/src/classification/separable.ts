import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { solveDense } from '../solvers/highs.js';

/** Result of {@link checkSeparable}. */
export interface SeparabilityResult {
  /** True when some w has `y_i z_iᵀw > 0` for every i (strictly, beyond rounding). */
  readonly separable: boolean;
  /** Best achievable margin `max t s.t. y_i z_iᵀw ≥ t, ‖w‖_∞ ≤ 1` (≤ 0 when not separable). */
  readonly margin: number;
  /** A maximizer w. */
  readonly w: Float64Array;
}

/**
 * Linear separability through the origin, by the LP `max t s.t. y_i z_iᵀw ≥ t, −1 ≤ w ≤ 1`
 * (HiGHS). Separable when the optimal t exceeds `1e−10 · max_i ‖z_i‖₁`.
 */
export async function checkSeparable(
  Z: HostMatrix,
  y: ArrayLike<number>,
): Promise<SeparabilityResult> {
  checkMatrix(Z, 'Z');
  checkLabels(y, Z.rows);
  const n = Z.rows;
  const m = Z.cols;
  const rows = new Float64Array(n * (m + 1));
  let scale = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      rows[i * (m + 1) + j] = y[i]! * Z.data[i * m + j]!;
      s += Math.abs(Z.data[i * m + j]!);
    }
    rows[i * (m + 1) + m] = -1;
    scale = Math.max(scale, s);
  }
  const cost = new Float64Array(m + 1);
  cost[m] = -1;
  const sol = await solveDense({
    numCols: m + 1,
    cost,
    colLower: [...new Array<number>(m).fill(-1), -Infinity],
    colUpper: [...new Array<number>(m).fill(1), Infinity],
    numRows: n,
    rows,
    rowLower: new Float64Array(n),
    rowUpper: new Float64Array(n).fill(Infinity),
  });
  const w = sol.x.slice(0, m);
  let t = Infinity;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += rows[i * (m + 1) + j]! * w[j]!;
    t = Math.min(t, s);
  }
  return { separable: t > 1e-10 * scale, margin: t, w };
}

/**
 * Throw `NOT_SEPARABLE` (with the best achievable margin in `data.bestMargin`) unless separable.
 * @internal
 */
export async function assertSeparable(
  Z: HostMatrix,
  y: ArrayLike<number>,
  problem: string,
  field: string,
): Promise<void> {
  const r = await checkSeparable(Z, y);
  if (!r.separable) {
    throw new ImplicitBiasError(
      'NOT_SEPARABLE',
      `${problem}: the data are not linearly separable through the origin (best margin ${r.margin.toExponential(3)} with ‖w‖_∞ ≤ 1), so no max-margin solution exists; gradient flow on exponential loss then does not converge in direction`,
      { path: field, data: { bestMargin: r.margin } },
    );
  }
}

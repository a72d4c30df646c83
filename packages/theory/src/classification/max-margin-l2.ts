import { norm2 } from '@implicit-bias/core';
import { checkLabels, checkMatrix } from '../linalg/validate.js';
import {
  choleskySolve,
  cholesky,
  leastSquares,
  matTVec,
  matVec,
  weightedGram,
} from '../linalg/dense.js';
import { nnls } from '../certificates/nnls.js';
import { solveDense } from '../solvers/highs.js';
import { assertSeparable } from './separable.js';
import { designOf } from './types.js';
import type { AnyClassificationProblem, MaxMarginPrediction } from './types.js';

/** Result of {@link maxMarginL2}. */
export interface MaxMarginL2Result extends MaxMarginPrediction {
  readonly kind: 'max-margin-l2';
  readonly beta: Float64Array;
  /** Multipliers μ ≥ 0 (one per sample): `β = Σ μ_i y_i x_i`, non-zero on support vectors. */
  readonly dual: Float64Array;
}

/**
 * ℓ2 max-margin direction through the origin (hard-margin SVM without bias):
 * `min ½‖w‖² s.t. y_i x_iᵀw ≥ 1`, the limit direction for L = 1 (Soudry et al. 2018) and for
 * fully-connected networks of any depth (Ji & Telgarsky 2019; Yun et al. Theorem 1).
 *
 * Solved by the HiGHS QP solver, then polished on its active set A (rows `z_i = y_i x_i`):
 * `Z_A w = 1` solved exactly, multipliers μ ≥ 0 with `w = Z_Aᵀμ` by NNLS, kept when every margin
 * is ≥ 1 and the residuals are at rounding level. Certificates:
 * relative duality gap `(½‖w‖² − (Σμ − ½‖Σμ_i z_i‖²))/(½‖w‖²)`, stationarity `‖w − Σμ_i z_i‖/‖w‖`
 * and primal infeasibility `max(0, 1 − min margin)`. Throws `NOT_SEPARABLE` with the best margin.
 * Takes `{ X, y }` or, for the same problem on transformed data, `{ Z, y }`.
 */
export async function maxMarginL2(problem: AnyClassificationProblem): Promise<MaxMarginL2Result> {
  const { M: X, field } = designOf(problem);
  const { y } = problem;
  checkMatrix(X, field);
  checkLabels(y, X.rows);
  const n = X.rows;
  const d = X.cols;
  const Zy = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) Zy[i * d + j] = y[i]! * X.data[i * d + j]!;
  const Z = { rows: n, cols: d, data: Zy };
  await assertSeparable(Z, new Float64Array(n).fill(1), 'ℓ2 max margin', field);
  const sol = await solveDense({
    numCols: d,
    cost: new Float64Array(d),
    colLower: new Float64Array(d).fill(-Infinity),
    colUpper: new Float64Array(d).fill(Infinity),
    numRows: n,
    rows: Zy,
    rowLower: new Float64Array(n).fill(1),
    rowUpper: new Float64Array(n).fill(Infinity),
    hessianDiag: new Float64Array(d).fill(1),
  });
  let w: Float64Array = sol.x;
  let mu: Float64Array = sol.rowDual.map((v) => Math.max(0, v));
  // polish on the active set
  const margins = matVec(Z, w);
  const active: number[] = [];
  margins.forEach((v, i) => {
    if (v <= 1 + 1e-6) active.push(i);
  });
  if (active.length > 0) {
    const polished = polishOnActiveSet(Zy, n, d, active);
    if (polished !== null) {
      w = polished.w;
      mu = polished.mu;
    }
  }
  const wNorm = norm2(w);
  const zmu = new Float64Array(d);
  let muSum = 0;
  for (let i = 0; i < n; i++) {
    muSum += mu[i]!;
    for (let j = 0; j < d; j++) zmu[j]! += mu[i]! * Zy[i * d + j]!;
  }
  const primal = 0.5 * wNorm * wNorm;
  const dualObj = muSum - 0.5 * norm2(zmu) ** 2;
  let minMargin = Infinity;
  for (const v of matVec(Z, w)) minMargin = Math.min(minMargin, v);
  const diff = w.map((v, j) => v - zmu[j]!);
  return {
    kind: 'max-margin-l2',
    beta: w,
    direction: w.map((v) => v / wNorm),
    objective: wNorm,
    margin: 1 / wNorm,
    exact: true,
    reference:
      'hard-margin SVM: L = 1 (Soudry et al. 2018), fully connected any depth (Ji & Telgarsky 2019; Yun, Krishnan & Mobahi, ICLR 2021, Theorem 1)',
    certificate: {
      dualityGap: Math.abs(primal - dualObj) / primal,
      stationarity: norm2(diff) / wNorm,
      primalInfeasibility: Math.max(0, 1 - minMargin),
    },
    status: sol.status === 'optimal' ? 'converged' : 'stalled',
    dual: mu,
  };
}

/**
 * Exact solution on an active set A: `w` solves `Z_A w = 1` in the least-squares sense (QR; a
 * consistent system when A is the true active set, also when |A| > d) projected onto the row
 * space of `Z_A` (minimum norm when |A| < d), and `μ ≥ 0` from the NNLS `min ‖Z_Aᵀμ − w‖`. Kept
 * only when w satisfies every margin and the residuals are at rounding level.
 */
function polishOnActiveSet(
  Zy: Float64Array,
  n: number,
  d: number,
  active: number[],
): { w: Float64Array; mu: Float64Array } | null {
  const k = active.length;
  const ZA = new Float64Array(k * d);
  active.forEach((i, a) => ZA.set(Zy.subarray(i * d, (i + 1) * d), a * d));
  let w: Float64Array | null;
  if (k <= d) {
    const R = cholesky(weightedGram({ rows: k, cols: d, data: ZA }), k);
    if (R === null) return null;
    const nu = choleskySolve(R, k, new Float64Array(k).fill(1));
    w = matTVec({ rows: k, cols: d, data: ZA }, nu);
  } else {
    w = leastSquares(ZA, k, d, new Float64Array(k).fill(1));
  }
  if (w === null) return null;
  // μ ≥ 0 with Z_Aᵀμ = w: NNLS on the d×k system
  const B = new Float64Array(d * k);
  for (let a = 0; a < k; a++) for (let j = 0; j < d; j++) B[j * k + a] = ZA[a * d + j]!;
  const sol = nnls(B, d, k, w);
  const wNorm = norm2(w);
  if (!(sol.residualNorm <= 1e-12 * wNorm)) return null;
  if (!matVec({ rows: n, cols: d, data: Zy }, w).every((v) => v >= 1 - 1e-12)) return null;
  const mu = new Float64Array(n);
  active.forEach((i, a) => (mu[i] = sol.x[a]!));
  return { w, mu };
}

import { norm2 } from '@implicit-bias/core';
import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { choleskySolve, cholesky, matVec, weightedGram } from '../linalg/dense.js';
import { solveDense } from '../solvers/highs.js';
import { assertSeparable } from './separable.js';
import type { ClassificationProblem, MaxMarginPrediction } from './types.js';

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
 * Solved by the HiGHS QP solver, then polished on its active set A: `w = Z_Aᵀ(Z_A Z_Aᵀ)^{−1}1`
 * (rows `z_i = y_i x_i`), kept when its multipliers are ≥ 0 and every margin is ≥ 1. Certificates:
 * relative duality gap `(½‖w‖² − (Σμ − ½‖Σμ_i z_i‖²))/(½‖w‖²)`, stationarity `‖w − Σμ_i z_i‖/‖w‖`
 * and primal infeasibility `max(0, 1 − min margin)`. Throws `NOT_SEPARABLE` with the best margin.
 */
export async function maxMarginL2(problem: ClassificationProblem): Promise<MaxMarginL2Result> {
  const { X, y } = problem;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  const n = X.rows;
  const d = X.cols;
  const Zy = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) Zy[i * d + j] = y[i]! * X.data[i * d + j]!;
  const Z = { rows: n, cols: d, data: Zy };
  await assertSeparable(Z, new Float64Array(n).fill(1), 'ℓ2 max margin', 'X');
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
  if (active.length > 0 && active.length <= d) {
    const ZA = { rows: active.length, cols: d, data: new Float64Array(active.length * d) };
    active.forEach((i, a) => ZA.data.set(Zy.subarray(i * d, (i + 1) * d), a * d));
    const R = cholesky(weightedGram(ZA), active.length);
    if (R !== null) {
      const muA = choleskySolve(R, active.length, new Float64Array(active.length).fill(1));
      const wP = new Float64Array(d);
      active.forEach((i, a) => {
        for (let j = 0; j < d; j++) wP[j]! += muA[a]! * Zy[i * d + j]!;
      });
      const feasible = matVec(Z, wP).every((v) => v >= 1 - 1e-12);
      if (feasible && muA.every((v) => v >= -1e-12)) {
        w = wP;
        mu = new Float64Array(n);
        active.forEach((i, a) => (mu[i] = Math.max(0, muA[a]!)));
      }
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

import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { weightedL1MarginLp } from './weighted-l1-margin-lp.js';
import { assertSeparable } from './separable.js';
import { designOf } from './types.js';
import type { AnyClassificationProblem, MaxMarginPrediction } from './types.js';

/** Result of {@link maxMarginL1}. */
export interface MaxMarginL1Result extends MaxMarginPrediction {
  readonly kind: 'max-margin-l1';
  readonly rho: Float64Array;
  /** Multipliers μ ≥ 0 (one per sample) of the margin constraints. */
  readonly dual: Float64Array;
}

/**
 * ℓ1 max-margin in the transformed space, `min ‖ρ‖₁ s.t. y_i z_iᵀρ ≥ 1` (Z = X Sᵀ real): the
 * L = 2 odeco limit (Yun et al. Theorem 2; diagonal networks: Gunasekar et al. 2018).
 *
 * An LP solved by HiGHS with `ρ = p − q`, `p, q ≥ 0`; a vertex with as many non-zeros as active
 * constraints is polished by solving the square system exactly. Certificates from the
 * multipliers μ: the certified lower bound `Σμ / max(1, ‖Σ μ_i y_i z_i‖_∞)` (weak duality) gives
 * the relative `dualityGap`; `dualInfeasibility = max(0, ‖Σ μ_i y_i z_i‖_∞ − 1)`.
 * Throws `NOT_SEPARABLE` with the best margin. Takes `{ Z, y }`, or `{ X, y }` when S = I
 * (diagonal networks: Z = X).
 */
export async function maxMarginL1(problem: AnyClassificationProblem): Promise<MaxMarginL1Result> {
  const { M: Z, field } = designOf(problem);
  const { y } = problem;
  checkMatrix(Z, field);
  checkLabels(y, Z.rows);
  await assertSeparable(Z, y, 'ℓ1 max margin', field);
  const n = Z.rows;
  const m = Z.cols;
  const Zy = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) Zy[i * m + j] = y[i]! * Z.data[i * m + j]!;
  const ZyM = { rows: n, cols: m, data: Zy };
  const sol = await weightedL1MarginLp(Zy, n, m, new Float64Array(m).fill(1));
  const { rho, mu } = sol;
  let l1 = 0;
  let l2 = 0;
  for (const v of rho) {
    l1 += Math.abs(v);
    l2 += v * v;
  }
  l2 = Math.sqrt(l2);
  const g = matTVec(ZyM, mu);
  let gInf = 0;
  for (const v of g) gInf = Math.max(gInf, Math.abs(v));
  let muSum = 0;
  for (const v of mu) muSum += v;
  const lower = muSum / Math.max(1, gInf);
  let minMargin = Infinity;
  for (const v of matVec(ZyM, rho)) minMargin = Math.min(minMargin, v);
  return {
    kind: 'max-margin-l1',
    rho,
    direction: rho.map((v) => v / l2),
    objective: l1,
    margin: 1 / l1,
    exact: true,
    reference:
      'ℓ1 max margin: L = 2 odeco networks (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2; Gunasekar et al. 2018)',
    certificate: {
      dualityGap: Math.max(0, l1 - lower) / l1,
      dualInfeasibility: Math.max(0, gInf - 1),
      primalInfeasibility: Math.max(0, 1 - minMargin),
    },
    status: sol.optimal ? 'converged' : 'stalled',
    dual: mu,
  };
}

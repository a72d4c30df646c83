import { norm2 } from '@implicit-bias/core';
import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { groupL1Margin } from './group-l1-margin.js';
import { assertSeparable } from './separable.js';
import { realFourier } from './real-fourier.js';
import type { ClassificationProblem, MaxMarginPrediction } from './types.js';

/** Result of {@link maxMarginFourierL1}. */
export interface MaxMarginFourierL1Result extends MaxMarginPrediction {
  readonly kind: 'max-margin-fourier-l1';
  readonly beta: Float64Array;
  /** Multipliers μ ≥ 0 of the margin constraints (the dual certificate). */
  readonly dual: Float64Array;
  /** Cutting-plane LPs solved. */
  readonly iterations: number;
}

/**
 * Fourier-ℓ1 max margin `min Σ_k |(Fβ)_k| s.t. y_i x_iᵀβ ≥ 1` (F the unitary DFT): the L = 2 limit
 * of full-width circular convolutional networks (Gunasekar et al. 2018; Yun et al. Theorem 2).
 *
 * A second-order cone program. β real makes Fβ conjugate-symmetric, so in the orthogonal real
 * Fourier coordinates `γ = Rβ` the objective is `Σ_g w_g‖γ_g‖` over one- and two-dimensional
 * groups. Method: (1) Kelley cutting planes: LPs (HiGHS) in `(γ, t)` with `t_g ≥ ⟨(cos φ, sin φ), γ_g⟩`
 * for a growing set of angles (8 to start, plus the angle of the current γ_g when
 * `‖γ_g‖ > t_g`), each a valid lower bound; (2) Newton's method on the KKT system of the identified
 * structure (non-zero groups P, active samples A): `w_g γ_g/‖γ_g‖ = Σ_{i∈A} μ_i y_i (R x_i)_g` on P,
 * `y_i (R x_i)ᵀγ = 1` on A; (3) an independent certificate: with `u_g = (Σ μ_i y_i R x_i)_g / w_g`,
 * `Σμ / max(1, max_g‖u_g‖)` is a lower bound by weak duality, and `certificate.dualityGap` is the
 * relative gap to the returned objective. Throws `NOT_SEPARABLE` with the best margin.
 */
export async function maxMarginFourierL1(
  problem: ClassificationProblem,
): Promise<MaxMarginFourierL1Result> {
  const { X, y } = problem;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  await assertSeparable(X, y, 'Fourier-ℓ1 max margin', 'X');
  const n = X.rows;
  const d = X.cols;
  const { R, groups, weights } = realFourier(d);
  // Zt: rows y_i (R x_i)ᵀ
  const Zt = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const rx = matVec({ rows: d, cols: d, data: R }, X.data.subarray(i * d, (i + 1) * d));
    for (let k = 0; k < d; k++) Zt[i * d + k] = y[i]! * rx[k]!;
  }
  const ZtM = { rows: n, cols: d, data: Zt };
  const sol = await groupL1Margin(ZtM, groups, weights);
  const { gamma, mu, newtonResidual } = sol;
  const objective = sol.objective;
  const beta = matTVec({ rows: d, cols: d, data: R }, gamma);
  let minMargin = Infinity;
  for (const v of matVec(ZtM, gamma)) minMargin = Math.min(minMargin, v);
  const gap = sol.gap;
  const nb = norm2(beta);
  return {
    kind: 'max-margin-fourier-l1',
    beta,
    direction: beta.map((v) => v / nb),
    objective,
    margin: 1 / objective,
    exact: true,
    reference:
      'Fourier-ℓ1 max margin: L = 2 full-width circular convolution (Gunasekar et al. 2018; Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2)',
    certificate: {
      dualityGap: gap,
      primalInfeasibility: Math.max(0, 1 - minMargin),
      kktNewtonResidual: newtonResidual,
    },
    status: gap <= 1e-9 && minMargin >= 1 - 1e-12 ? 'converged' : 'stalled',
    dual: mu,
    iterations: sol.iterations,
  };
}

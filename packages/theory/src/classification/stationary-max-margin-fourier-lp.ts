import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { assertDepth } from '../scalar/depth.js';
import { kktResidualFourier } from '../certificates/kkt-residual-fourier.js';
import { assertSeparable } from './separable.js';
import { realFourier } from './real-fourier.js';
import { groupL1Margin } from './group-l1-margin.js';
import type { ClassificationProblem, MaxMarginPrediction } from './types.js';

/** Input of {@link stationaryMaxMarginFourierLp}. */
export interface StationaryFourierLpProblem extends ClassificationProblem {
  /** Depth L ≥ 3 (use maxMarginL2 / maxMarginFourierL1 for L = 1, 2). */
  readonly L: number;
  /** Start direction β₀ (for example a trained end-to-end vector); it must separate the data. */
  readonly start: ArrayLike<number>;
  /** Outer iteration limit (default 60). */
  readonly maxIterations?: number;
}

/** Result of {@link stationaryMaxMarginFourierLp}. */
export interface StationaryFourierLpResult extends MaxMarginPrediction {
  readonly kind: 'stationary-max-margin-fourier-lp';
  readonly beta: Float64Array;
  /** Reweighted group-ℓ1 cone programs solved. */
  readonly iterations: number;
}

/**
 * A KKT point of `min Σ_k |(Fβ)_k|^{2/L} s.t. y_i x_iᵀβ ≥ 1` for full-width convolutional networks
 * with L ≥ 3 (Yun et al. Theorem 2 with moduli; only stationarity is claimed), by the same
 * majorize–minimize scheme as {@link stationaryMaxMarginLp} on frequency groups: in real Fourier
 * coordinates `γ = Rβ`, with `r_g = |(Fβ)_k|` (`‖γ_g‖/√2` for a conjugate pair, counted twice),
 * each step solves the weighted group-ℓ1 cone program `min Σ_g W_g‖γ_g‖` with
 * `W_g = m_g p (r_g + ε)^{p−1}/s_g` (p = 2/L, multiplicity m_g, scale s_g ∈ {1, √2}) while ε shrinks
 * tenfold per step. `certificate.kktResidual` is the independent {@link kktResidualFourier}.
 */
export async function stationaryMaxMarginFourierLp(
  problem: StationaryFourierLpProblem,
): Promise<StationaryFourierLpResult> {
  const { X, y, L } = problem;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  assertDepth(L);
  if (L < 3) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `L = ${L} is convex: use maxMarginL2 (L = 1) or maxMarginFourierL1 (L = 2)`,
      { path: 'L' },
    );
  }
  checkVector(problem.start, X.cols, 'start');
  await assertSeparable(X, y, `Fourier ℓ_{2/${L}} max margin`, 'X');
  const n = X.rows;
  const d = X.cols;
  const { R, groups } = realFourier(d);
  const Rm = { rows: d, cols: d, data: R };
  const Zt = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const rx = matVec(Rm, X.data.subarray(i * d, (i + 1) * d));
    for (let k = 0; k < d; k++) Zt[i * d + k] = y[i]! * rx[k]!;
  }
  const ZtM = { rows: n, cols: d, data: Zt };
  let gamma: Float64Array = matVec(Rm, problem.start);
  let m0 = Infinity;
  for (const v of matVec(ZtM, gamma)) m0 = Math.min(m0, v);
  if (!(m0 > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `the start direction does not separate the data (smallest margin ${m0.toExponential(3)})`,
      { path: 'start' },
    );
  }
  gamma = gamma.map((v) => v / m0);
  const p = 2 / L;
  const mult = groups.map(([, size]) => (size === 2 ? 2 : 1));
  const scl = groups.map(([, size]) => (size === 2 ? Math.SQRT2 : 1));
  const moduli = (g: Float64Array): number[] =>
    groups.map(([s, size], k) => Math.hypot(g[s]!, size === 2 ? g[s + 1]! : 0) / scl[k]!);
  let eps = 0.1 * Math.max(...moduli(gamma));
  const maxIt = problem.maxIterations ?? 60;
  let it = 0;
  let converged = false;
  for (; it < maxIt; it++) {
    const r = moduli(gamma);
    const top = Math.max(...r);
    const W = Float64Array.from(
      groups,
      (_, k) => (mult[k]! * p * Math.pow((r[k]! + eps) / top, p - 1)) / scl[k]!,
    );
    const sol = await groupL1Margin(ZtM, groups, W);
    let diff = 0;
    for (let j = 0; j < d; j++) diff = Math.max(diff, Math.abs(sol.gamma[j]! - gamma[j]!));
    gamma = sol.gamma;
    const floor = 1e-12 * Math.max(...moduli(gamma));
    if (diff <= 1e-13 * Math.max(...moduli(gamma)) && eps <= floor) {
      converged = true;
      break;
    }
    eps = Math.max(eps / 10, floor);
  }
  const beta = matTVec(Rm, gamma);
  const kkt = kktResidualFourier({ X, y, beta, L });
  const r = moduli(gamma);
  const objective = Math.pow(
    r.reduce((acc, v, k) => acc + mult[k]! * Math.pow(v, p), 0),
    1 / p,
  );
  let minMargin = Infinity;
  for (const v of matVec(ZtM, gamma)) minMargin = Math.min(minMargin, v);
  const nb = norm2(beta);
  return {
    kind: 'stationary-max-margin-fourier-lp',
    beta,
    direction: beta.map((v) => v / nb),
    objective,
    margin: 1 / objective,
    exact: false,
    reference: `stationary point of min ‖Fβ‖_{2/${L}} s.t. margins ≥ 1: full-width convolution, L ≥ 3 (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2; Gunasekar et al. 2018)`,
    certificate: { kktResidual: kkt.residual, primalInfeasibility: Math.max(0, 1 - minMargin) },
    status: converged ? 'converged' : 'max-steps',
    iterations: it + 1,
  };
}

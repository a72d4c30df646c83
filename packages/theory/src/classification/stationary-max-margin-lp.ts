import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matVec } from '../linalg/dense.js';
import { assertDepth } from '../scalar/depth.js';
import { kktResidual } from '../certificates/kkt-residual.js';
import { assertSeparable } from './separable.js';
import { weightedL1MarginLp } from './weighted-l1-margin-lp.js';
import type { MaxMarginPrediction, TransformedClassificationProblem } from './types.js';

/** Input of {@link stationaryMaxMarginLp}. */
export interface StationaryLpProblem extends TransformedClassificationProblem {
  /** Depth L ≥ 3 (the quasi-norm ‖ρ‖_{2/L}); use maxMarginL2 / maxMarginL1 for L = 1, 2. */
  readonly L: number;
  /** Start direction ρ₀ (for example a trained direction); it must separate the data. */
  readonly start: ArrayLike<number>;
  /** Outer iteration limit (default 100). */
  readonly maxIterations?: number;
}

/** Result of {@link stationaryMaxMarginLp}. */
export interface StationaryLpResult extends MaxMarginPrediction {
  readonly kind: 'stationary-max-margin-lp';
  readonly rho: Float64Array;
  /** Reweighted-ℓ1 linear programs solved. */
  readonly iterations: number;
}

/**
 * A first-order stationary (KKT) point of the non-convex `min ‖ρ‖_{2/L} s.t. y_i z_iᵀρ ≥ 1`
 * for L ≥ 3 (Yun et al. Theorem 2 claims only stationarity), found by a local method from ρ₀:
 * iteratively reweighted ℓ1 (Candès, Wakin & Boyd 2008), a majorize–minimize scheme for
 * `Σ_j (|ρ_j| + ε)^p` (p = 2/L): each step solves the LP `min Σ_j w_j|ρ_j|` with
 * `w_j = p(|ρ_j| + ε)^{p−1}` at the current ρ, while ε shrinks tenfold per step to `1e−12·max|ρ|`.
 * A fixed point of the LP is a KKT point (its LP multipliers satisfy the stationarity equations
 * with μ ≥ 0); the final vertex is solved exactly on its support and active set. The returned
 * `certificate.kktResidual` is the independent {@link kktResidual}. `exact: false`: other
 * stationary points may exist.
 */
export async function stationaryMaxMarginLp(
  problem: StationaryLpProblem,
): Promise<StationaryLpResult> {
  const { Z, y, L } = problem;
  checkMatrix(Z, 'Z');
  checkLabels(y, Z.rows);
  assertDepth(L);
  if (L < 3) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `L = ${L} is convex: use maxMarginL2 (L = 1) or maxMarginL1 (L = 2)`,
      {
        path: 'L',
      },
    );
  }
  checkVector(problem.start, Z.cols, 'start');
  await assertSeparable(Z, y, `ℓ_{2/${L}} max margin`, 'Z');
  const n = Z.rows;
  const m = Z.cols;
  const p = 2 / L;
  const Zy = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) Zy[i * m + j] = y[i]! * Z.data[i * m + j]!;
  const ZyM = { rows: n, cols: m, data: Zy };
  let gamma = Infinity;
  for (const v of matVec(ZyM, problem.start)) gamma = Math.min(gamma, v);
  if (!(gamma > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `the start direction does not separate the data (smallest margin ${gamma.toExponential(3)}); start from a trained direction or from maxMarginL1's solution`,
      { path: 'start' },
    );
  }
  let rho: Float64Array = Float64Array.from(problem.start, (v) => v / gamma);
  const scaleOf = (r: Float64Array): number => r.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  let eps = 0.1 * scaleOf(rho);
  const maxIt = problem.maxIterations ?? 100;
  let it = 0;
  let converged = false;
  let optimal = true;
  for (; it < maxIt; it++) {
    const scale = scaleOf(rho);
    const w = Array.from(
      rho,
      (v) => p * Math.pow(Math.abs(v) + eps, p - 1) * Math.pow(scale, 1 - p),
    );
    const sol = await weightedL1MarginLp(Zy, n, m, w);
    optimal = sol.optimal;
    const next = sol.rho;
    let diff = 0;
    for (let j = 0; j < m; j++) diff = Math.max(diff, Math.abs(next[j]! - rho[j]!));
    rho = next;
    const floor = 1e-12 * scaleOf(rho);
    if (diff <= 1e-14 * scaleOf(rho) && eps <= floor) {
      converged = true;
      break;
    }
    eps = Math.max(eps / 10, floor);
  }
  const kkt = kktResidual({ Z, y, rho, L });
  let q = 0;
  for (const v of rho) q += Math.pow(Math.abs(v), p);
  const objective = Math.pow(q, 1 / p);
  let minMargin = Infinity;
  for (const v of matVec(ZyM, rho)) minMargin = Math.min(minMargin, v);
  const nr = norm2(rho);
  return {
    kind: 'stationary-max-margin-lp',
    rho,
    direction: rho.map((v) => v / nr),
    objective,
    margin: 1 / objective,
    exact: false,
    reference: `stationary point of min ‖ρ‖_{2/${L}} s.t. margins ≥ 1 (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2: only first-order stationarity is claimed for L ≥ 3)`,
    certificate: { kktResidual: kkt.residual, primalInfeasibility: Math.max(0, 1 - minMargin) },
    status: !optimal ? 'stalled' : converged ? 'converged' : 'max-steps',
    iterations: it + 1,
  };
}

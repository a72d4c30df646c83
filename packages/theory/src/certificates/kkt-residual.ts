import type { HostMatrix } from '@implicit-bias/core';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matVec } from '../linalg/dense.js';
import { assertDepth } from '../scalar/depth.js';
import { nnls } from './nnls.js';

/** Input of {@link kktResidual}. */
export interface KktInput {
  /** Transformed data `Z = X Sᵀ` (n×m, real), rows are samples. */
  readonly Z: HostMatrix;
  /** Labels ±1, length n. */
  readonly y: ArrayLike<number>;
  /** Candidate direction ρ (any positive scale). */
  readonly rho: ArrayLike<number>;
  /** Depth L ≥ 1: the problem is `min ‖ρ‖_{2/L} s.t. y_i z_iᵀρ ≥ 1`. */
  readonly L: number;
  /** Samples with normalized margin ≤ 1 + this are active (default 1e−6). */
  readonly activeTolerance?: number;
  /** Coordinates with `|ρ_j| > this · max|ρ|` form the support (default 1e−9). */
  readonly supportTolerance?: number;
}

/** Result of {@link kktResidual}. */
export interface KktResult {
  /** `‖Bμ − g‖/‖g‖` at the NNLS multipliers: 0 at a KKT point; `Infinity` if ρ does not separate. */
  readonly residual: number;
  /** Samples within the active tolerance of the smallest margin. */
  readonly activeSet: number[];
  /** Multipliers μ ≥ 0 on the active set (same order). */
  readonly mu: Float64Array;
  /** Coordinates whose stationarity was checked. */
  readonly support: number[];
  /** L = 2 only: `max(0, max_{j∉support} |Σ μ_i y_i z_ij| − 1)`, the ℓ1 subgradient condition off the support. */
  readonly offSupportViolation: number;
  /** Smallest margin `min_i y_i z_iᵀρ` before rescaling. */
  readonly minMargin: number;
}

/**
 * KKT certificate of `min ‖ρ‖_{2/L} s.t. y_i z_iᵀρ ≥ 1` (docs/theory/max-margin.md, Yun et al. Theorem 2):
 * scale ρ so that the smallest margin is 1, take the active set A, and find `μ ≥ 0` on A minimizing
 * the residual of `(2/L) sign(ρ_j)|ρ_j|^{2/L−1} = Σ_{i∈A} μ_i y_i z_ij` (a non-negative least squares
 * problem, solved by Lawson–Hanson). The equations are taken on the support of ρ for L ≥ 2 (the
 * ℓ_{2/L} quasi-norm is not differentiable at 0) and on every coordinate for L = 1. Independent of
 * any predictor: use it to judge a trained direction or a solver's output.
 */
export function kktResidual(input: KktInput): KktResult {
  const { Z, y, rho, L } = input;
  checkMatrix(Z, 'Z');
  checkLabels(y, Z.rows);
  checkVector(rho, Z.cols, 'rho');
  assertDepth(L);
  const activeTol = input.activeTolerance ?? 1e-6;
  const supportTol = input.supportTolerance ?? 1e-9;
  const margins = matVec(Z, rho).map((v, i) => v * y[i]!);
  let gamma = Infinity;
  for (const v of margins) gamma = Math.min(gamma, v);
  if (!(gamma > 0)) {
    return {
      residual: Infinity,
      activeSet: [],
      mu: new Float64Array(0),
      support: [],
      offSupportViolation: Infinity,
      minMargin: gamma,
    };
  }
  const r = Array.from(rho, (v) => v / gamma);
  const activeSet: number[] = [];
  margins.forEach((v, i) => {
    if (v / gamma <= 1 + activeTol) activeSet.push(i);
  });
  let rmax = 0;
  for (const v of r) rmax = Math.max(rmax, Math.abs(v));
  const support: number[] = [];
  r.forEach((v, j) => {
    if (L === 1 || Math.abs(v) > supportTol * rmax) support.push(j);
  });
  const p = 2 / L;
  const g = support.map((j) => p * Math.sign(r[j]!) * Math.pow(Math.abs(r[j]!), p - 1));
  const rows = support.length;
  const cols = activeSet.length;
  const B = new Float64Array(rows * cols);
  support.forEach((j, a) =>
    activeSet.forEach((i, b) => {
      B[a * cols + b] = y[i]! * Z.data[i * Z.cols + j]!;
    }),
  );
  const sol = nnls(B, rows, cols, g);
  let gNorm = 0;
  for (const v of g) gNorm += v * v;
  gNorm = Math.sqrt(gNorm);
  let off = 0;
  if (L === 2) {
    const inSupport = new Set(support);
    for (let j = 0; j < Z.cols; j++) {
      if (inSupport.has(j)) continue;
      let s = 0;
      activeSet.forEach((i, b) => (s += sol.x[b]! * y[i]! * Z.data[i * Z.cols + j]!));
      off = Math.max(off, Math.abs(s) - 1);
    }
  }
  return {
    residual: gNorm === 0 ? sol.residualNorm : sol.residualNorm / gNorm,
    activeSet,
    mu: sol.x,
    support,
    offSupportViolation: off,
    minMargin: gamma,
  };
}

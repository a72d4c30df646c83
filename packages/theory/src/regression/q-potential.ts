import type { HostMatrix } from '@implicit-bias/core';
import { checkMatrix, checkVector } from '../linalg/validate.js';
import { choleskySolve, cholesky, matTVec, matVec, weightedGram } from '../linalg/dense.js';
import { fullRowRankFactor, interpolationSystem } from '../linalg/rank.js';
import { assertDepth } from '../scalar/depth.js';
import { CL, phiLInverse } from '../scalar/phi-l.js';
import { HL, HLSecond, hL } from '../scalar/h-l.js';
import type { Prediction, SolveStatus } from '../prediction.js';
import { interpolationResidual, qOptimalityResidual } from '../certificates/residuals.js';
import { qScales } from './q-scales.js';
import { boundaryNewton } from './q-boundary.js';

/** Input of {@link predictRegressionQ}: `A = X Sᵀ` (n×m, full row rank), targets, depth, scale, shape. */
export interface QProblem {
  /** Transformed data `A = X Sᵀ`, n×m with n ≤ m and full row rank. */
  readonly A: HostMatrix;
  /** Regression targets, length n. */
  readonly y: ArrayLike<number>;
  /** Depth L ≥ 1. */
  readonly L: number;
  /** Initialization scale α > 0 (1e−6 … 1e3 is tested). */
  readonly alpha: number;
  /** Initialization shape η ∈ Rᵐ, all non-zero; defaults to all ones. */
  readonly eta?: ArrayLike<number>;
  /** Target relative interpolation residual (default 1e−13). */
  readonly tolerance?: number;
  /** Newton iteration limit (default 500). */
  readonly maxIterations?: number;
}

/** Result of {@link predictRegressionQ}. */
export interface QPrediction extends Prediction {
  readonly kind: 'q-potential';
  readonly rho: Float64Array;
  readonly exact: true;
  /** Solver-independent checks of the returned ρ. */
  readonly certificate: {
    /** `‖Aρ − y‖/‖y‖`: how well ρ interpolates. */
    readonly interpolationResidual: number;
    /** Relative residual of `∇Q(ρ) ∈ range(Aᵀ)` (the KKT condition of argmin Q), from ρ alone. */
    readonly stationarityResidual: number;
  };
  /** `'converged'` only when both certificates pass; otherwise why the Newton method stopped. */
  readonly status: SolveStatus;
  /** Newton iterations used. */
  readonly iterations: number;
}

/** Largest stationarity certificate a 'converged' result may carry (rounding level is ~1e−15). */
const STATIONARITY_LIMIT = 1e-8;

const REFERENCE =
  'Yun, Krishnan & Mobahi (ICLR 2021), Theorem 3 (regression with odeco networks): ρ(∞) = argmin Q_{L,α,η}(ρ) s.t. Aρ = y';

/**
 * `Q_{L,α,η}(ρ) = Σ_j c_j² H_L(ρ_j / c_j^L)` with `c_j = α|η_j|` (docs/theory/q-potential.md).
 */
export function qObjective(
  rho: ArrayLike<number>,
  L: number,
  alpha: number,
  eta?: ArrayLike<number>,
): number {
  assertDepth(L);
  const c = qScales(rho.length, alpha, eta);
  let s = 0;
  for (let j = 0; j < rho.length; j++) s += c[j]! ** 2 * HL(L, rho[j]! / c[j]! ** L);
  return s;
}

/**
 * The regression limit of gradient flow for a real odeco network with last layer initialized at 0:
 * `argmin Q_{L,α,η}(ρ) s.t. Aρ = y` (docs/theory/q-potential.md).
 *
 * Method: damped Newton on the n-dimensional convex dual. In the scaled dual variable
 * `μ = α^{L−2} λ` each coordinate is `ρ_j(μ) = c_j^L h_L(T_j)` with
 * `T_j = Φ_L^{−1}(|η_j|^{L−2} [Aᵀμ]_j)`; the dual objective is
 * `F(μ) = Σ_j (c_j^L/|η_j|^{L−2}) T_j²/2 − yᵀμ` (the conjugate of `c² H_L(·/c^L)` is `c² T²/2`),
 * with gradient `Aρ − y` and Hessian `A diag(c_j^L |η_j|^{L−2} (1+T_j²)^{L−2}(1+L T_j²)) Aᵀ`.
 * Steps stop at 95% of the way to the boundary `|s_j| = C_L` (`L ≥ 3`) and backtrack (Armijo);
 * progress is judged by F, not by the residual, which may grow while μ approaches the boundary.
 * Near that boundary the map μ → ρ amplifies rounding, so once the dual residual stalls
 * (below 1e−6) the result is finished by primal Newton steps on the constraint,
 * `ρ ← ρ + D Aᵀ(A D Aᵀ)^{−1}(y − Aρ)` with `D = (∇²Q(ρ))^{−1}`, kept only when they do not spoil
 * stationarity.
 *
 * For `L ≥ 3` at small α the dual optimum can sit closer to `|s_j| = C_L` than float64 resolves
 * (`C_L − |s_j|` shrinks like a power of α); when the residual is not at tolerance a boundary
 * phase takes over: with the support S of the n coordinates nearest the boundary fixed, the dual
 * is parametrized by `log(C_L − |s_S|)` and the tail `C_L − Φ_L` is evaluated without
 * cancellation (see `boundaryNewton`); fewer than n coordinates may be at the boundary (a sparse
 * minimum-ℓ1 interpolant). Because the scaled dual keeps `s_j` of order one, α from 1e−6 to 1e3
 * converges from `μ = 0`. Status `'converged'` is reported only when the returned ρ's own
 * certificates hold: interpolation residual ≤ max(tolerance, 1e−11), stationarity ≤ 1e−8.
 *
 * Rows of A that depend on others are dropped when their targets agree (duplicate samples with
 * equal y: the constraint set is unchanged; A = 0 with y = 0 gives ρ = 0). When no ρ
 * interpolates — A is zero but y is not, or dependent rows have different targets
 * (rank A < rank [A y]) — it throws `INVALID_DATA` (path `A` or `y`) naming the rows; gradient
 * flow then tends to a least-squares fit, for which the theorem predicts nothing.
 */
export function predictRegressionQ(problem: QProblem): QPrediction {
  const { L, alpha } = problem;
  checkMatrix(problem.A, 'A');
  checkVector(problem.y, problem.A.rows, 'y');
  assertDepth(L);
  const c = qScales(problem.A.cols, alpha, problem.eta);
  const tol = problem.tolerance ?? 1e-13;
  const maxIt = problem.maxIterations ?? 500;
  const { A, y } = interpolationSystem(problem.A, problem.y, 'argmin Q s.t. Aρ = y', {
    A: 'A',
    y: 'y',
  });
  const n = A.rows;
  const m = A.cols;
  if (n === 0) {
    // A = 0 and y = 0: every ρ interpolates and Q is least at ρ = 0, where ∇Q = 0
    return {
      kind: 'q-potential',
      rho: new Float64Array(m),
      objective: 0,
      exact: true,
      reference: REFERENCE,
      certificate: { interpolationResidual: 0, stationarityResidual: 0 },
      status: 'converged',
      iterations: 0,
    };
  }
  fullRowRankFactor(A, 'argmin Q s.t. Aρ = y', 'A');
  const kappa = new Float64Array(m); // |η_j|^{L−2}
  const w = new Float64Array(m); // c_j^L / κ_j
  for (let j = 0; j < m; j++) {
    kappa[j] = Math.pow(c[j]! / alpha, L - 2);
    w[j] = Math.pow(c[j]!, L) / kappa[j]!;
  }
  const cap = CL(L);
  let yNorm = 0;
  for (let i = 0; i < n; i++) yNorm += y[i]! ** 2;
  yNorm = Math.sqrt(yNorm);

  /** Primal point, dual objective and Hessian weights at μ (F = Infinity outside the domain). */
  const evaluate = (mu: Float64Array) => {
    const a = matTVec(A, mu);
    const rho = new Float64Array(m);
    const d = new Float64Array(m);
    let F = 0;
    for (let j = 0; j < m; j++) {
      const s = kappa[j]! * a[j]!;
      if (!(Math.abs(s) < cap)) return { F: Infinity, rho, d };
      const T = phiLInverse(L, s);
      const oneT = 1 + T * T;
      rho[j] = Math.pow(c[j]!, L) * hL(L, T);
      d[j] = Math.pow(c[j]!, L) * kappa[j]! * Math.pow(oneT, L - 2) * (1 + L * T * T);
      F += (w[j]! * T * T) / 2;
    }
    for (let i = 0; i < n; i++) F -= y[i]! * mu[i]!;
    if (!Number.isFinite(F)) return { F: Infinity, rho, d };
    for (let j = 0; j < m; j++)
      if (!Number.isFinite(rho[j]!) || !Number.isFinite(d[j]!)) return { F: Infinity, rho, d };
    return { F, rho, d };
  };
  const residualOf = (rho: Float64Array): { r: Float64Array; norm: number } => {
    const Ar = matVec(A, rho);
    let s = 0;
    for (let i = 0; i < n; i++) {
      Ar[i] = y[i]! - Ar[i]!;
      s += Ar[i]! ** 2;
    }
    return { r: Ar, norm: Math.sqrt(s) };
  };

  let mu = new Float64Array(n);
  let cur = evaluate(mu);
  let res = residualOf(cur.rho);
  let status: SolveStatus = 'max-steps';
  let it = 0;
  let best = res.norm;
  let sinceBest = 0;
  let flatF = 0; // consecutive steps whose decrease of F is at rounding level
  for (; it < maxIt; it++) {
    if (res.norm <= tol * yNorm) {
      status = 'converged';
      break;
    }
    // the dual map μ → ρ amplifies rounding near |s_j| = C_L: once progress stalls at a small
    // residual, hand over to the primal polish below
    if (sinceBest >= 4 && res.norm <= 1e-6 * yNorm) {
      status = 'converged';
      break;
    }
    // the residual Aρ − y need not fall while μ approaches |s_j| = C_L (it can even grow by orders
    // of magnitude at small α), so progress is judged by the dual objective F: only once F is flat
    // to rounding and the residual is no longer falling does the boundary phase take over
    if (cap < Infinity && sinceBest >= 8 && flatF >= 3) {
      status = 'stalled'; // the boundary phase below takes over
      break;
    }
    const R = factorWithRidge(weightedGram(A, cur.d), n);
    if (R === null) {
      status = 'stalled';
      break;
    }
    const step = choleskySolve(R, n, res.r);
    let slope = 0; // directional derivative of F along step = −rᵀ step
    for (let i = 0; i < n; i++) slope -= res.r[i]! * step[i]!;
    // fraction to the boundary |s_j| < C_L
    let t = 1;
    if (cap < Infinity) {
      const ds = matTVec(A, step);
      const a = matTVec(A, mu);
      for (let j = 0; j < m; j++) {
        const sj = kappa[j]! * a[j]!;
        const dj = kappa[j]! * ds[j]!;
        if (dj !== 0) t = Math.min(t, (0.95 * (Math.sign(dj) * cap - sj)) / dj);
      }
    }
    let accepted = false;
    for (let k = 0; k < 80; k++, t /= 2) {
      const trial = new Float64Array(n);
      for (let i = 0; i < n; i++) trial[i] = mu[i]! + t * step[i]!;
      const next = evaluate(trial);
      if (next.F === Infinity) continue;
      const nextRes = residualOf(next.rho);
      const armijo = next.F <= cur.F + 1e-4 * t * slope;
      // near the optimum F is flat to rounding: accept when the residual still drops
      const flat =
        Math.abs(next.F - cur.F) <= 1e-12 * Math.max(1, Math.abs(cur.F)) && nextRes.norm < res.norm;
      if (armijo || flat) {
        flatF = cur.F - next.F > 1e-13 * Math.max(1, Math.abs(cur.F)) ? 0 : flatF + 1;
        mu = trial;
        cur = next;
        res = nextRes;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      status = res.norm <= 1e-6 * yNorm ? 'converged' : 'stalled';
      break;
    }
    if (res.norm < 0.5 * best) {
      best = res.norm;
      sinceBest = 0;
    } else sinceBest++;
  }
  const etaArg = problem.eta !== undefined ? { eta: problem.eta } : {};
  const stationarity = (r: Float64Array): number =>
    qOptimalityResidual({ A, rho: r, L, alpha, ...etaArg });
  const accurate = (norm: number): boolean => norm <= Math.max(tol, 1e-11) * yNorm;
  // primal polish: ρ ← ρ + D Aᵀ(A D Aᵀ)^{-1}(y − Aρ) with D = 1/∇²Q(ρ), a Newton step on the
  // interpolation constraint that keeps ∇Q in the row space of A to first order. When fewer than
  // n coordinates sit near the boundary, A D Aᵀ is singular to working precision (D ~ c^{2L−2} off
  // them) and the step moves the tiny coordinates by their own size: it is kept only when it does
  // not spoil stationarity (the dual point is stationary by construction)
  let rho: Float64Array = cur.rho;
  if (status === 'converged' && res.norm > tol * yNorm) {
    const stat0 = stationarity(rho);
    let polished = rho;
    let pres = res;
    for (let k = 0; k < 3 && pres.norm > tol * yNorm; k++) {
      const d = new Float64Array(m);
      for (let j = 0; j < m; j++)
        d[j] = Math.pow(c[j]!, 2 * L - 2) / HLSecond(L, polished[j]! / Math.pow(c[j]!, L));
      const R = factorWithRidge(weightedGram(A, d), n);
      if (R === null) break;
      const delta = matTVec(A, choleskySolve(R, n, pres.r));
      const next = polished.map((r, j) => r + d[j]! * delta[j]!);
      const nextRes = residualOf(next);
      if (!(nextRes.norm < pres.norm)) break;
      polished = next;
      pres = nextRes;
    }
    if (polished !== rho && stationarity(polished) <= Math.max(1e-12, 10 * stat0)) {
      rho = polished;
      res = pres;
    }
  }
  if (status === 'converged' && !accurate(res.norm)) status = 'stalled';
  // boundary phase (L ≥ 3): the dual optimum is closer to |s_j| = C_L than float64 resolves
  if (cap < Infinity && res.norm > tol * yNorm) {
    const a = matTVec(A, mu);
    const s0 = a.map((v, j) => kappa[j]! * v);
    const b = boundaryNewton(A, y, L, c, kappa, s0);
    if (b !== null && b.residual < res.norm / Math.max(yNorm, 1e-300)) {
      rho = b.rho;
      it += b.iterations;
      res = residualOf(rho);
      status = accurate(res.norm) ? 'converged' : 'stalled';
    }
  }
  if (!rho.every(Number.isFinite)) status = 'non-finite';
  // never report a point as converged unless its independent certificates say so
  const certificate = {
    // on the original rows: dropped rows are satisfied only as well as the data agree
    interpolationResidual: interpolationResidual(problem.A, rho, problem.y),
    stationarityResidual: status === 'non-finite' ? NaN : stationarity(rho),
  };
  if (
    status === 'converged' &&
    !(
      certificate.interpolationResidual <= Math.max(tol, 1e-11) * 1.01 &&
      certificate.stationarityResidual <= STATIONARITY_LIMIT
    )
  )
    status = 'stalled';
  return {
    kind: 'q-potential',
    rho,
    objective: qObjective(rho, L, alpha, problem.eta),
    exact: true,
    reference: REFERENCE,
    certificate,
    status,
    iterations: it,
  };
}

/** Cholesky of an SPD matrix, adding a ridge of 1e−14·trace/n when it is singular to working precision. */
function factorWithRidge(H: Float64Array, n: number): Float64Array | null {
  const R = cholesky(H, n);
  if (R !== null) return R;
  let tr = 0;
  for (let i = 0; i < n; i++) tr += H[i * n + i]!;
  for (let i = 0; i < n; i++) H[i * n + i]! += 1e-14 * (tr / n);
  return cholesky(H, n, 0);
}

import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { checkMatrix, checkVector } from '../linalg/validate.js';
import { choleskySolve, luSolve, matTVec } from '../linalg/dense.js';
import { fullRowRankFactor, interpolationSystem } from '../linalg/rank.js';
import { solveDense } from '../solvers/highs.js';
import type { Prediction, SolveStatus } from '../prediction.js';
import { interpolationResidual } from '../certificates/residuals.js';

/** Input of the weighted interpolants: `A` (n×m, full row rank), targets `y`, positive weights. */
export interface WeightedInterpolationProblem {
  /** Transformed data `A = X Sᵀ`, n×m (n ≤ m), full row rank. */
  readonly A: HostMatrix;
  /** Targets, length n. */
  readonly y: ArrayLike<number>;
  /** Positive weights, length m (default all ones). */
  readonly weights?: ArrayLike<number>;
}

function checkWeights(w: ArrayLike<number> | undefined, m: number): Float64Array {
  if (w === undefined) return new Float64Array(m).fill(1);
  checkVector(w, m, 'weights');
  for (let j = 0; j < m; j++) {
    if (!(w[j]! > 0)) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `weights[${j}] is ${w[j]}; weights must be > 0`,
        {
          path: 'weights',
        },
      );
    }
  }
  return Float64Array.from(w);
}

/**
 * Certificate and status of a direct (closed-form) interpolation solve: `converged` when the
 * relative interpolation residual is at most 1e−8 (a well-conditioned float64 solve gives about
 * 1e−14), `stalled` when an ill-conditioned system lost more digits, `non-finite` on overflow.
 */
function directResult(residual: number): {
  certificate: { interpolationResidual: number };
  status: SolveStatus;
} {
  const status: SolveStatus = !Number.isFinite(residual)
    ? 'non-finite'
    : residual <= 1e-8
      ? 'converged'
      : 'stalled';
  return { certificate: { interpolationResidual: residual }, status };
}

/**
 * Weighted minimum-ℓ2 interpolant `argmin Σ_j ρ_j²/D_j s.t. Aρ = y` in closed form
 * `ρ = D Aᵀ(A D Aᵀ)^{−1} y`, with `D = diag(weights)`. The α → ∞ limit of the Q potential uses
 * `D_j = |η_j|^{2L−2}` (docs/theory/q-potential.md). Dependent rows consistent with the others (duplicate
 * samples with equal targets) are dropped; inconsistent data, which no ρ interpolates, throw
 * `INVALID_DATA` naming the rows (see {@link minNormInterpolant}).
 */
export function weightedL2Interpolant(problem: WeightedInterpolationProblem): Prediction & {
  /** The interpolant ρ, length m. */
  rho: Float64Array;
} {
  const { A, y } = problem;
  checkMatrix(A, 'A');
  checkVector(y, A.rows, 'y');
  const D = checkWeights(problem.weights, A.cols);
  const sys = interpolationSystem(A, y, 'weighted minimum-ℓ2 interpolation', { A: 'A', y: 'y' });
  const g =
    sys.A.rows === 0
      ? new Float64Array(A.cols)
      : matTVec(
          sys.A,
          choleskySolve(
            fullRowRankFactor(sys.A, 'weighted minimum-ℓ2 interpolation', 'A', D).R,
            sys.A.rows,
            sys.y,
          ),
        );
  const rho = new Float64Array(A.cols);
  let obj = 0;
  for (let j = 0; j < A.cols; j++) {
    rho[j] = D[j]! * g[j]!;
    obj += rho[j]! ** 2 / D[j]!;
  }
  return {
    kind: 'weighted-l2-interpolant',
    rho,
    objective: obj,
    exact: false,
    reference:
      'α → ∞ limit of argmin Q (Yun, Krishnan & Mobahi, ICLR 2021, §4; Woodworth et al. 2020 kernel regime)',
    ...directResult(interpolationResidual(A, rho, y)),
  };
}

/**
 * Minimum-ℓ2-norm interpolant `β = Xᵀ(XXᵀ)^{−1} y` (the L = 1 limit for every α, and the small-α
 * limit of fully-connected networks). Rows of X that depend on others are dropped when their
 * targets agree (duplicate samples with equal y: the interpolants are the same; X = 0 with
 * y = 0 gives β = 0). When no β interpolates — X is zero but y is not, or duplicate /
 * dependent rows have different targets (rank X < rank [X y]) — it throws `INVALID_DATA` with
 * path `X` or `y` naming the rows: gradient flow then tends to a least-squares fit instead.
 */
export function minNormInterpolant(
  X: HostMatrix,
  y: ArrayLike<number>,
): Prediction & {
  /** The interpolant β, length d. */
  beta: Float64Array;
} {
  checkMatrix(X, 'X');
  checkVector(y, X.rows, 'y');
  const sys = interpolationSystem(X, y, 'minimum-norm interpolation', { A: 'X', y: 'y' });
  const beta =
    sys.A.rows === 0
      ? new Float64Array(X.cols)
      : matTVec(
          sys.A,
          choleskySolve(
            fullRowRankFactor(sys.A, 'minimum-norm interpolation', 'X').R,
            sys.A.rows,
            sys.y,
          ),
        );
  let obj = 0;
  for (let j = 0; j < X.cols; j++) obj += beta[j]! ** 2;
  return {
    kind: 'min-norm-interpolant',
    beta,
    objective: Math.sqrt(obj),
    exact: true,
    reference:
      'minimum-ℓ2 interpolant: L = 1 gradient flow from 0; fully-connected α → 0 (Yun, Krishnan & Mobahi, ICLR 2021, §4)',
    ...directResult(interpolationResidual(X, beta, y)),
  };
}

const L1_REFERENCE =
  'α → 0 limit of argmin Q (Yun, Krishnan & Mobahi, ICLR 2021, §4; Woodworth et al. 2020 rich regime)';

/** `v` placed at the rows `kept` of a length-`n` vector (zeros elsewhere). */
function spread(v: Float64Array, kept: readonly number[], n: number): Float64Array {
  if (kept.length === n) return v;
  const out = new Float64Array(n);
  kept.forEach((i, p) => (out[i] = v[p]!));
  return out;
}

/** Result of {@link weightedL1Interpolant}. */
export interface WeightedL1Result extends Prediction {
  readonly rho: Float64Array;
  /** How the LP solve ended (`'converged'` with its certificates passing). */
  readonly status: SolveStatus;
  /** Dual vector λ with `|Aᵀλ|_j ≤ w_j`, certifying optimality by `yᵀλ = Σ w_j|ρ_j|`. */
  readonly dual: Float64Array;
}

/**
 * Weighted minimum-ℓ1 interpolant `argmin Σ_j w_j|ρ_j| s.t. Aρ = y`, the α → 0 limit of argmin Q
 * with `w_j = 1/|η_j|^{L−2}`. Solved as an LP by HiGHS with `ρ = p − q`, `p, q ≥ 0`; a basic
 * solution is then polished by solving `A_B ρ_B = y` on its support. Certificates: the relative
 * duality gap `(Σ w|ρ| − yᵀλ)/Σ w|ρ|` and the dual infeasibility `max_j |Aᵀλ|_j/w_j − 1`.
 */
export async function weightedL1Interpolant(
  problem: WeightedInterpolationProblem,
): Promise<WeightedL1Result> {
  checkMatrix(problem.A, 'A');
  checkVector(problem.y, problem.A.rows, 'y');
  const w = checkWeights(problem.weights, problem.A.cols);
  const sys = interpolationSystem(problem.A, problem.y, 'weighted minimum-ℓ1 interpolation', {
    A: 'A',
    y: 'y',
  });
  if (sys.A.rows === 0) {
    // A = 0 and y = 0: ρ = 0 is the minimum, certified by λ = 0
    return {
      kind: 'weighted-l1-interpolant',
      rho: new Float64Array(problem.A.cols),
      objective: 0,
      exact: false,
      reference: L1_REFERENCE,
      certificate: { interpolationResidual: 0, dualityGap: 0, dualInfeasibility: -1 },
      status: 'converged',
      dual: new Float64Array(problem.A.rows),
    };
  }
  const { A, y } = sys;
  fullRowRankFactor(A, 'weighted minimum-ℓ1 interpolation', 'A');
  const n = A.rows;
  const m = A.cols;
  const rows = new Float64Array(n * 2 * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      rows[i * 2 * m + j] = A.data[i * m + j]!;
      rows[i * 2 * m + m + j] = -A.data[i * m + j]!;
    }
  const cost = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) cost[j] = cost[m + j] = w[j]!;
  const sol = await solveDense({
    numCols: 2 * m,
    cost,
    colLower: new Float64Array(2 * m),
    colUpper: new Float64Array(2 * m).fill(Infinity),
    numRows: n,
    rows,
    rowLower: y,
    rowUpper: y,
  });
  let rho: Float64Array = new Float64Array(m);
  for (let j = 0; j < m; j++) rho[j] = sol.x[j]! - sol.x[m + j]! + 0; // + 0 turns −0 into 0
  let lambda: Float64Array = Float64Array.from(sol.rowDual);
  // polish a basic solution: exactly n non-zeros ⇒ solve the square system on the support
  let scale = 0;
  for (let j = 0; j < m; j++) scale = Math.max(scale, Math.abs(rho[j]!));
  const support: number[] = [];
  for (let j = 0; j < m; j++) if (Math.abs(rho[j]!) > 1e-9 * scale) support.push(j);
  if (sol.status === 'optimal' && support.length === n) {
    const B = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) B[i * n + k] = A.data[i * m + support[k]!]!;
    const xB = luSolve(B, n, y);
    // dual: A_Bᵀ λ = w_B ∘ sign(ρ_B)
    const Bt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) Bt[k * n + i] = B[i * n + k]!;
    const rhs = support.map((j) => w[j]! * Math.sign(rho[j]!));
    const lam = luSolve(Bt, n, rhs);
    if (
      xB !== null &&
      lam !== null &&
      support.every((j, k) => Math.sign(xB[k]!) === Math.sign(rho[j]!))
    ) {
      const polished = new Float64Array(m);
      support.forEach((j, k) => (polished[j] = xB[k]!));
      rho = polished;
      lambda = lam;
    }
  }
  let obj = 0;
  for (let j = 0; j < m; j++) obj += w[j]! * Math.abs(rho[j]!);
  const aT = matTVec(A, lambda);
  let dualObj = 0;
  for (let i = 0; i < n; i++) dualObj += y[i]! * lambda[i]!;
  let dualInf = 0;
  for (let j = 0; j < m; j++) dualInf = Math.max(dualInf, Math.abs(aT[j]!) / w[j]! - 1);
  return {
    kind: 'weighted-l1-interpolant',
    rho,
    objective: obj,
    exact: false,
    reference: L1_REFERENCE,
    certificate: {
      interpolationResidual: interpolationResidual(problem.A, rho, problem.y),
      dualityGap: obj === 0 ? Math.abs(dualObj) : Math.abs(obj - dualObj) / obj,
      dualInfeasibility: dualInf,
    },
    status: sol.status === 'optimal' ? 'converged' : 'stalled',
    // in the original rows: a dropped row's multiplier is 0
    dual: spread(lambda, sys.kept, problem.A.rows),
  };
}

import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { assertDepth } from '../scalar/depth.js';
import { certifyKkt, certifyKktFourier } from '../certificates/kkt-certificate.js';
import type { KktCertificate } from '../certificates/kkt-certificate.js';
import { localKktNewton } from './local-kkt-newton.js';
import type { LocalKktResult } from './local-kkt-newton.js';
import { realFourier } from './real-fourier.js';
import type {
  ClassificationProblem,
  MaxMarginPrediction,
  TransformedClassificationProblem,
} from './types.js';

/** Options shared by {@link localStationaryPoint} and {@link localStationaryPointFourier}. */
export interface LocalStationaryOptions {
  /** Depth L ≥ 3. */
  readonly L: number;
  /** The warm start: a separating direction (any positive scale), typically the trained one. */
  readonly start: ArrayLike<number>;
  /**
   * Coordinates (frequencies) whose modulus exceeds this fraction of the largest form the
   * support of the sought point (default 1e−3: a trained direction's vanishing coordinates decay
   * slowly and are still around 1e−4 of the largest at margin 1e4).
   */
  readonly supportTolerance?: number;
  /** Samples within this relative margin of the smallest are taken as active (default 1e−2). */
  readonly activeTolerance?: number;
  /** Newton steps allowed (default 50). */
  readonly maxIterations?: number;
}

/** Input of {@link localStationaryPoint}. */
export interface LocalStationaryProblem
  extends TransformedClassificationProblem, LocalStationaryOptions {}

/** Input of {@link localStationaryPointFourier}. */
export interface LocalStationaryFourierProblem
  extends ClassificationProblem, LocalStationaryOptions {}

/** Result of {@link localStationaryPoint} and {@link localStationaryPointFourier}. */
export interface LocalStationaryResult extends MaxMarginPrediction {
  readonly kind: 'local-stationary-point' | 'local-stationary-point-fourier';
  /** The KKT point at margin 1: ρ for {@link localStationaryPoint}, β for the Fourier form. */
  readonly point: Float64Array;
  /** Support: coordinates j of ρ, or frequencies k (0 ≤ k ≤ d/2, conjugate pairs once) of Fβ. */
  readonly support: number[];
  /** Samples whose margin constraint is active at the point. */
  readonly activeSet: number[];
  /** Multipliers μ ≥ 0 on `activeSet` (same order), from the Newton solve. */
  readonly mu: Float64Array;
  /** Newton steps taken. */
  readonly iterations: number;
  /** The independent KKT certificate of the point ({@link certifyKkt}). */
  readonly kkt: KktCertificate;
}

function checkInput(
  M: HostMatrix,
  field: 'Z' | 'X',
  o: LocalStationaryOptions & { y: ArrayLike<number> },
): void {
  checkMatrix(M, field);
  checkLabels(o.y, M.rows);
  assertDepth(o.L);
  if (o.L < 3) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `L = ${o.L} is convex (the KKT point is the global optimum): use maxMarginL2 (L = 1) or maxMarginL1 / maxMarginFourierL1 (L = 2)`,
      { path: 'L' },
    );
  }
  checkVector(o.start, M.cols, 'start');
  for (const [name, v] of [
    ['supportTolerance', o.supportTolerance],
    ['activeTolerance', o.activeTolerance],
  ] as const) {
    if (v !== undefined && !(v >= 0 && v < 1))
      throw new ImplicitBiasError('INVALID_CONFIG', `${name} must be in [0, 1), got ${String(v)}`, {
        path: name,
      });
  }
  if (o.maxIterations !== undefined && !(Number.isInteger(o.maxIterations) && o.maxIterations >= 1))
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `maxIterations must be an integer ≥ 1, got ${String(o.maxIterations)}`,
      {
        path: 'maxIterations',
      },
    );
}

function rowsTimesLabels(M: HostMatrix, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(M.rows * M.cols);
  for (let i = 0; i < M.rows; i++)
    for (let j = 0; j < M.cols; j++) out[i * M.cols + j] = y[i]! * M.data[i * M.cols + j]!;
  return out;
}

function assertSeparates(Zy: Float64Array, n: number, m: number, x: ArrayLike<number>): void {
  const margins = matVec({ rows: n, cols: m, data: Zy }, x);
  const low = Math.min(...margins);
  if (!(low > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `the start direction does not separate the data (smallest margin ${low.toExponential(3)}); warm-start from a trained direction that classifies every sample correctly`,
      { path: 'start' },
    );
  }
}

const options = (o: LocalStationaryOptions) => ({
  supportTolerance: o.supportTolerance ?? 1e-3,
  activeTolerance: o.activeTolerance ?? 1e-2,
  maxIterations: o.maxIterations ?? 50,
});

function assemble(
  kind: LocalStationaryResult['kind'],
  sol: LocalKktResult,
  point: Float64Array,
  objective: number,
  support: number[],
  kkt: KktCertificate,
  reference: string,
): LocalStationaryResult {
  const nr = norm2(point);
  return {
    kind,
    point,
    direction: point.map((v) => v / nr),
    objective,
    margin: 1 / objective,
    exact: false,
    reference,
    certificate: {
      kktResidual: kkt.stationarity,
      complementarity: kkt.complementarity,
      primalInfeasibility: kkt.primalInfeasibility,
    },
    status: sol.status,
    support,
    activeSet: sol.activeSet,
    mu: Float64Array.from(sol.activeSet, (i) => sol.mu[i]!),
    iterations: sol.iterations,
    kkt,
  };
}

/**
 * The KKT point of `min ‖ρ‖_{2/L} s.t. y_i z_iᵀρ ≥ 1` (L ≥ 3) that a warm start lies next to: the
 * support S (coordinates above `supportTolerance` of the largest) and active set A (margins within
 * `activeTolerance` of the smallest) are read off `start`, and Newton's method solves the KKT
 * equations `(2/L) sign(ρ_j)|ρ_j|^{2/L−1} = Σ_{i∈A} μ_i y_i z_ij` (j ∈ S), `y_i z_iᵀρ = 1` (i ∈ A) with
 * ρ = 0 off S, adjusting A when a multiplier turns negative or another constraint is violated.
 * Unlike {@link stationaryMaxMarginLp}, which smooths `|ρ_j|` by an ε starting at 0.1·max|ρ| and can
 * move to another support, this never leaves the start's support: started from a trained
 * direction it returns the stationary point gradient flow is converging to. The result carries
 * its independent {@link certifyKkt} certificate; trust it when `kkt.certified`.
 */
export function localStationaryPoint(problem: LocalStationaryProblem): LocalStationaryResult {
  const { Z, y, L } = problem;
  checkInput(Z, 'Z', problem);
  const n = Z.rows;
  const m = Z.cols;
  const Zy = rowsTimesLabels(Z, y);
  assertSeparates(Zy, n, m, problem.start);
  const p = 2 / L;
  const groups = Array.from({ length: m }, (_, j) => [j, 1] as const);
  const sol = localKktNewton(
    { Zy, n, m, groups, coef: new Float64Array(m).fill(1), p },
    problem.start,
    options(problem),
  );
  const rho = sol.x;
  const objective = Math.pow(
    rho.reduce((a, v) => a + Math.pow(Math.abs(v), p), 0),
    1 / p,
  );
  const kkt = certifyKkt({ Z, y, rho, L });
  return assemble(
    'local-stationary-point',
    sol,
    rho,
    objective,
    sol.support,
    kkt,
    `the KKT point of min ‖ρ‖_{2/${L}} s.t. margins ≥ 1 on the start's support (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2: gradient flow converges to some KKT point for L ≥ 3)`,
  );
}

/**
 * {@link localStationaryPoint} for full-width convolutional networks: the KKT point of
 * `min Σ_k |(Fβ)_k|^{2/L} s.t. y_i x_iᵀβ ≥ 1` next to `start` (β₀), by Newton's method in the
 * orthogonal real Fourier coordinates `γ = Rβ` on the start's frequency support, where each
 * conjugate pair is a two-dimensional group with objective `2(‖γ_g‖/√2)^{2/L}`. Certified by the
 * independent {@link certifyKktFourier}.
 */
export function localStationaryPointFourier(
  problem: LocalStationaryFourierProblem,
): LocalStationaryResult {
  const { X, y, L } = problem;
  checkInput(X, 'X', problem);
  const n = X.rows;
  const d = X.cols;
  const { R, groups } = realFourier(d);
  const Rm = { rows: d, cols: d, data: R };
  const Zy = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const rx = matVec(Rm, X.data.subarray(i * d, (i + 1) * d));
    for (let k = 0; k < d; k++) Zy[i * d + k] = y[i]! * rx[k]!;
  }
  const gamma0 = matVec(Rm, problem.start);
  assertSeparates(Zy, n, d, gamma0);
  const p = 2 / L;
  const coef = groups.map(([, size]) => (size === 2 ? 2 * Math.pow(Math.SQRT1_2, p) : 1));
  const sol = localKktNewton({ Zy, n, m: d, groups, coef, p }, gamma0, options(problem));
  const beta = matTVec(Rm, sol.x);
  const objective = Math.pow(
    groups.reduce(
      (a, [s, size], k) =>
        a +
        coef[k]! *
          Math.pow(size === 2 ? Math.hypot(sol.x[s]!, sol.x[s + 1]!) : Math.abs(sol.x[s]!), p),
      0,
    ),
    1 / p,
  );
  const kkt = certifyKktFourier({ X, y, beta, L });
  const support = sol.support.map((k) => {
    const [s] = groups[k]!;
    return s === 0 ? 0 : Math.ceil(s / 2);
  });
  return assemble(
    'local-stationary-point-fourier',
    sol,
    beta,
    objective,
    support,
    kkt,
    `the KKT point of min ‖Fβ‖_{2/${L}} s.t. margins ≥ 1 on the start's frequency support: full-width convolution, L ≥ 3 (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2)`,
  );
}

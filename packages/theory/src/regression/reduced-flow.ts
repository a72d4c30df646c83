import {
  ImplicitBiasError,
  assertFinite,
  toHostMatrix,
  type HostMatrix,
  type VectorField,
} from '@implicit-bias/core';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { depthMaps } from '../scalar/depth-maps.js';
import { dot4, droppedGram } from './reduced-gram.js';
import { odecoLayers, odecoSigns } from './reduced-layers.js';

/**
 * A squared-loss regression with a real odeco network initialized by the odeco scheme
 * (docs/theory/q-potential.md): layers `l < L` with `|[U_lᵀv_l(0)]_j| = α|η_j|` (any signs), last layer zero.
 */
export interface ReducedFlowProblem {
  /** A real odeco network (diagonal, L = 1, superdiagonal tensors); complex odeco is refused. */
  readonly network: LinearTensorNetwork;
  /** Data `[n, d]`, rows are samples. */
  readonly X: HostMatrix | readonly (readonly number[])[];
  /** Regression targets, length n. */
  readonly y: ArrayLike<number>;
  /** Initialization scale α > 0. */
  readonly alpha: number;
  /** Initialization shape η ∈ Rᵐ, every entry non-zero (default all ones). */
  readonly eta?: ArrayLike<number>;
}

/**
 * The reduced gradient flow as an n-dimensional vector field. The state is the scaled dual
 * `s̃ = α^{L−2} ∫_0^t r` (`r = y − Aρ`, `A = X Sᵀ`), which obeys
 * `ds̃/dt = α^{L−2}(y − Aρ(s̃))` with `ρ_j(s̃) = c_j^L h_L(Φ_L^{−1}(|η_j|^{L−2}[Aᵀs̃]_j))`,
 * `c_j = α|η_j|` — exactly the flow of the full network (docs/theory/q-potential.md), written in the scaled
 * variable that keeps the state of order one at small α.
 */
export interface ReducedFlowField extends VectorField {
  /** `A = X Sᵀ` (n×m). */
  readonly A: HostMatrix;
  /** `ρ(s̃)` of one state (length m); NaN entries outside the domain `|Φ_L argument| < C_L`. */
  rho(state: ArrayLike<number>): Float64Array;
  /** The end-to-end vector `β = Sᵀρ(s̃)` of one state (length d). */
  beta(state: ArrayLike<number>): Float64Array;
  /**
   * The full network's layers `v_1..v_L` at one state, for the run that started at `init` (an
   * odeco initialization of this problem, whose layer signs it keeps): the parameters the
   * full-network flow reaches at the same time. Throws `INVALID_CONFIG` (path `init`) when
   * `init` is not the odeco initialization with this α and η.
   */
  layers(state: ArrayLike<number>, init: readonly Float64Array[]): Float64Array[];
  /** Work counters: Gram matrices `A diag(w) Aᵀ` actually computed by `jacobian`. */
  readonly counters: {
    /** Gram matrices `A diag(w) Aᵀ` computed so far (cache hits excluded). */
    gramEvaluations: number;
  };
}

/** Settings of {@link reducedFlowField}. */
export interface ReducedFieldSettings {
  /**
   * Reuse the last computed Jacobian while every diagonal weight `w_j` changed by at most this
   * relative amount (then `‖ΔJ‖ ≤ jacobianReuse·‖J‖`): implicit steppers converge their Newton
   * iterations to the same solution with a slightly inexact Jacobian, at a fraction of the cost.
   * Default 0 (always exact).
   */
  readonly jacobianReuse?: number;
  /**
   * Leave out of the Jacobian the coordinates j whose term `|w_j|·‖A[:, j]‖²` is below this
   * fraction of the largest (then `‖ΔJ‖ ≤ m·jacobianDropTol·max term`). Near the limit of a
   * sparse small-α problem all but a few coordinates are many decades below the rest, and the
   * Jacobian costs n²·|kept|/2 instead of n²·m/2. Default 0 (every coordinate, exact).
   */
  readonly jacobianDropTol?: number;
  /**
   * Matrix–vector kernels for the products with `A` (default: this module's own JavaScript
   * loops). The cpu backend's host products (`createCpuBackend().host` of
   * `@implicit-bias/backend-cpu`, WebAssembly SIMD) fit this shape; theory itself never imports
   * a backend.
   */
  readonly kernels?: ReducedFlowKernels;
}

/** Dense float64 products the reduced field can delegate (row-major, results written into the last argument). */
export interface ReducedFlowKernels {
  /** `y = A·x` for A m×n. */
  gemv(a: Float64Array, x: Float64Array, m: number, n: number, y: Float64Array): void;
  /** `g = Aᵀ·y` for A m×n. */
  gemvT(a: Float64Array, y: Float64Array, m: number, n: number, g: Float64Array): void;
  /** `y[r·m ..] = A·x[r·n ..]` for `r < rows` (A m×n): the Gram matrix in one pass. */
  gemm(a: Float64Array, x: Float64Array, rows: number, m: number, n: number, y: Float64Array): void;
}

/**
 * Build the reduced field of {@link ReducedFlowProblem} (docs/theory/q-potential.md). Its Jacobian is exact:
 * `−α^{L−2} A diag(c_j^L |η_j|^{L−2} h_L'(T_j)/Φ_L'(T_j)) Aᵀ` with `T_j = Φ_L^{−1}(…)`, so stiff
 * steppers (rodas4, radau5) need no differencing. The scalar functions are theory's `hL`, `phiLInverse`,
 * `hLPrime`, `phiLPrime` (written out in closed form for L ≤ 4, to a few ulps of them).
 *
 * Throws `INVALID_CONFIG` for a network without a real odeco decomposition, a non-positive α or a
 * zero η entry, and `SHAPE_MISMATCH` when X, y or η do not fit the network.
 */
export function reducedFlowField(
  problem: ReducedFlowProblem,
  settings: ReducedFieldSettings = {},
): ReducedFlowField {
  const net = problem.network;
  const dec = net.odeco();
  if ('notOdeco' in dec) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `the reduced flow needs an odeco network: ${dec.notOdeco}; use solveFlow on the full network instead`,
      { path: 'network' },
    );
  }
  if (dec.complex) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'the reduced flow is exact only for real odeco networks (docs/theory/q-potential.md); full-length convolutions are complex odeco — use solveFlow on the full network instead',
      { path: 'network' },
    );
  }
  const X = toHostMatrix(problem.X, 'X');
  const n = X.rows;
  const d = X.cols;
  if (d !== net.inputDim) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `X has ${d} columns but the network's input dimension is ${net.inputDim}; pass data with d = ${net.inputDim} features`,
      { path: 'X' },
    );
  }
  const y = Float64Array.from({ length: problem.y.length }, (_, i) => Number(problem.y[i]));
  if (y.length !== n) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `needs one target per row of X (${n}), got ${y.length}`,
      { path: 'y' },
    );
  }
  assertFinite(y, 'y');
  const alpha = problem.alpha;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || !(alpha > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a finite number > 0, got ${String(alpha)}`,
      { path: 'alpha' },
    );
  }
  const m = dec.m;
  const S = dec.S; // m×d
  const L = net.depth;
  const eta = problem.eta;
  if (eta !== undefined && eta.length !== m) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `needs m = ${m} entries (one per odeco coordinate), got ${eta.length}`,
      { path: 'eta' },
    );
  }
  const c = new Float64Array(m); // c_j = α|η_j|
  const cL = new Float64Array(m); // c_j^L
  const kappa = new Float64Array(m); // |η_j|^{L−2}
  for (let j = 0; j < m; j++) {
    const e = eta === undefined ? 1 : Math.abs(Number(eta[j]));
    if (!(e > 0) || !Number.isFinite(e)) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `eta[${j}] is ${String(eta?.[j])}; every entry of eta must be finite and non-zero`,
        { path: 'eta' },
      );
    }
    c[j] = alpha * e;
    cL[j] = Math.pow(alpha * e, L);
    kappa[j] = Math.pow(e, L - 2);
  }
  const scale = Math.pow(alpha, L - 2); // ds̃/dt = α^{L−2} r
  // A = X Sᵀ, n×m
  const A = new Float64Array(n * m);
  // an implicit identity (diagonal networks) is never formed densely (d×d would not fit at large d)
  let identityS = S.identity === true || m === d;
  for (let j = 0; j < m && identityS && S.identity !== true; j++)
    for (let k = 0; k < d; k++) if (S.data[j * d + k] !== (j === k ? 1 : 0)) identityS = false;
  if (identityS) A.set(X.data);
  for (let i = 0; i < n && !identityS; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += X.data[i * d + k]! * S.data[j * d + k]!;
      A[i * m + j] = s;
    }
  }
  const Amat: HostMatrix = { rows: n, cols: m, data: A };
  // the scalar maps at depth L, the depth dispatch hoisted out of the loops over coordinates
  const maps = depthMaps(L);

  /** T_j = Φ_L^{−1}(κ_j [Aᵀs̃]_j) of one state (NaN outside the domain). */
  const kernels = settings.kernels;
  const tOf = (state: ArrayLike<number>, off: number, T: Float64Array): void => {
    if (kernels !== undefined && state instanceof Float64Array) {
      kernels.gemvT(A, state.subarray(off, off + n), n, m, T);
      maps.phiInverseScaled(kappa, T, m);
      return;
    }
    T.fill(0);
    for (let i = 0; i < n; i++) {
      const si = state[off + i]!;
      if (si === 0) continue;
      const row = i * m;
      for (let j = 0; j < m; j++) T[j] = T[j]! + A[row + j]! * si;
    }
    maps.phiInverseScaled(kappa, T, m);
  };
  const rhoOf = (T: Float64Array, out: Float64Array): void => {
    maps.hScaled(cL, T, out, m);
  };
  const T = new Float64Array(m);
  const rho = new Float64Array(m);
  // the Jacobian's weights w_j = −scale·c_j·κ_j·h_L'(T_j)/Φ_L'(T_j): the factor before the ratio
  const slopeFactor = new Float64Array(m);
  for (let j = 0; j < m; j++) slopeFactor[j] = -scale * cL[j]! * kappa[j]!;
  const Arho = new Float64Array(n);
  const reuse = settings.jacobianReuse ?? 0;
  if (!(reuse >= 0) || !(reuse < 1)) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must be in [0, 1), got ${String(reuse)}`, {
      path: 'jacobianReuse',
    });
  }
  let cached: { w: Float64Array; J: Float64Array } | undefined;
  const counters = { gramEvaluations: 0 };
  const aw = new Float64Array(m); // scratch of the Gram kernel
  const dropTol = settings.jacobianDropTol ?? 0;
  if (!(dropTol >= 0) || !(dropTol < 1e-3)) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must be in [0, 1e-3), got ${String(dropTol)}`, {
      path: 'jacobianDropTol',
    });
  }
  const colNorm2 = new Float64Array(m); // ‖A[:, j]‖²
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) colNorm2[j] = colNorm2[j]! + A[i * m + j]! ** 2;
  const tAt = (state: ArrayLike<number>): Float64Array => {
    if (state.length !== n) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `a state has n = ${n} entries, got ${state.length}`,
        { path: 'state' },
      );
    }
    const t = new Float64Array(m);
    tOf(state, 0, t);
    return t;
  };
  const rhoAt = (state: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(m);
    rhoOf(tAt(state), out);
    return out;
  };
  let signsOf: { init: readonly Float64Array[]; signs: Int8Array } | undefined;

  return {
    dim: n,
    // J = −α^{L−2}·A·diag(w)·Aᵀ: the reduced flow is the gradient flow of a convex potential
    symmetricJacobian: true,
    A: Amat,
    rho: rhoAt,
    beta(state) {
      const r = rhoAt(state);
      if (identityS) return r; // β = ρ (diagonal networks)
      const b = new Float64Array(d);
      for (let j = 0; j < m; j++) {
        const rj = r[j]!;
        if (rj === 0) continue;
        for (let k = 0; k < d; k++) b[k] = b[k]! + S.data[j * d + k]! * rj;
      }
      return b;
    },
    layers(state, init) {
      if (signsOf?.init !== init) signsOf = { init, signs: odecoSigns(dec.U, m, c, init) };
      return odecoLayers(dec.U, m, c, signsOf.signs, tAt(state));
    },
    evaluate(state, rows) {
      const out = new Float64Array(rows * n);
      for (let r = 0; r < rows; r++) {
        tOf(state, r * n, T);
        rhoOf(T, rho);
        if (kernels !== undefined) {
          kernels.gemv(A, rho, n, m, Arho);
          for (let i = 0; i < n; i++) out[r * n + i] = scale * (y[i]! - Arho[i]!);
          continue;
        }
        for (let i = 0; i < n; i++) {
          out[r * n + i] = scale * (y[i]! - dot4(A, i * m, rho, m));
        }
      }
      return out;
    },
    jacobian(state, rows) {
      const out = new Float64Array(rows * n * n);
      const w = new Float64Array(m);
      for (let r = 0; r < rows; r++) {
        tOf(state, r * n, T);
        maps.slopeScaled(slopeFactor, T, w, m);
        const base = r * n * n;
        // reuse the last Gram matrix while every weight is within jacobianReuse of it: then
        // ‖ΔJ‖ ≤ jacobianReuse·‖J‖ (all w_j share one sign, so the change is bounded in the PSD order)
        if (reuse > 0 && cached !== undefined) {
          let worst = 0;
          for (let j = 0; j < m && worst <= reuse; j++) {
            const c = cached.w[j]!;
            worst = Math.max(worst, Math.abs(w[j]! - c) / Math.abs(c));
          }
          if (worst <= reuse) {
            out.set(cached.J, base);
            continue;
          }
        }
        droppedGram(A, n, m, w, colNorm2, dropTol, out, base, aw, kernels?.gemm);
        counters.gramEvaluations += 1;
        if (reuse > 0) cached = { w: Float64Array.from(w), J: out.slice(base, base + n * n) };
      }
      return out;
    },
    counters,
  };
}

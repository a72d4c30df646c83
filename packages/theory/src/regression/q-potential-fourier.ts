import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { checkMatrix, checkVector } from '../linalg/validate.js';
import { cholesky, choleskySolve, matTVec, matVec } from '../linalg/dense.js';
import { fullRowRankFactor, interpolationSystem } from '../linalg/rank.js';
import { assertDepth } from '../scalar/depth.js';
import { CL, phiLInverse } from '../scalar/phi-l.js';
import { HL, hL } from '../scalar/h-l.js';
import { realFourier } from '../classification/real-fourier.js';
import { interpolationResidual } from '../certificates/residuals.js';
import { qScales } from './q-scales.js';
import type { Prediction, SolveStatus } from '../prediction.js';

const REFERENCE =
  'natural complex analogue of Yun, Krishnan & Mobahi (ICLR 2021) Theorem 3 for full convolutions: not exact (docs/theory/q-potential.md measured gaps 1e−5 … 0.14)';

/** Input of {@link predictRegressionFourierQ}. */
export interface FourierQProblem {
  /** Data X (n×d); dependent rows must have consistent targets (they are dropped). */
  readonly X: HostMatrix;
  /** Targets, length n. */
  readonly y: ArrayLike<number>;
  /** Depth L ≥ 1 of the full-width circular convolutional network. */
  readonly L: number;
  /** Initialization scale α > 0. */
  readonly alpha: number;
  /** Shape per frequency, length d, with `|η_k| = |η_{d−k}|` (real filters); default all ones. */
  readonly eta?: ArrayLike<number>;
  /** Newton iteration limit (default 500). */
  readonly maxIterations?: number;
}

/** Result of {@link predictRegressionFourierQ}. */
export interface FourierQPrediction extends Prediction {
  readonly kind: 'q-potential-fourier';
  readonly beta: Float64Array;
  readonly exact: false;
  /** How the dual Newton method ended. */
  readonly status: SolveStatus;
  /** Newton iterations used. */
  readonly iterations: number;
}

/**
 * The natural complex analogue of the Q-potential prediction for full-width convolutional
 * networks (docs/theory/q-potential.md, "not covered"): with `ρ = S^{−T}β`, `S = d^{(L−1)/2}F`, so that
 * `|ρ_k| = d^{−(L−1)/2}|(Fβ)_k|`, it returns `argmin Σ_k c_k² H_L(|ρ_k|/c_k^L) s.t. Xβ = y`,
 * `c_k = α|η_k|`. **Not exact**: gradient flow differs from it (docs/theory/known-gaps.md: measured gaps 0.14 at
 * α = 0.05, 1e−3 at α = 1, 1e−5 at α = 3 for d = 8, n = 3, L = 2; an RK4 flow of our own on seeded
 * data with η = 1 gave 4.9e−2, 1.7e−3, 2.1e−5 at α = 0.3, 1, 3, about half the distance to the
 * minimum-norm interpolant), so `exact` is false.
 *
 * Method: in the orthogonal real Fourier coordinates `γ = Rβ` the potential is radial per
 * frequency group g, `φ_g(‖γ_g‖)` with `φ_g(r) = m_g c_g² H_L(σ_g r/c_g^L)` (`m_g` = 2 for a
 * conjugate pair, `σ_g = d^{−(L−1)/2}/√2` for pairs and `d^{−(L−1)/2}` for the real frequencies).
 * Damped Newton on the dual `F(λ) = Σ_g m_g c_g² T_g²/2 − yᵀλ`, `a = (X Rᵀ)ᵀλ`,
 * `T_g = Φ_L^{−1}(c_g^{L−2}‖a_g‖/(m_g σ_g))`, `γ_g = (a_g/‖a_g‖)·c_g^L h_L(T_g)/σ_g`, with 2×2 block
 * Hessians, Armijo backtracking and a fraction-to-boundary rule for `L ≥ 3`. Meant for the
 * moderate α where the gap is measured; very small α with L ≥ 3 may stall (`status`).
 */
export function predictRegressionFourierQ(problem: FourierQProblem): FourierQPrediction {
  const { L, alpha } = problem;
  checkMatrix(problem.X, 'X');
  checkVector(problem.y, problem.X.rows, 'y');
  assertDepth(L);
  const d = problem.X.cols;
  const c = qScales(d, alpha, problem.eta);
  for (let k = 1; k < d; k++) {
    if (c[k] !== c[d - k]) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `|eta[${k}]| ≠ |eta[${d - k}]|: real filters have conjugate-symmetric Fourier moduli, so eta must satisfy |η_k| = |η_{d−k}|`,
        { path: 'eta' },
      );
    }
  }
  // dependent rows with agreeing targets are dropped; inconsistent data throw INVALID_DATA
  const { A: X, y } = interpolationSystem(problem.X, problem.y, 'complex Q-potential analogue', {
    A: 'X',
    y: 'y',
  });
  const n = X.rows;
  if (n === 0) {
    // X = 0 and y = 0: β = 0 minimizes the potential
    return {
      kind: 'q-potential-fourier',
      beta: new Float64Array(d),
      objective: 0,
      exact: false,
      reference: REFERENCE,
      certificate: { interpolationResidual: 0 },
      status: 'converged',
      iterations: 0,
    };
  }
  fullRowRankFactor(X, 'complex Q-potential analogue', 'X');
  const { R, groups } = realFourier(d);
  const Rm = { rows: d, cols: d, data: R };
  // Xt = X Rᵀ (n×d): rows R x_i
  const Xt = new Float64Array(n * d);
  for (let i = 0; i < n; i++) Xt.set(matVec(Rm, X.data.subarray(i * d, (i + 1) * d)), i * d);
  const XtM = { rows: n, cols: d, data: Xt };
  const base = Math.pow(d, -(L - 1) / 2);
  const G = groups.map(([s, size]) => {
    const k = s === 0 ? 0 : Math.ceil(s / 2);
    return {
      s,
      size,
      m: size === 2 ? 2 : 1,
      sigma: size === 2 ? base / Math.SQRT2 : base,
      c: c[k]!,
    };
  });
  const cap = CL(L);
  const yNorm = Math.sqrt(Array.from(y).reduce((a, v) => a + v * v, 0));

  const evaluate = (lam: Float64Array) => {
    const a = matTVec(XtM, lam);
    const gamma = new Float64Array(d);
    const H = new Float64Array(d * d); // block diagonal dγ/da
    let F = 0;
    for (const g of G) {
      const an = Math.hypot(a[g.s]!, g.size === 2 ? a[g.s + 1]! : 0);
      const sArg = (Math.pow(g.c, L - 2) * an) / (g.m * g.sigma);
      if (!(sArg < cap)) return null;
      const T = phiLInverse(L, sArg);
      const r = (Math.pow(g.c, L) * hL(L, T)) / g.sigma;
      const dr =
        (Math.pow(g.c, 2 * L - 2) * Math.pow(1 + T * T, L - 2) * (1 + L * T * T)) /
        (g.m * g.sigma ** 2);
      F += (g.m * g.c ** 2 * T * T) / 2;
      if (g.size === 1) {
        gamma[g.s] = Math.sign(a[g.s]!) * r;
        H[g.s * d + g.s] = dr;
      } else {
        const u = an === 0 ? [0, 0] : [a[g.s]! / an, a[g.s + 1]! / an];
        const perp = an === 0 ? dr : r / an; // r(‖a‖)/‖a‖ → r'(0) as ‖a‖ → 0
        for (let p = 0; p < 2; p++) {
          gamma[g.s + p] = u[p]! * r;
          for (let q = 0; q < 2; q++) {
            H[(g.s + p) * d + g.s + q] =
              perp * ((p === q ? 1 : 0) - u[p]! * u[q]!) + dr * u[p]! * u[q]!;
          }
        }
      }
    }
    for (let i = 0; i < n; i++) F -= y[i]! * lam[i]!;
    if (!Number.isFinite(F) || !gamma.every(Number.isFinite)) return null;
    const resid = matVec(XtM, gamma).map((v, i) => y[i]! - v);
    const rn = Math.sqrt(resid.reduce((acc, v) => acc + v * v, 0));
    return { F, gamma, H, resid, rn };
  };

  let lam = new Float64Array(n);
  let cur = evaluate(lam)!;
  let status: SolveStatus = 'max-steps';
  const maxIt = problem.maxIterations ?? 500;
  let it = 0;
  for (; it < maxIt; it++) {
    if (cur.rn <= 1e-13 * yNorm) {
      status = 'converged';
      break;
    }
    // Newton matrix Xt H Xtᵀ
    const XH = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += Xt[i * d + k]! * cur.H[k * d + j]!;
        XH[i * d + j] = s;
      }
    const M = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += XH[i * d + j]! * Xt[k * d + j]!;
        M[i * n + k] = s;
      }
    const Rf = cholesky(M, n);
    if (Rf === null) {
      status = 'stalled';
      break;
    }
    const step = choleskySolve(Rf, n, cur.resid);
    let slope = 0;
    for (let i = 0; i < n; i++) slope -= cur.resid[i]! * step[i]!;
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 80; k++, t /= 2) {
      const trial = lam.map((v, i) => v + t * step[i]!);
      const next = evaluate(trial);
      if (next === null) continue;
      const flat =
        Math.abs(next.F - cur.F) <= 1e-12 * Math.max(1, Math.abs(cur.F)) && next.rn < cur.rn;
      if (next.F <= cur.F + 1e-4 * t * slope || flat) {
        lam = trial;
        cur = next;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      status = cur.rn <= 1e-10 * yNorm ? 'converged' : 'stalled';
      break;
    }
  }
  const beta = matTVec(Rm, cur.gamma);
  let objective = 0;
  for (const g of G) {
    const r = Math.hypot(cur.gamma[g.s]!, g.size === 2 ? cur.gamma[g.s + 1]! : 0);
    objective += g.m * g.c ** 2 * HL(L, (g.sigma * r) / Math.pow(g.c, L));
  }
  return {
    kind: 'q-potential-fourier',
    beta,
    objective,
    exact: false,
    reference: REFERENCE,
    certificate: { interpolationResidual: interpolationResidual(problem.X, beta, problem.y) },
    status,
    iterations: it,
  };
}

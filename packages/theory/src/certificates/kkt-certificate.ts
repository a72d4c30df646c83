import { matVec } from '../linalg/dense.js';
import { kktResidual } from './kkt-residual.js';
import type { KktInput, KktResult } from './kkt-residual.js';
import { kktResidualFourier } from './kkt-residual-fourier.js';
import type { KktFourierInput } from './kkt-residual-fourier.js';

/** Thresholds under which {@link certifyKkt} calls a point a certified KKT point. */
export interface KktTolerances {
  /** Largest relative stationarity residual `‖Bμ − g‖/‖g‖` (default 1e−9). */
  readonly stationarity: number;
  /** Largest multiplier-weighted slack `Σ μ_i (m_i − 1) / Σ μ_i` (default 1e−9). */
  readonly complementarity: number;
  /** Largest constraint violation `max(0, 1 − min_i m_i)` (default 1e−9). */
  readonly primalInfeasibility: number;
}

/**
 * The default {@link KktTolerances}: 1e−9 for each condition. Float64 solves reach about 1e−14
 * on these small problems; 1e−9 leaves room for ill-conditioning while still separating a KKT
 * point from a point 1e−6 away from one (whose residuals are of order 1e−6).
 */
export const KKT_TOLERANCES: KktTolerances = Object.freeze({
  stationarity: 1e-9,
  complementarity: 1e-9,
  primalInfeasibility: 1e-9,
});

/** Result of {@link certifyKkt} and {@link certifyKktFourier}. */
export interface KktCertificate {
  /** Relative stationarity residual `‖Bμ − g‖/‖g‖` with NNLS multipliers μ ≥ 0 on the active set. */
  readonly stationarity: number;
  /**
   * Complementary slackness `Σ_{i∈A} μ_i (m_i − 1) / Σ_{i∈A} μ_i` at the margins `m_i` of the point as
   * given: 0 when every constraint carrying a multiplier holds with equality.
   */
  readonly complementarity: number;
  /** Primal feasibility `max(0, 1 − min_i m_i)` of the point as given. */
  readonly primalInfeasibility: number;
  /** Dual feasibility `max(0, −min_i μ_i)`: 0 by construction (NNLS), reported for completeness. */
  readonly dualInfeasibility: number;
  /** The active set, multipliers (same order) and support the residual was computed on. */
  readonly kkt: KktResult;
  /** True when every residual is within its tolerance. */
  readonly certified: boolean;
  /** The tolerances `certified` was judged with. */
  readonly tolerances: KktTolerances;
}

function judge(
  kkt: KktResult,
  margins: Float64Array,
  tolerances: Partial<KktTolerances> | undefined,
): KktCertificate {
  const tol = { ...KKT_TOLERANCES, ...tolerances };
  let minMargin = Infinity;
  for (const v of margins) minMargin = Math.min(minMargin, v);
  let num = 0;
  let den = 0;
  let minMu = 0;
  kkt.activeSet.forEach((i, b) => {
    const mu = kkt.mu[b]!;
    num += mu * Math.abs(margins[i]! - 1);
    den += mu;
    minMu = Math.min(minMu, mu);
  });
  const complementarity = den > 0 ? num / den : Number.isFinite(kkt.residual) ? 0 : Infinity;
  const primalInfeasibility = Math.max(0, 1 - minMargin);
  const stationarity = kkt.residual;
  return {
    stationarity,
    complementarity,
    primalInfeasibility,
    dualInfeasibility: Math.max(0, -minMu),
    kkt,
    certified:
      stationarity <= tol.stationarity &&
      complementarity <= tol.complementarity &&
      primalInfeasibility <= tol.primalInfeasibility,
    tolerances: tol,
  };
}

/**
 * The KKT conditions of `min ‖ρ‖_{2/L} s.t. y_i z_iᵀρ ≥ 1` at ρ *as given* (docs/theory/max-margin.md):
 * stationarity on the support with multipliers μ ≥ 0 on the active set ({@link kktResidual}, NNLS),
 * complementary slackness and primal feasibility at ρ's own margins `m_i = y_i z_iᵀρ`.
 * `certified` means all three are within `tolerances` ({@link KKT_TOLERANCES} by default), dual
 * feasibility holding by construction: ρ is a first-order stationary point of the problem to that
 * accuracy. Scale-invariant conditions are not enough: a direction is certified only at the scale
 * where its smallest margin is 1 (solver outputs are returned there).
 */
export function certifyKkt(
  input: KktInput & { readonly tolerances?: Partial<KktTolerances> },
): KktCertificate {
  const kkt = kktResidual(input);
  const margins = matVec(input.Z, input.rho).map((v, i) => v * input.y[i]!);
  return judge(kkt, margins, input.tolerances);
}

/**
 * {@link certifyKkt} for full-width convolutions: the KKT conditions of
 * `min Σ_k |(Fβ)_k|^{2/L} s.t. y_i x_iᵀβ ≥ 1` at β as given ({@link kktResidualFourier}).
 */
export function certifyKktFourier(
  input: KktFourierInput & { readonly tolerances?: Partial<KktTolerances> },
): KktCertificate {
  const kkt = kktResidualFourier(input);
  const margins = matVec(input.X, input.beta).map((v, i) => v * input.y[i]!);
  return judge(kkt, margins, input.tolerances);
}

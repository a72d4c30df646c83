import type { HostMatrix } from '@implicit-bias/core';
import { groupFourier } from '@implicit-bias/networks';
import type { GroupNetwork } from '@implicit-bias/networks';
import { matVec } from '../linalg/dense.js';
import { nnls } from '../certificates/nnls.js';
import { opNorm, stationarityPieces, tangent } from './blocks.js';

/** Result of {@link groupKkt}. */
export interface GroupKktResult {
  /** Relative stationarity residual `‖P_T(ẑ_μ) − UΣ^{p−1}V^*‖ / ‖UΣ^{p−1}V^*‖` (d_ρ-weighted Frobenius). */
  readonly residual: number;
  /** Multipliers μ ≥ 0 (zero off the active margins). */
  readonly mu: Float64Array;
  /** Indices of the active samples (margin ≤ 1 + 1e−6 after scaling to min margin 1). */
  readonly active: readonly number[];
}

/**
 * KKT certificate of `min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p s.t. y_i⟨x_i, β⟩ ≥ 1` at β (scaled to min margin 1).
 * With `⟨x, β⟩ = (1/|G|) Σ_ρ d_ρ Re tr(x̂(ρ)^* β̂(ρ))` (Plancherel) the derivative of the objective
 * along the fixed-rank manifold of each block is `p·d_ρ Re tr((UΣ^{p−1}V^*)^* δ̂)`, so stationarity reads
 * `P_T(Σ_i μ_i y_i x̂_i(ρ)) = UΣ^{p−1}V^*` for every irrep (μ ≥ 0, zero on inactive margins; μ absorbs
 * `1/(p|G|)`), with `P_T(A) = P_U A + A P_V − P_U A P_V`. Singular values below `10⁻⁶σ_max` count as
 * zero (the objective is not Lipschitz there; as for ℓ_{2/L} of a vector, stationarity is the
 * condition on the support). μ is fitted by NNLS over the active samples, blocks weighted by `√d_ρ`.
 * For p = 1 this is necessary but not sufficient (the nuclear-norm subgradient also bounds the
 * `U_⊥V_⊥` part): use the duality gap there.
 *
 * @param net the group network
 * @param X data n×|G|
 * @param y labels ±1
 * @param beta the point to certify
 * @param p the Schatten exponent `2/L`
 */
export function groupKkt(
  net: GroupNetwork,
  X: HostMatrix,
  y: ArrayLike<number>,
  beta: ArrayLike<number>,
  p: number,
): GroupKktResult {
  const G = net.group;
  const reps = net.irreps();
  const margins = matVec(X, beta).map((v, i) => v * y[i]!);
  const m = Math.min(...margins);
  const b = Float64Array.from(beta, (v) => v / m);
  const active = Array.from(margins.keys()).filter((i) => margins[i]! / m <= 1 + 1e-6);
  const blocks = groupFourier(G, reps, b);
  const floor = 1e-4 * Math.max(...blocks.map(opNorm));
  const pieces = blocks.map((B) => stationarityPieces(B, p, floor));
  const rows = reps.reduce((s, r) => s + 2 * r.dim * r.dim, 0);
  const A = new Float64Array(rows * active.length);
  const rhs = new Float64Array(rows);
  let row = 0;
  reps.forEach((r, k) => {
    const w = Math.sqrt(r.dim);
    const dd = r.dim * r.dim;
    const { G: Gk } = pieces[k]!;
    for (let e = 0; e < dd; e++) {
      rhs[row + 2 * e] = w * Gk.re[e]!;
      rhs[row + 2 * e + 1] = w * Gk.im[e]!;
    }
    row += 2 * dd;
  });
  active.forEach((i, c) => {
    const zi = Float64Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols), (v) => v * y[i]!);
    const zhat = groupFourier(G, reps, zi);
    let off = 0;
    reps.forEach((r, k) => {
      const w = Math.sqrt(r.dim);
      const dd = r.dim * r.dim;
      const T = tangent(zhat[k]!, pieces[k]!.PU, pieces[k]!.PV);
      for (let e = 0; e < dd; e++) {
        A[(off + 2 * e) * active.length + c] = w * T.re[e]!;
        A[(off + 2 * e + 1) * active.length + c] = w * T.im[e]!;
      }
      off += 2 * dd;
    });
  });
  const sol = nnls(A, rows, active.length, rhs);
  const mu = new Float64Array(X.rows);
  active.forEach((i, c) => (mu[i] = sol.x[c]!));
  const scale = Math.sqrt(rhs.reduce((s, v) => s + v * v, 0));
  return { residual: sol.residualNorm / scale, mu, active };
}

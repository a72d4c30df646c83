import type { LinearTensorNetwork } from './types.js';

/**
 * Host matrix–vector products writing into caller-owned outputs (see
 * {@link LinearTensorNetwork.fused}).
 * @internal
 */
export type HostProducts = Parameters<NonNullable<LinearTensorNetwork['fused']>>[0];

/**
 * A fused evaluator of one network: `beta` then `contract` on one packed parameter row.
 * @internal
 */
export type FusedEvaluator = ReturnType<NonNullable<LinearTensorNetwork['fused']>>;

/**
 * The fused evaluator of a diagonal network (`k_l = d`). It rounds exactly as the backend path
 * (`betaBackend`, `gradBackend` of diagonal.ts) on a float64 backend: `β = (v_1 ⊙ v_2) ⊙ …`, and
 * layer l gets `(u ⊙ v_1 ⊙ … ⊙ v_{l−1}) ⊙ (v_{l+1} ⊙ (v_{l+2} ⊙ …))`, both left to right;
 * multiplying by the empty product 1 is exact, so every layer takes the same loop.
 * @internal
 */
export function fusedDiagonal(d: number, L: number): () => FusedEvaluator {
  return () => {
    const left = new Float64Array(d); // u ⊙ v_1 ⊙ … ⊙ v_{l−1}, layer by layer
    let theta: Float64Array = new Float64Array(0);
    let off = 0;
    return {
      // β_j = Π_l v_l[j]: a non-finite entry makes its β_j non-finite
      nonFiniteBeta: true,
      beta(t, o, beta) {
        theta = t;
        off = o;
        if (L === 2) {
          for (let j = 0; j < d; j++) beta[j] = t[o + j]! * t[o + d + j]!;
          return;
        }
        if (L === 3) {
          const o2 = o + 2 * d;
          for (let j = 0; j < d; j++) beta[j] = t[o + j]! * t[o + d + j]! * t[o2 + j]!;
          return;
        }
        // one pass per layer (the same products in the same order as entry by entry)
        for (let j = 0; j < d; j++) beta[j] = t[o + j]!;
        for (let l = 1; l < L; l++) {
          const ol = o + l * d;
          for (let j = 0; j < d; j++) beta[j] = beta[j]! * t[ol + j]!;
        }
      },
      contract(u, out, oo) {
        const t = theta;
        const o = off;
        if (L === 2) {
          // the passes below with L = 2: (u·v_2[j])·1 is u·v_2[j], (u·v_1[j])·1 likewise
          for (let j = 0; j < d; j++) {
            out[oo + j] = u[j]! * t[o + d + j]!;
            out[oo + d + j] = u[j]! * t[o + j]!;
          }
          return;
        }
        if (L === 3) {
          // the passes below with L = 3, one entry at a time: (u·(v_2·v_3)), ((u·v_1)·v_3),
          // ((u·v_1)·v_2) (the products by the empty suffix 1 dropped: they are exact)
          const o1 = o + d;
          const o2 = o + 2 * d;
          for (let j = 0; j < d; j++) {
            const a = u[j]!;
            const b = a * t[o + j]!;
            out[oo + j] = a * (t[o1 + j]! * t[o2 + j]!);
            out[oo + d + j] = b * t[o2 + j]!;
            out[oo + 2 * d + j] = b * t[o1 + j]!;
          }
          return;
        }
        // the suffixes Π_{m>l} v_m = v_{l+1}·(v_{l+2}·(…·1)) into each layer's block, last first
        const last = oo + (L - 1) * d;
        for (let j = 0; j < d; j++) out[last + j] = 1;
        for (let l = L - 2; l >= 0; l--) {
          const ol = oo + l * d;
          const tl = o + (l + 1) * d;
          for (let j = 0; j < d; j++) out[ol + j] = t[tl + j]! * out[ol + d + j]!;
        }
        // then each block times u ⊙ v_1 ⊙ … ⊙ v_{l−1}, first layer first
        for (let j = 0; j < d; j++) left[j] = u[j]!;
        for (let l = 0; l < L; l++) {
          const ol = oo + l * d;
          const tl = o + l * d;
          for (let j = 0; j < d; j++) {
            out[ol + j] = left[j]! * out[ol + j]!;
            left[j] = left[j]! * t[tl + j]!;
          }
        }
      },
    };
  };
}

/**
 * The fused evaluator of a fully-connected network with widths `w` (`d_1..d_L`): `β = b_1`
 * with `b_L = w_L`, `b_l = W_l b_{l+1}` (products.gemv); layer `l < L` gets the outer product
 * `a_l b_{l+1}ᵀ` written in place, `a_1 = u`, `a_{l+1} = W_lᵀ a_l` (products.gemvT); the last
 * layer gets `a_L`. The `b_l` of `beta` are kept for `contract` (the reason it must follow
 * `beta` on the same row). A backend with `products.chain` evaluates the same chain in its own
 * kernels instead.
 * @internal
 */
export function fusedFullyConnected(w: readonly number[]): (p: HostProducts) => FusedEvaluator {
  const L = w.length;
  const sizes = w.map((wl, l) => (l < L - 1 ? wl * w[l + 1]! : wl));
  const offsets = [0];
  for (const k of sizes) offsets.push(offsets[offsets.length - 1]! + k);
  return (products) => {
    // the same evaluation, in the backend's kernels when it offers chains
    // a weight W_l[i, j] enters b_l[i], and every b_l[i] enters every entry of b_{l−1}, so a
    // non-finite weight makes some entry of β non-finite (∞, or 0·∞ = NaN), in either implementation
    if (products.chain !== undefined) return { ...products.chain(w), nonFiniteBeta: true };
    // right[l] = b_{l+1} (l < L − 1), left[l] = a_{l+1} (l ≥ 1)
    const right = w.map((wl, l) => (l < L - 1 ? new Float64Array(wl) : new Float64Array(0)));
    const left = w.map((wl, l) => (l > 0 ? new Float64Array(wl) : new Float64Array(0)));
    const layer: Float64Array[] = new Array<Float64Array>(L).fill(new Float64Array(0));
    return {
      nonFiniteBeta: true,
      beta(t, o, beta) {
        for (let l = 0; l < L; l++) {
          layer[l] = t.subarray(o + offsets[l]!, o + offsets[l + 1]!);
        }
        let z = layer[L - 1]!;
        for (let l = L - 2; l >= 0; l--) {
          products.gemv(layer[l]!, z, w[l]!, w[l + 1]!, right[l]!);
          z = right[l]!;
        }
        beta.set(z);
      },
      contract(u, out, oo) {
        let a = u;
        for (let l = 0; l < L - 1; l++) {
          const b = l + 1 === L - 1 ? layer[L - 1]! : right[l + 1]!;
          const rows = w[l]!;
          const cols = w[l + 1]!;
          const base = oo + offsets[l]!;
          for (let i = 0; i < rows; i++) {
            const ai = a[i]!;
            const r = base + i * cols;
            for (let j = 0; j < cols; j++) out[r + j] = ai * b[j]!;
          }
          products.gemvT(layer[l]!, a, rows, cols, left[l + 1]!);
          a = left[l + 1]!;
        }
        out.set(a, oo + offsets[L - 1]!);
      },
    };
  };
}

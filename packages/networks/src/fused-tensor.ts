import type { FusedEvaluator, HostProducts } from './fused.js';

/**
 * The fused evaluator of a user tensor network `M(x) = Σ_j x_j M_j` from its stacked data
 * tensors `T` (`[d, K]` row-major, `K = k_1⋯k_L`, last mode fastest). `beta` contracts the
 * modes from the last: `z = T·v_L` over `[d·K/k_L, k_L]` (products.gemv, the one pass over `T`),
 * then each earlier mode `z ← z·v_l` on the host; `contract` forms `W = Tᵀ·u` (`M(u)`,
 * products.gemvT, the other pass over `T`), the right contractions `R_l = W·(v_L, …, v_{l+1})`
 * (modes above l contracted, `[k_1⋯k_l]`) from the last mode down, then layer l gets `R_l`
 * contracted with `v_1, …, v_{l−1}` from the first mode. These are the contractions of the
 * backend path (`betaBackend`, `gradBackend` of tensor-network.ts) in the same order; every
 * workspace is allocated once per evaluator. Only `T`, whose entries never change, goes
 * through the host products (which may keep it resident); the workspaces, whose entries change
 * on every call, are contracted by plain loops (they are `d·K/k_L` entries at most).
 * @internal
 */
export function fusedTensor(
  stacked: Float64Array,
  d: number,
  sizes: readonly number[],
): (p: HostProducts) => FusedEvaluator {
  const L = sizes.length;
  const K = sizes.reduce((p, k) => p * k, 1);
  const offsets = [0];
  for (const k of sizes) offsets.push(offsets[offsets.length - 1]! + k);
  // prefix[l] = k_1⋯k_l (prefix[0] = 1)
  const prefix = [1];
  for (const k of sizes) prefix.push(prefix[prefix.length - 1]! * k);
  const kL = sizes[L - 1]!;
  return (products) => {
    const first = new Float64Array((d * K) / kL); // T·v_L
    // scratch of beta's partial contractions (≤ d·K/k_L) and contract's (≤ K/k_1)
    const ping = new Float64Array(Math.max((d * K) / kL, K));
    const pong = new Float64Array(Math.max((d * K) / kL, K));
    const vL = new Float64Array(kL); // v_L copied out of the row (the products' operand)
    const w = new Float64Array(K); // M(u) = Tᵀ·u
    // right[l]: modes above l contracted, k_1⋯k_{l+1} entries (right[L − 1] is w itself)
    const right = sizes.map((_, l) => (l === L - 1 ? w : new Float64Array(prefix[l + 1]!)));
    let theta: Float64Array = new Float64Array(0);
    let off = 0;

    /** `out[i] = Σ_c a[i·k + c]·v[c]` for `rows` rows: mode k, the last, contracted. */
    const contractLast = (
      a: Float64Array,
      rows: number,
      k: number,
      v: number,
      out: Float64Array,
      oo: number,
    ): void => {
      for (let i = 0; i < rows; i++) {
        let s = 0;
        const base = i * k;
        for (let c = 0; c < k; c++) s += a[base + c]! * theta[v + c]!;
        out[oo + i] = s;
      }
    };

    return {
      beta(t, o, beta) {
        theta = t;
        off = o;
        for (let c = 0; c < kL; c++) vL[c] = t[o + offsets[L - 1]! + c]!;
        if (L === 1) {
          products.gemv(stacked, vL, d, kL, beta);
          return;
        }
        products.gemv(stacked, vL, (d * K) / kL, kL, first);
        let src: Float64Array = first;
        let rows = (d * K) / kL;
        for (let l = L - 2; l >= 0; l--) {
          const k = sizes[l]!;
          rows /= k;
          const dst = l === 0 ? beta : src === ping ? pong : ping;
          contractLast(src, rows, k, off + offsets[l]!, dst, 0);
          src = dst;
        }
      },
      contract(u, out, oo) {
        products.gemvT(stacked, u, d, K, w);
        for (let l = L - 1; l > 0; l--) {
          contractLast(right[l]!, prefix[l]!, sizes[l]!, off + offsets[l]!, right[l - 1]!, 0);
        }
        for (let l = 0; l < L; l++) {
          // R_l (k_1⋯k_{l+1} entries) with modes 1..l−1 contracted from the front:
          // y[r] = Σ_c v_m[c]·y[c·rest + r]
          let src: Float64Array = right[l]!;
          let rest = prefix[l + 1]!;
          for (let m = 0; m < l; m++) {
            const k = sizes[m]!;
            rest /= k;
            const dst = m === l - 1 ? null : src === ping ? pong : ping;
            const target = dst ?? out;
            const to = dst === null ? oo + offsets[l]! : 0;
            const vm = off + offsets[m]!;
            for (let r = 0; r < rest; r++) {
              let s = 0;
              for (let c = 0; c < k; c++) s += theta[vm + c]! * src[c * rest + r]!;
              target[to + r] = s;
            }
            if (dst !== null) src = dst;
          }
          if (l === 0) out.set(right[0]!, oo);
        }
      },
    };
  };
}

import type { FusedEvaluator, HostProducts } from './fused.js';
import { mulConjSpectra, mulSpectra } from './spectra.js';

/** A real-input DFT of one length, as `products.rdft` returns it. */
export type RealDft = NonNullable<HostProducts['rdft']> extends (n: number) => infer T ? T : never;

/**
 * The convolutional evaluator of fused-convolutional.ts on half spectra: filters, β and u are
 * real, so every spectrum is Hermitian and its bins `k < ⌊d/2⌋ + 1` (`rdft.bins`) determine it.
 * Same algebra (suffix products `S_l = Π_{m>l} V_m`, `β = IDFT(V_1·S_1)`, layer l gets
 * `IDFT(Û·conj(Π_{m<l} V_m)·conj(S_l))[:k_l]`), with real transforms: L + 1 for `beta`, L + 1
 * for `contract`. Products with `S_{L−1} = 1` are skipped (they are exact). Depth L ≥ 2.
 * @internal
 */
export function realEvaluator(
  rdft: RealDft,
  d: number,
  sizes: readonly number[],
  offsets: readonly number[],
): FusedEvaluator {
  const L = sizes.length;
  const h = rdft.bins;
  // spectra V_l of the padded filters, suffix products S_l for l < L − 1, scratch pairs
  const vr = sizes.map(() => new Float64Array(h));
  const vi = sizes.map(() => new Float64Array(h));
  const sr = sizes.map(() => new Float64Array(h));
  const si = sizes.map(() => new Float64Array(h));
  const pr = new Float64Array(h);
  const pi = new Float64Array(h);
  const ur = new Float64Array(h);
  const ui = new Float64Array(h);
  const pad = new Float64Array(d);
  return {
    beta(t, o, beta) {
      for (let l = 0; l < L; l++) {
        const k = sizes[l]!;
        if (k === d) {
          rdft.forward(t.subarray(o + offsets[l]!, o + offsets[l]! + d), vr[l]!, vi[l]!);
          continue;
        }
        pad.set(t.subarray(o + offsets[l]!, o + offsets[l + 1]!));
        pad.fill(0, k);
        rdft.forward(pad, vr[l]!, vi[l]!);
      }
      // S_{L−2} = V_{L−1}; then S_l = V_{l+1}·S_{l+1}, and β's spectrum V_0·S_0 into (pr, pi)
      sr[L - 2]!.set(vr[L - 1]!);
      si[L - 2]!.set(vi[L - 1]!);
      for (let l = L - 3; l >= -1; l--) {
        const ar = vr[l + 1]!;
        const ai = vi[l + 1]!;
        const br = sr[l + 1]!;
        const bi = si[l + 1]!;
        const cr = l >= 0 ? sr[l]! : pr;
        const ci = l >= 0 ? si[l]! : pi;
        mulSpectra(ar, ai, br, bi, cr, ci, h);
      }
      rdft.inverse(pr, pi, beta);
    },
    contract(u, out, oo) {
      rdft.forward(u, ur, ui);
      // ur + i·ui runs through Û·conj(Π_{m<l} V_m)
      for (let l = 0; l < L - 1; l++) {
        const br = sr[l]!;
        const bi = si[l]!;
        mulConjSpectra(ur, ui, br, bi, pr, pi, h); // (ur + i ui)·conj(br + i bi)
        if (sizes[l] === d) {
          rdft.inverse(pr, pi, out.subarray(oo + offsets[l]!, oo + offsets[l]! + d));
        } else {
          rdft.inverse(pr, pi, pad);
          out.set(pad.subarray(0, sizes[l]!), oo + offsets[l]!);
        }
        const ar = vr[l]!;
        const ai = vi[l]!;
        mulConjSpectra(ur, ui, ar, ai, ur, ui, h);
      }
      // the last layer (k_L = d): S_{L−1} = 1, straight into the output
      rdft.inverse(ur, ui, out.subarray(oo + offsets[L - 1]!, oo + offsets[L - 1]! + d));
    },
  };
}

/** A backend's workspace of half spectra, as `products.realSpectra` returns it. */
export type RealSpectra = NonNullable<
  NonNullable<HostProducts['realSpectra']> extends (n: number, s: number) => infer T ? T : never
>;

/**
 * {@link realEvaluator} on a backend's workspace of half spectra (`products.realSpectra`, slots
 * `V_0..V_{L−1}`, `S_0..S_{L−3}`, P and Û; `S_{L−2} = V_{L−1}` is the same slot): the same
 * products in the same order, so it rounds as realEvaluator on a backend whose `rdft` rounds as
 * the workspace's transforms; only real signals cross to the backend.
 * @internal
 */
export function spectraEvaluator(
  spectra: RealSpectra,
  d: number,
  sizes: readonly number[],
  offsets: readonly number[],
): FusedEvaluator {
  const L = sizes.length;
  const P = 2 * L - 1;
  const U = 2 * L;
  const S = (l: number): number => (l === L - 2 ? L - 1 : L + l);
  return {
    beta(t, o, beta) {
      for (let l = 0; l < L; l++) spectra.forward(t, o + offsets[l]!, sizes[l]!, l);
      // S_l = V_{l+1}·S_{l+1}, and β's spectrum V_0·S_0 into P
      for (let l = L - 3; l >= -1; l--) spectra.mul(l + 1, S(l + 1), l >= 0 ? S(l) : P);
      spectra.inverse(P, beta, 0, d);
    },
    contract(u, out, oo) {
      spectra.forward(u, 0, d, U);
      // Û runs through Û·conj(Π_{m<l} V_m)
      for (let l = 0; l < L - 1; l++) {
        spectra.mulConj(U, S(l), P);
        spectra.inverse(P, out, oo + offsets[l]!, sizes[l]!);
        spectra.mulConj(U, l, U);
      }
      spectra.inverse(U, out, oo + offsets[L - 1]!, d);
    },
  };
}

import { realEvaluator, spectraEvaluator } from './fused-convolutional-real.js';
import type { FusedEvaluator, HostProducts } from './fused.js';
import { mulConjSpectra, mulSpectra } from './spectra.js';

/** An in-place complex DFT of one length (`inverse` divides by the length). */
type Dft = NonNullable<HostProducts['dft']> extends (n: number) => infer T ? T : never;

/**
 * The DFT of length n by direct sums with tabulated twiddles (O(n²)): the fallback when the
 * backend offers no FFT. `X_k = Σ_j x_j e^{∓2πijk/n}`.
 */
function directDft(n: number): Dft {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const tr = new Float64Array(n);
  const ti = new Float64Array(n);
  return {
    run(re, im, inverse) {
      const sign = inverse ? 1 : -1;
      for (let k = 0; k < n; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0, w = 0; j < n; j++, w = (w + k) % n) {
          const c = cos[w]!;
          const s = sign * sin[w]!;
          sr += re[j]! * c - im[j]! * s;
          si += re[j]! * s + im[j]! * c;
        }
        tr[k] = inverse ? sr / n : sr;
        ti[k] = inverse ? si / n : si;
      }
      re.set(tr);
      im.set(ti);
    },
  };
}

/**
 * The fused evaluator of a circular convolutional network (filters `k_1..k_{L−1}`, last layer
 * `k_L = d`) in the Fourier domain. With `V_l` the DFT of the zero-padded filter `v_l`,
 * `β = IDFT(Π_l V_l)` (`β = v_1 ∗ … ∗ v_L`) and layer l gets
 * `M(u)·(v_{−l}) = IDFT(Û · conj(Π_{m≠l} V_m))[:k_l]` (the correlation of u with the other
 * filters' convolution), `Û = DFT(u)`; the products `Π_{m≠l}` come from prefix and suffix
 * products, so no spectrum is divided. `beta` costs L + 1 transforms of length d and keeps the
 * `V_l` for `contract`, which costs L + 1 more. Transforms are the backend's real-input ones
 * on half spectra when it has them (in a workspace of the backend's, `products.realSpectra`,
 * else `products.rdft`: fused-convolutional-real.ts), else its
 * complex ones (`products.dft`), else direct sums; every workspace is allocated once per
 * evaluator.
 * @internal
 */
export function fusedConvolutional(
  d: number,
  sizes: readonly number[],
): (p: HostProducts) => FusedEvaluator {
  const L = sizes.length;
  const offsets = [0];
  for (const k of sizes) offsets.push(offsets[offsets.length - 1]! + k);
  return (products) => {
    const spectra = L > 1 ? products.realSpectra?.(d, 2 * L + 1) : undefined;
    if (spectra !== undefined) return spectraEvaluator(spectra, d, sizes, offsets);
    const rdft = L > 1 ? products.rdft?.(d) : undefined;
    if (rdft !== undefined) return realEvaluator(rdft, d, sizes, offsets);
    const dft = products.dft?.(d) ?? directDft(d);
    // spectra V_l of the padded filters, suffix products S_l = Π_{m>l} V_m, one scratch pair
    const vr = sizes.map(() => new Float64Array(d));
    const vi = sizes.map(() => new Float64Array(d));
    const sr = sizes.map(() => new Float64Array(d));
    const si = sizes.map(() => new Float64Array(d));
    const pr = new Float64Array(d);
    const pi = new Float64Array(d);
    const ur = new Float64Array(d);
    const ui = new Float64Array(d);
    return {
      beta(t, o, beta) {
        if (L === 1) {
          beta.set(t.subarray(o, o + d));
          return;
        }
        for (let l = 0; l < L; l++) {
          const re = vr[l]!;
          re.set(t.subarray(o + offsets[l]!, o + offsets[l + 1]!));
          re.fill(0, sizes[l]!);
          vi[l]!.fill(0);
          dft.run(re, vi[l]!, false);
        }
        // suffix products, then β's spectrum S_{−1} = V_0·S_0 into the scratch pair
        sr[L - 1]!.fill(1);
        si[L - 1]!.fill(0);
        for (let l = L - 2; l >= -1; l--) {
          const ar = vr[l + 1]!;
          const ai = vi[l + 1]!;
          const br = sr[l + 1]!;
          const bi = si[l + 1]!;
          const cr = l >= 0 ? sr[l]! : pr;
          const ci = l >= 0 ? si[l]! : pi;
          mulSpectra(ar, ai, br, bi, cr, ci, d);
        }
        dft.run(pr, pi, true);
        beta.set(pr);
      },
      contract(u, out, oo) {
        if (L === 1) {
          out.set(u.subarray(0, d), oo);
          return;
        }
        ur.set(u.subarray(0, d));
        ui.fill(0);
        dft.run(ur, ui, false);
        // ur + i·ui runs through Û·conj(Π_{m<l} V_m)
        for (let l = 0; l < L; l++) {
          const br = sr[l]!;
          const bi = si[l]!;
          mulConjSpectra(ur, ui, br, bi, pr, pi, d); // (ur + i ui)·conj(br + i bi)
          dft.run(pr, pi, true);
          out.set(pr.subarray(0, sizes[l]!), oo + offsets[l]!);
          if (l === L - 1) break;
          const ar = vr[l]!;
          const ai = vi[l]!;
          mulConjSpectra(ur, ui, ar, ai, ur, ui, d);
        }
      },
    };
  };
}

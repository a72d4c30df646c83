/**
 * Real-input DFTs: the half spectrum `X_0..X_{⌊n/2⌋}` of a real signal (the rest follows from
 * `X_{n−k} = conj(X_k)`) and back. For even n the n real samples are packed into one complex
 * signal `z_j = x_{2j} + i·x_{2j+1}` of length h = n/2 and transformed by {@link dft}(h); the
 * spectra of the even and odd samples, `E_k = (Z_k + conj Z_{h−k})/2` and
 * `O_k = (Z_k − conj Z_{h−k})/(2i)`, give `X_k = E_k + e^{−2πik/n}·O_k` (the inverse runs these
 * steps backwards). Odd n goes through the complex transform of length n.
 */
import { dft } from './fft.js';
import type { Dft } from './fft.js';

/** A real-input transform of one length, reused across rows. */
export interface RealDft {
  /** The signal length n. */
  readonly n: number;
  /** The number of spectrum bins kept, `⌊n/2⌋ + 1`. */
  readonly bins: number;
  /**
   * `X_k = Σ_j x_j e^{−2πijk/n}` for `k < bins` from the real `x[0..n)` into `re`, `im`
   * (`im` is exactly 0 at k = 0, and at k = n/2 for even n). `x` is not modified.
   */
  forward(x: Float64Array, re: Float64Array, im: Float64Array): void;
  /**
   * The real signal `x_j = (1/n)·Σ_{k<n} X_k e^{2πijk/n}` of the Hermitian spectrum
   * `X_{n−k} = conj(X_k)` given by its bins `re[k] + i·im[k]`, `k < bins`, into `x[0..n)`.
   * The imaginary parts at k = 0 (and k = n/2 for even n) are taken as 0; `re`, `im` are not
   * modified.
   */
  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void;
}

/** Even n: the packing into a complex transform of length n/2. */
function packed(n: number): RealDft {
  const h = n / 2;
  const inner: Dft = dft(h);
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  // w_k = e^{−2πik/n}, k ≤ h
  const wr = new Float64Array(h + 1);
  const wi = new Float64Array(h + 1);
  const s = 0.5 / h;
  for (let k = 0; k <= h; k++) {
    wr[k] = Math.cos((2 * Math.PI * k) / n);
    wi[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  if (h % 2 === 0) {
    // w_{h/2} = −i exactly, so that the middle bin pairs with itself exactly
    wr[h / 2] = 0;
    wi[h / 2] = -1;
  }
  return {
    n,
    bins: h + 1,
    forward(x, re, im) {
      for (let j = 0; j < h; j++) {
        zr[j] = x[2 * j]!;
        zi[j] = x[2 * j + 1]!;
      }
      inner.run(zr, zi, false);
      re[0] = zr[0]! + zi[0]!;
      im[0] = 0;
      re[h] = zr[0]! - zi[0]!;
      im[h] = 0;
      // k and h − k together: X_{h−k} = conj(E_k − w_k·O_k) (E, O Hermitian, w_{h−k} = −conj w_k)
      for (let k = 1, q = h - 1; k <= q; k++, q--) {
        const ar = zr[k]!;
        const ai = zi[k]!;
        const br = zr[q]!;
        const bi = -zi[q]!; // conj Z_{h−k}
        const er = 0.5 * (ar + br);
        const ei = 0.5 * (ai + bi);
        // O = (Z_k − conj Z_{h−k})/(2i) = (d_i − i·d_r)/2 with d = Z_k − conj Z_{h−k}
        const or = 0.5 * (ai - bi);
        const oi = -0.5 * (ar - br);
        const tr = wr[k]! * or - wi[k]! * oi;
        const ti = wr[k]! * oi + wi[k]! * or;
        re[k] = er + tr;
        im[k] = ei + ti;
        re[q] = er - tr;
        im[q] = ti - ei;
      }
    },
    inverse(re, im, x) {
      // E_k = (X_k + conj X_{h−k})/2, O_k = (X_k − conj X_{h−k})·conj(w_k)/2, Z = E + i·O;
      // k and h − k together: E_{h−k} = conj E_k, O_{h−k} = conj O_k; the inverse's 1/h comes
      // first (s = 1/(2h)), so that the transform back runs unscaled
      const a0 = re[0]!;
      const b0 = re[h]!;
      zr[0] = s * (a0 + b0);
      zi[0] = s * (a0 - b0);
      for (let k = 1, q = h - 1; k <= q; k++, q--) {
        const ar = re[k]!;
        const ai = im[k]!;
        const br = re[q]!;
        const bi = -im[q]!;
        const er = s * (ar + br);
        const ei = s * (ai + bi);
        const dr = s * (ar - br);
        const di = s * (ai - bi);
        // O_k = d·conj(w_k)
        const or = dr * wr[k]! + di * wi[k]!;
        const oi = di * wr[k]! - dr * wi[k]!;
        zr[k] = er - oi;
        zi[k] = ei + or;
        zr[q] = er + oi; // conj E_k + i·conj O_k
        zi[q] = or - ei;
      }
      // the unscaled inverse: the forward transform with real and imaginary parts swapped
      inner.run(zi, zr, false);
      for (let j = 0; j < h; j++) {
        x[2 * j] = zr[j]!;
        x[2 * j + 1] = zi[j]!;
      }
    },
  };
}

/** Odd n: the complex transform of the real signal, or of the Hermitian extension. */
function full(n: number): RealDft {
  const inner: Dft = dft(n);
  const bins = (n - 1) / 2 + 1;
  const zr = new Float64Array(n);
  const zi = new Float64Array(n);
  return {
    n,
    bins,
    forward(x, re, im) {
      zr.set(x.subarray(0, n));
      zi.fill(0);
      inner.run(zr, zi, false);
      re.set(zr.subarray(0, bins));
      im.set(zi.subarray(0, bins));
      im[0] = 0;
    },
    inverse(re, im, x) {
      zr[0] = re[0]!;
      zi[0] = 0;
      for (let k = 1; k < bins; k++) {
        zr[k] = zr[n - k] = re[k]!;
        zi[k] = im[k]!;
        zi[n - k] = -im[k]!;
      }
      inner.run(zr, zi, true);
      x.set(zr.subarray(0, n));
    },
  };
}

const plans = new Map<number, RealDft>();

/**
 * The (cached) real-input transform of length `n ≥ 1` (see the module comment). A plan keeps
 * workspaces: `forward` and `inverse` allocate nothing, and one plan serves one caller at a
 * time (calls are synchronous).
 */
export function rdft(n: number): RealDft {
  let p = plans.get(n);
  if (p === undefined) {
    p = n % 2 === 0 ? packed(n) : full(n);
    if (plans.size > 64) plans.clear();
    plans.set(n, p);
  }
  return p;
}

/**
 * Complex discrete Fourier transforms of any length in float64: the mixed-radix Stockham FFT
 * (fft-mixed.ts: radices 4, 2, 3, 5 and odd primes up to {@link MAX_DIRECT_PRIME}) for lengths
 * without a larger prime factor, Bluestein's chirp-z algorithm through such a transform
 * otherwise. Twiddle factors come from `Math.cos`/`Math.sin` directly (no recurrences), so the
 * error grows like `ε·log n`. Real input: {@link rdft} (fft-real.ts).
 */
import { MAX_DIRECT_PRIME, MixedRadix, isSmooth } from './fft-mixed.js';

export { MAX_DIRECT_PRIME };

/** A transform of one length, reused across rows. */
export interface Dft {
  /** The transform length. */
  readonly n: number;
  /** In place: `X_k = Σ_j x_j e^{∓2πijk/n}` (minus sign forward; inverse also divides by n). */
  run(re: Float64Array, im: Float64Array, inverse: boolean): void;
}

/** The mixed-radix transform as a {@link Dft}: the inverse swaps real and imaginary parts. */
function mixed(n: number): Dft {
  const t = new MixedRadix(n);
  return {
    n,
    run(re, im, inverse) {
      if (!inverse) {
        t.forward(re, im);
        return;
      }
      // conj(DFT(conj x)) = n·IDFT(x), and swapping parts is conj(i·z): the swaps cancel
      t.forward(im, re);
      const s = 1 / n;
      for (let i = 0; i < n; i++) {
        re[i]! *= s;
        im[i]! *= s;
      }
    },
  };
}

/** The smallest m ≥ n whose prime factors are 2, 3 and 5. */
function smoothAtLeast(n: number): number {
  for (let m = n; ; m++) {
    let r = m;
    for (const p of [2, 3, 5]) while (r % p === 0) r /= p;
    if (r === 1) return m;
  }
}

function bluestein(n: number): Dft {
  const m = smoothAtLeast(2 * n - 1);
  const inner = new MixedRadix(m);
  // chirp w_k = e^{−iπk²/n}; k² mod 2n keeps the angle small and exact
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(angle);
    ci[k] = -Math.sin(angle);
  }
  // DFT of the conjugate chirp, wrapped around to length m, divided by m for the inverse
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    br[k] = cr[k]!;
    bi[k] = -ci[k]!;
    if (k > 0) {
      br[m - k] = cr[k]!;
      bi[m - k] = -ci[k]!;
    }
  }
  inner.forward(br, bi);
  for (let k = 0; k < m; k++) {
    br[k]! /= m;
    bi[k]! /= m;
  }
  const ur = new Float64Array(m);
  const ui = new Float64Array(m);
  return {
    n,
    run(re, im, inverse) {
      // the inverse is the conjugate of the forward transform of the conjugate, over n
      const s = inverse ? -1 : 1;
      ur.fill(0);
      ui.fill(0);
      for (let k = 0; k < n; k++) {
        const xr = re[k]!;
        const xi = s * im[k]!;
        ur[k] = xr * cr[k]! - xi * ci[k]!;
        ui[k] = xr * ci[k]! + xi * cr[k]!;
      }
      inner.forward(ur, ui);
      // times the chirp's spectrum, then conjugated: the next forward transform is the inverse
      for (let k = 0; k < m; k++) {
        const xr = ur[k]! * br[k]! - ui[k]! * bi[k]!;
        ui[k] = -(ur[k]! * bi[k]! + ui[k]! * br[k]!);
        ur[k] = xr;
      }
      inner.forward(ur, ui);
      const scale = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        const yr = ur[k]!;
        const yi = -ui[k]!;
        re[k] = (yr * cr[k]! - yi * ci[k]!) * scale;
        im[k] = s * (yr * ci[k]! + yi * cr[k]!) * scale;
      }
    },
  };
}

const plans = new Map<number, Dft>();

/**
 * The (cached) transform of length `n ≥ 1`: mixed radix when every prime factor of n is at
 * most {@link MAX_DIRECT_PRIME}, else Bluestein's algorithm through a mixed-radix transform of
 * the smallest 5-smooth length `≥ 2n − 1`. A plan keeps workspaces: `run` allocates nothing,
 * and one plan serves one caller at a time (calls are synchronous).
 */
export function dft(n: number): Dft {
  let p = plans.get(n);
  if (p === undefined) {
    p = isSmooth(n) ? mixed(n) : bluestein(n);
    if (plans.size > 64) plans.clear();
    plans.set(n, p);
  }
  return p;
}

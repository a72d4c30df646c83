/**
 * Complex discrete Fourier transforms of any length in float64: iterative radix-2 for powers
 * of two, Bluestein's chirp-z algorithm (through a power-of-two transform) otherwise.
 * Twiddle factors come from `Math.cos`/`Math.sin` directly (no recurrences), so the error
 * grows like `ε·log n`.
 */

/** A transform of one length, reused across rows. */
export interface Dft {
  /** The transform length. */
  readonly n: number;
  /** In place: `X_k = Σ_j x_j e^{∓2πijk/n}` (minus sign forward; inverse also divides by n). */
  run(re: Float64Array, im: Float64Array, inverse: boolean): void;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function radix2(n: number): Dft {
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  return {
    n,
    run(re, im, inverse) {
      for (let i = 0; i < n; i++) {
        const j = rev[i]!;
        if (j > i) {
          const tr = re[i]!;
          re[i] = re[j]!;
          re[j] = tr;
          const ti = im[i]!;
          im[i] = im[j]!;
          im[j] = ti;
        }
      }
      const sign = inverse ? 1 : -1;
      for (let size = 2; size <= n; size *= 2) {
        const half = size / 2;
        const step = n / size;
        for (let start = 0; start < n; start += size) {
          for (let k = 0; k < half; k++) {
            const wr = cos[k * step]!;
            const wi = sign * sin[k * step]!;
            const p = start + k;
            const q = p + half;
            const xr = re[q]! * wr - im[q]! * wi;
            const xi = re[q]! * wi + im[q]! * wr;
            re[q] = re[p]! - xr;
            im[q] = im[p]! - xi;
            re[p]! += xr;
            im[p]! += xi;
          }
        }
      }
      if (inverse) {
        for (let i = 0; i < n; i++) {
          re[i]! /= n;
          im[i]! /= n;
        }
      }
    },
  };
}

function bluestein(n: number): Dft {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = radix2(m);
  // chirp w_k = e^{−iπk²/n}; k² mod 2n keeps the angle small and exact
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    cr[k] = Math.cos(angle);
    ci[k] = -Math.sin(angle);
  }
  // FFT of the conjugate chirp, wrapped around to length m
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
  inner.run(br, bi, false);
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
      inner.run(ur, ui, false);
      for (let k = 0; k < m; k++) {
        const xr = ur[k]! * br[k]! - ui[k]! * bi[k]!;
        ui[k] = ur[k]! * bi[k]! + ui[k]! * br[k]!;
        ur[k] = xr;
      }
      inner.run(ur, ui, true);
      const scale = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        const xr = ur[k]! * cr[k]! - ui[k]! * ci[k]!;
        const xi = ur[k]! * ci[k]! + ui[k]! * cr[k]!;
        re[k] = xr * scale;
        im[k] = s * xi * scale;
      }
    },
  };
}

const plans = new Map<number, Dft>();

/** The (cached) transform of length `n ≥ 1`. */
export function dft(n: number): Dft {
  let p = plans.get(n);
  if (p === undefined) {
    p = isPowerOfTwo(n) ? radix2(n) : bluestein(n);
    if (plans.size > 64) plans.clear();
    plans.set(n, p);
  }
  return p;
}

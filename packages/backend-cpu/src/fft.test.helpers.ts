/**
 * Test oracles of the FFT tests (fft.test.ts, fft-real.test.ts): the compensated direct DFT and
 * the error bound of a computed transform.
 */
import { MAX_DIRECT_PRIME } from './fft.js';
import { factorize } from './fft-mixed.js';

/** The unit roundoff of float64. */
export const U = 2 ** -53;

/** Dekker's exact product: `a·b = p + e`. */
function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  const split = (x: number): [number, number] => {
    const c = 134217729 * x; // 2^27 + 1
    const hi = c - (c - x);
    return [hi, x - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, al * bl - (p - ah * bh - al * bh - ah * bl)];
}

/**
 * The oracle: the O(n²) definition `X_k = Σ_j x_j e^{∓2πijk/n}` summed in doubled precision
 * (Ogita–Rump–Oishi Dot2: exact products and TwoSum), with the angle reduced exactly
 * (`jk mod n`). Its error is the twiddles' rounding, at most about `2u·‖x‖₁ ≤ 2u·√n·‖x‖₂`.
 */
export function referenceDft(
  re: Float64Array,
  im: Float64Array,
  inverse = false,
): [Float64Array, Float64Array] {
  const n = re.length;
  const cos = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * t) / n));
  const sin = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / n));
  const sign = inverse ? 1 : -1;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const acc = [0, 0, 0, 0]; // re sum, re error, im sum, im error
    const add = (slot: number, [p, e]: [number, number]) => {
      const s = acc[slot]! + p;
      const bb = s - acc[slot]!;
      acc[slot + 1]! += acc[slot]! - (s - bb) + (p - bb) + e;
      acc[slot] = s;
    };
    for (let j = 0; j < n; j++) {
      const t = (j * k) % n;
      const c = cos[t]!;
      const s = sign * sin[t]!;
      add(0, twoProd(re[j]!, c));
      add(0, twoProd(-im[j]!, s));
      add(2, twoProd(re[j]!, s));
      add(2, twoProd(im[j]!, c));
    }
    or[k] = (acc[0]! + acc[1]!) / (inverse ? n : 1);
    oi[k] = (acc[2]! + acc[3]!) / (inverse ? n : 1);
  }
  return [or, oi];
}

/**
 * The bound `c(n)·u·log₂n·‖y‖₂` of a computed FFT in the 2-norm, `‖y‖₂ = √n·‖x‖₂` (Higham,
 * Accuracy and Stability, Thm 24.2, for radix 2: `log₂n·(μ + γ₄(√2 + μ))`, μ the twiddles'
 * error, c ≈ 7). A stage of radix p by direct sums is off by about `(γ_{p+3}·√p + 3u)·‖y‖₂`, per
 * bit of log₂p at most 9u for p ≤ 5 and 39u for p ≤ 31: c = 9 for 5-smooth n, c = 39 when a
 * prime factor 7..31 occurs. Bluestein's algorithm takes three transforms of length m < 4n (and
 * the chirp's spectrum, one more) plus products with unimodular chirps: c·log₂n becomes
 * `4·9·(log₂n + 2) + 8`. Entries are bounded by the 2-norm.
 */
export function fftBound(n: number): number {
  const lg = Math.max(1, Math.log2(n));
  const primes = factorize(n);
  const largest = Math.max(1, ...primes);
  if (largest > MAX_DIRECT_PRIME) return 4 * 9 * (lg + 2) + 8;
  return (largest <= 5 ? 9 : 39) * lg;
}

/**
 * The real path's bound: the complex transform of length h = n/2 (fftBound(h)·u·√h·‖x‖₂ per
 * entry of Z) enters each bin through Z_k and Z_{h−k}, plus the twiddle product and halvings
 * (8u·‖Z‖∞ ≤ 8u·√h·‖x‖₂); odd n is the complex transform itself.
 */
export function realBound(n: number): number {
  if (n % 2 === 1) return fftBound(n) * Math.sqrt(n);
  const h = n / 2;
  return (2 * fftBound(h) + 8) * Math.sqrt(h);
}

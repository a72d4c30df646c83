/**
 * The mixed-radix Stockham FFT: lengths whose prime factors are all at most
 * {@link MAX_DIRECT_PRIME}, in stages of radix 4, 2, 3, 5 (hand-written butterflies) and other
 * odd primes (a generic butterfly pairing `q` with `p − q`). Out of place, ping-ponging
 * between two scratch pairs, so no reordering pass is needed (self-sorting).
 *
 * Stage s of radix p, after earlier radices of product L (`L' = L·p`, `r' = n / L'`), maps
 * `Y[j·r + k]`, the DFT of length L of the stride-`r` subsequence starting at k (`r = p·r'`),
 * to `Y'[(j + L·m)·r' + k'] = Σ_{q<p} ω_p^{qm} · ω_{L'}^{qj} · Y[j·r + q·r' + k']` (decimation
 * in time): the twiddles `ω_{L'}^{qj}` come from `Math.cos`/`Math.sin` of the exactly reduced
 * angle `2π·(qj mod L')/L'`, and the innermost loop runs over the contiguous `k' < r'`.
 */

import { radix2, radix3, radix4, radix5, radixOdd } from './fft-radix.js';

/** Largest prime factor handled by a direct butterfly; longer prime factors use Bluestein. */
export const MAX_DIRECT_PRIME = 31;

/** The radices of n in the order the stages use them (4s, a 2, 3s, 5s, larger primes). */
export function factorize(n: number): number[] {
  const out: number[] = [];
  let m = n;
  while (m % 4 === 0) {
    out.push(4);
    m /= 4;
  }
  if (m % 2 === 0) {
    out.push(2);
    m /= 2;
  }
  for (let p = 3; p * p <= m; p += 2) {
    while (m % p === 0) {
      out.push(p);
      m /= p;
    }
  }
  if (m > 1) out.push(m);
  return out.sort((a, b) => rank(a) - rank(b));
}

const rank = (p: number): number => (p === 4 ? 0 : p === 2 ? 1 : p);

/** True when every prime factor of n is at most {@link MAX_DIRECT_PRIME}. */
export function isSmooth(n: number): boolean {
  return factorize(n).every((p) => p <= MAX_DIRECT_PRIME);
}

/** One stage: its radix, the product L of earlier radices, and where its twiddles start. */
interface Stage {
  readonly p: number;
  readonly L: number;
  readonly rr: number;
  readonly tw: number;
}

/** A forward transform of one smooth length (see the module comment), allocation-free. */
export class MixedRadix {
  /** The transform length. */
  readonly n: number;
  private readonly stages: Stage[];
  private readonly twr: Float64Array;
  private readonly twi: Float64Array;
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;
  private readonly br: Float64Array;
  private readonly bi: Float64Array;
  /** Per generic radix: cos/sin of `2πt/p`, and a scratch pair of length p. */
  private readonly gen: Map<number, Float64Array[]>;

  constructor(n: number) {
    this.n = n;
    const stages: Stage[] = [];
    let L = 1;
    let tw = 0;
    for (const p of factorize(n)) {
      stages.push({ p, L, rr: n / (L * p), tw });
      tw += L * (p - 1);
      L *= p;
    }
    this.stages = stages;
    this.twr = new Float64Array(tw);
    this.twi = new Float64Array(tw);
    for (const { p, L: l, tw: o } of stages) {
      const lp = l * p;
      for (let j = 0; j < l; j++) {
        for (let q = 1; q < p; q++) {
          const angle = (2 * Math.PI * ((q * j) % lp)) / lp;
          this.twr[o + j * (p - 1) + q - 1] = Math.cos(angle);
          this.twi[o + j * (p - 1) + q - 1] = -Math.sin(angle);
        }
      }
    }
    this.ar = new Float64Array(n);
    this.ai = new Float64Array(n);
    this.br = new Float64Array(n);
    this.bi = new Float64Array(n);
    this.gen = new Map();
    for (const { p } of stages) {
      if (p <= 5 || this.gen.has(p)) continue;
      const c = new Float64Array(p);
      const s = new Float64Array(p);
      for (let t = 0; t < p; t++) {
        c[t] = Math.cos((2 * Math.PI * t) / p);
        s[t] = Math.sin((2 * Math.PI * t) / p);
      }
      this.gen.set(p, [c, s, new Float64Array(p), new Float64Array(p)]);
    }
  }

  /** In place: `X_k = Σ_j x_j e^{−2πijk/n}` (unscaled; the inverse swaps re and im). */
  forward(re: Float64Array, im: Float64Array): void {
    const st = this.stages;
    const s = st.length;
    if (s === 0) return; // n = 1
    let ir = re;
    let ii = im;
    if (s === 1) {
      this.ar.set(re.subarray(0, this.n));
      this.ai.set(im.subarray(0, this.n));
      ir = this.ar;
      ii = this.ai;
    }
    for (let i = 0; i < s; i++) {
      const last = i === s - 1;
      const useA = ir !== this.ar;
      const or = last ? re : useA ? this.ar : this.br;
      const oi = last ? im : useA ? this.ai : this.bi;
      const { p, L, rr, tw } = st[i]!;
      if (p === 4) radix4(ir, ii, or, oi, L, rr, this.twr, this.twi, tw);
      else if (p === 2) radix2(ir, ii, or, oi, L, rr, this.twr, this.twi, tw);
      else if (p === 3) radix3(ir, ii, or, oi, L, rr, this.twr, this.twi, tw);
      else if (p === 5) radix5(ir, ii, or, oi, L, rr, this.twr, this.twi, tw);
      else radixOdd(p, this.gen.get(p)!, ir, ii, or, oi, L, rr, this.twr, this.twi, tw);
      ir = or;
      ii = oi;
    }
  }
}

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

function radix2(
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  L: number,
  rr: number,
  twr: Float64Array,
  twi: Float64Array,
  tw: number,
): void {
  for (let j = 0; j < L; j++) {
    const w1r = twr[tw + j]!;
    const w1i = twi[tw + j]!;
    const i0 = 2 * j * rr;
    const i1 = i0 + rr;
    const o0 = j * rr;
    const o1 = o0 + L * rr;
    for (let k = 0; k < rr; k++) {
      const xr = ir[i1 + k]!;
      const xi = ii[i1 + k]!;
      const br = xr * w1r - xi * w1i;
      const bi = xr * w1i + xi * w1r;
      const ar = ir[i0 + k]!;
      const ai = ii[i0 + k]!;
      or[o0 + k] = ar + br;
      oi[o0 + k] = ai + bi;
      or[o1 + k] = ar - br;
      oi[o1 + k] = ai - bi;
    }
  }
}

function radix4(
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  L: number,
  rr: number,
  twr: Float64Array,
  twi: Float64Array,
  tw: number,
): void {
  const os = L * rr;
  for (let j = 0; j < L; j++) {
    const t = tw + 3 * j;
    const w1r = twr[t]!;
    const w1i = twi[t]!;
    const w2r = twr[t + 1]!;
    const w2i = twi[t + 1]!;
    const w3r = twr[t + 2]!;
    const w3i = twi[t + 2]!;
    const i0 = 4 * j * rr;
    const o0 = j * rr;
    for (let k = 0; k < rr; k++) {
      const a = i0 + k;
      const a0r = ir[a]!;
      const a0i = ii[a]!;
      let xr = ir[a + rr]!;
      let xi = ii[a + rr]!;
      const a1r = xr * w1r - xi * w1i;
      const a1i = xr * w1i + xi * w1r;
      xr = ir[a + 2 * rr]!;
      xi = ii[a + 2 * rr]!;
      const a2r = xr * w2r - xi * w2i;
      const a2i = xr * w2i + xi * w2r;
      xr = ir[a + 3 * rr]!;
      xi = ii[a + 3 * rr]!;
      const a3r = xr * w3r - xi * w3i;
      const a3i = xr * w3i + xi * w3r;
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      const o = o0 + k;
      or[o] = t0r + t2r;
      oi[o] = t0i + t2i;
      or[o + os] = t1r + t3i; // t1 − i·t3
      oi[o + os] = t1i - t3r;
      or[o + 2 * os] = t0r - t2r;
      oi[o + 2 * os] = t0i - t2i;
      or[o + 3 * os] = t1r - t3i; // t1 + i·t3
      oi[o + 3 * os] = t1i + t3r;
    }
  }
}

const C3 = Math.sqrt(3) / 2;

function radix3(
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  L: number,
  rr: number,
  twr: Float64Array,
  twi: Float64Array,
  tw: number,
): void {
  const os = L * rr;
  for (let j = 0; j < L; j++) {
    const t = tw + 2 * j;
    const w1r = twr[t]!;
    const w1i = twi[t]!;
    const w2r = twr[t + 1]!;
    const w2i = twi[t + 1]!;
    const i0 = 3 * j * rr;
    const o0 = j * rr;
    for (let k = 0; k < rr; k++) {
      const a = i0 + k;
      const a0r = ir[a]!;
      const a0i = ii[a]!;
      let xr = ir[a + rr]!;
      let xi = ii[a + rr]!;
      const a1r = xr * w1r - xi * w1i;
      const a1i = xr * w1i + xi * w1r;
      xr = ir[a + 2 * rr]!;
      xi = ii[a + 2 * rr]!;
      const a2r = xr * w2r - xi * w2i;
      const a2i = xr * w2i + xi * w2r;
      const sr = a1r + a2r;
      const si = a1i + a2i;
      const dr = C3 * (a1r - a2r);
      const di = C3 * (a1i - a2i);
      const mr = a0r - 0.5 * sr;
      const mi = a0i - 0.5 * si;
      const o = o0 + k;
      or[o] = a0r + sr;
      oi[o] = a0i + si;
      or[o + os] = mr + di; // m − i·c·(a1 − a2)
      oi[o + os] = mi - dr;
      or[o + 2 * os] = mr - di;
      oi[o + 2 * os] = mi + dr;
    }
  }
}

const C51 = Math.cos((2 * Math.PI) / 5);
const C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

function radix5(
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  L: number,
  rr: number,
  twr: Float64Array,
  twi: Float64Array,
  tw: number,
): void {
  const os = L * rr;
  for (let j = 0; j < L; j++) {
    const t = tw + 4 * j;
    const w1r = twr[t]!;
    const w1i = twi[t]!;
    const w2r = twr[t + 1]!;
    const w2i = twi[t + 1]!;
    const w3r = twr[t + 2]!;
    const w3i = twi[t + 2]!;
    const w4r = twr[t + 3]!;
    const w4i = twi[t + 3]!;
    const i0 = 5 * j * rr;
    const o0 = j * rr;
    for (let k = 0; k < rr; k++) {
      const a = i0 + k;
      const a0r = ir[a]!;
      const a0i = ii[a]!;
      let xr = ir[a + rr]!;
      let xi = ii[a + rr]!;
      const a1r = xr * w1r - xi * w1i;
      const a1i = xr * w1i + xi * w1r;
      xr = ir[a + 2 * rr]!;
      xi = ii[a + 2 * rr]!;
      const a2r = xr * w2r - xi * w2i;
      const a2i = xr * w2i + xi * w2r;
      xr = ir[a + 3 * rr]!;
      xi = ii[a + 3 * rr]!;
      const a3r = xr * w3r - xi * w3i;
      const a3i = xr * w3i + xi * w3r;
      xr = ir[a + 4 * rr]!;
      xi = ii[a + 4 * rr]!;
      const a4r = xr * w4r - xi * w4i;
      const a4i = xr * w4i + xi * w4r;
      const b1r = a1r + a4r;
      const b1i = a1i + a4i;
      const b2r = a2r + a3r;
      const b2i = a2i + a3i;
      const d1r = a1r - a4r;
      const d1i = a1i - a4i;
      const d2r = a2r - a3r;
      const d2i = a2i - a3i;
      const m1r = a0r + C51 * b1r + C52 * b2r;
      const m1i = a0i + C51 * b1i + C52 * b2i;
      const m2r = a0r + C52 * b1r + C51 * b2r;
      const m2i = a0i + C52 * b1i + C51 * b2i;
      const n1r = S51 * d1r + S52 * d2r;
      const n1i = S51 * d1i + S52 * d2i;
      const n2r = S52 * d1r - S51 * d2r;
      const n2i = S52 * d1i - S51 * d2i;
      const o = o0 + k;
      or[o] = a0r + b1r + b2r;
      oi[o] = a0i + b1i + b2i;
      or[o + os] = m1r + n1i; // m1 − i·n1
      oi[o + os] = m1i - n1r;
      or[o + 4 * os] = m1r - n1i;
      oi[o + 4 * os] = m1i + n1r;
      or[o + 2 * os] = m2r + n2i; // m2 − i·n2
      oi[o + 2 * os] = m2i - n2r;
      or[o + 3 * os] = m2r - n2i;
      oi[o + 3 * os] = m2i + n2r;
    }
  }
}

/**
 * A generic odd prime radix p: `y_m = a_0 + Σ_{q ≤ (p−1)/2} cos θ_{qm}·(a_q + a_{p−q})
 * ∓ i·sin θ_{qm}·(a_q − a_{p−q})`, `θ_{qm} = 2π(qm mod p)/p`, the minus sign for m, the plus
 * sign for p − m.
 */
function radixOdd(
  p: number,
  tables: Float64Array[],
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  L: number,
  rr: number,
  twr: Float64Array,
  twi: Float64Array,
  tw: number,
): void {
  const cs = tables[0]!;
  const sn = tables[1]!;
  const xr = tables[2]!;
  const xi = tables[3]!;
  const os = L * rr;
  const h = (p - 1) / 2;
  for (let j = 0; j < L; j++) {
    const t = tw + (p - 1) * j;
    const i0 = p * j * rr;
    const o0 = j * rr;
    for (let k = 0; k < rr; k++) {
      const a = i0 + k;
      let y0r = (xr[0] = ir[a]!);
      let y0i = (xi[0] = ii[a]!);
      for (let q = 1; q < p; q++) {
        const vr = ir[a + q * rr]!;
        const vi = ii[a + q * rr]!;
        const wr = twr[t + q - 1]!;
        const wi = twi[t + q - 1]!;
        y0r += xr[q] = vr * wr - vi * wi;
        y0i += xi[q] = vr * wi + vi * wr;
      }
      const o = o0 + k;
      or[o] = y0r;
      oi[o] = y0i;
      for (let m = 1; m <= h; m++) {
        let sr = xr[0]!;
        let si = xi[0]!;
        let ur = 0;
        let ui = 0;
        for (let q = 1, e = m; q <= h; q++, e = (e + m) % p) {
          const c = cs[e]!;
          const s = sn[e]!;
          sr += c * (xr[q]! + xr[p - q]!);
          si += c * (xi[q]! + xi[p - q]!);
          ur += s * (xr[q]! - xr[p - q]!);
          ui += s * (xi[q]! - xi[p - q]!);
        }
        or[o + m * os] = sr + ui;
        oi[o + m * os] = si - ur;
        or[o + (p - m) * os] = sr - ui;
        oi[o + (p - m) * os] = si + ur;
      }
    }
  }
}

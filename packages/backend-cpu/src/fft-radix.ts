/**
 * The butterflies of the mixed-radix Stockham FFT (fft-mixed.ts), one function per radix.
 * Each runs one stage: for `j < L` and `k' < r'` (`rr`), it reads `p` inputs at
 * `in[(p·j + q)·r' + k']`, multiplies input q by the twiddle `ω_{L·p}^{qj}` (tables `twr`, `twi`
 * from offset `tw`, `p − 1` per j), and writes the p-point DFT to `out[(j + L·m)·r' + k']`.
 */

/** The radix-2 stage. */
export function radix2(
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
  for (let k = 0; k < rr; k++) {
    // j = 0: the twiddle is 1
    const ar = ir[k]!;
    const ai = ii[k]!;
    const br = ir[k + rr]!;
    const bi = ii[k + rr]!;
    or[k] = ar + br;
    oi[k] = ai + bi;
    or[k + L * rr] = ar - br;
    oi[k + L * rr] = ai - bi;
  }
  for (let j = 1; j < L; j++) {
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

/** The radix-4 stage (`ω_4 = −i`: no multiplications in the butterfly). */
export function radix4(
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
  radix4Untwiddled(ir, ii, or, oi, rr, os);
  for (let j = 1; j < L; j++) {
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

/** The butterflies of j = 0 in a radix-4 stage, whose twiddles are 1 (the first stage: all). */
function radix4Untwiddled(
  ir: Float64Array,
  ii: Float64Array,
  or: Float64Array,
  oi: Float64Array,
  rr: number,
  os: number,
): void {
  for (let k = 0; k < rr; k++) {
    const a0r = ir[k]!;
    const a0i = ii[k]!;
    const a1r = ir[k + rr]!;
    const a1i = ii[k + rr]!;
    const a2r = ir[k + 2 * rr]!;
    const a2i = ii[k + 2 * rr]!;
    const a3r = ir[k + 3 * rr]!;
    const a3i = ii[k + 3 * rr]!;
    const t0r = a0r + a2r;
    const t0i = a0i + a2i;
    const t1r = a0r - a2r;
    const t1i = a0i - a2i;
    const t2r = a1r + a3r;
    const t2i = a1i + a3i;
    const t3r = a1r - a3r;
    const t3i = a1i - a3i;
    or[k] = t0r + t2r;
    oi[k] = t0i + t2i;
    or[k + os] = t1r + t3i;
    oi[k + os] = t1i - t3r;
    or[k + 2 * os] = t0r - t2r;
    oi[k + 2 * os] = t0i - t2i;
    or[k + 3 * os] = t1r - t3i;
    oi[k + 3 * os] = t1i + t3r;
  }
}

const C3 = Math.sqrt(3) / 2;

/** The radix-3 stage. */
export function radix3(
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

/** `(cos(2π/5) − cos(4π/5))/2 = √5/4`. */
const C5D = Math.sqrt(5) / 4;
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

/** The radix-5 stage (`cos 2π/5 + cos 4π/5 = −1/2`, `cos 2π/5 − cos 4π/5 = √5/2`). */
export function radix5(
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
      // a0 + c1·b1 + c2·b2 and a0 + c2·b1 + c1·b2 as a0 + (c1 + c2)/2·t ± (c1 − c2)/2·(b1 − b2),
      // t = b1 + b2, where (c1 + c2)/2 = −1/4 exactly
      const tr = b1r + b2r;
      const ti = b1i + b2i;
      const sr = a0r - 0.25 * tr;
      const si = a0i - 0.25 * ti;
      const er = C5D * (b1r - b2r);
      const ei = C5D * (b1i - b2i);
      const m1r = sr + er;
      const m1i = si + ei;
      const m2r = sr - er;
      const m2i = si - ei;
      const n1r = S51 * d1r + S52 * d2r;
      const n1i = S51 * d1i + S52 * d2i;
      const n2r = S52 * d1r - S51 * d2r;
      const n2i = S52 * d1i - S51 * d2i;
      const o = o0 + k;
      or[o] = a0r + tr;
      oi[o] = a0i + ti;
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
export function radixOdd(
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

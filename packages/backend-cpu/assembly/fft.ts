// The complex mixed-radix Stockham FFT of the kernel module (see kernels.ts for the
// conventions), the SIMD counterpart of src/fft-mixed.ts and src/fft-radix.ts: the same stages,
// butterflies and twiddle angles, on interleaved complex numbers (one f64x2 holds `re, im`).
//
// A complex plan at `c` (written by src/fft-wasm.ts) is an i32 stage count s at `c`, then s
// records of 32 bytes from `c + 16`: radix p, the product L of earlier radices, `r' = m/(L·p)`,
// the byte offset of the stage's twiddles (`L·(p − 1)` entries of 48 bytes: `[w_r, w_r]`,
// `[−w_i, w_i]` and, for the inverse, `[w_i, −w_i]`; entry `j·(p − 1) + q − 1` holds
// `ω_{L·p}^{qj}`), and for radices above 5 the offsets of `cos, sin` of `2πt/p` (p pairs) and of p complex numbers of scratch.
//
// The inverse runs the same stages with conjugated twiddles and `+i` for `−i`; it rounds as the
// JavaScript inverse (the forward transform of the swapped parts, swapped back) and is unscaled.

/** `(re, im) → (im, re)`. */
function swap(x: v128): v128 {
  return v128.shuffle<f64>(x, x, 1, 0);
}

/** `−i·x` with `m = [+0, −0]` (forward), `+i·x` with `m = [−0, +0]` (inverse): exact. */
function rot(x: v128, m: v128): v128 {
  return v128.xor(swap(x), m);
}

/** `x·w` with the twiddle as `wr = [w_r, w_r]`, `wi = [−w_i, w_i]` (or its conjugate's). */
function cmul(x: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(wr, x), f64x2.mul(wi, swap(x)));
}

const C3: f64 = 0.8660254037844386; // √3/2
const C5D: f64 = 0.5590169943749475; // √5/4
const S51: f64 = 0.9510565162951535; // sin 2π/5
const S52: f64 = 0.5877852522924732; // sin 4π/5

/** One radix-2 stage (j = 0 without twiddles, as in JavaScript). */
function radix2(src: usize, dst: usize, L: i32, rr: i32, tw: usize, io: usize): void {
  const rs = (<usize>rr) << 4;
  const os = (<usize>(L * rr)) << 4;
  for (let j = 0; j < L; j++) {
    const t = tw + <usize>j * 48;
    const wr = v128.load(t);
    const wi = v128.load(t + io);
    let a = src + <usize>(2 * j) * rs;
    let o = dst + <usize>j * rs;
    const end = a + rs;
    if (j == 0) {
      for (; a < end; a += 16, o += 16) {
        const x0 = v128.load(a);
        const x1 = v128.load(a + rs);
        v128.store(o, f64x2.add(x0, x1));
        v128.store(o + os, f64x2.sub(x0, x1));
      }
      continue;
    }
    for (; a < end; a += 16, o += 16) {
      const x0 = v128.load(a);
      const x1 = cmul(v128.load(a + rs), wr, wi);
      v128.store(o, f64x2.add(x0, x1));
      v128.store(o + os, f64x2.sub(x0, x1));
    }
  }
}

/** The radix-4 butterfly of inputs already twiddled. */
function bfly4(a0: v128, a1: v128, a2: v128, a3: v128, o: usize, os: usize, m: v128): void {
  const t0 = f64x2.add(a0, a2);
  const t1 = f64x2.sub(a0, a2);
  const t2 = f64x2.add(a1, a3);
  const t3 = rot(f64x2.sub(a1, a3), m);
  v128.store(o, f64x2.add(t0, t2));
  v128.store(o + os, f64x2.add(t1, t3));
  v128.store(o + 2 * os, f64x2.sub(t0, t2));
  v128.store(o + 3 * os, f64x2.sub(t1, t3));
}

/** One radix-4 stage. */
function radix4(src: usize, dst: usize, L: i32, rr: i32, tw: usize, m: v128, io: usize): void {
  const rs = (<usize>rr) << 4;
  const os = (<usize>(L * rr)) << 4;
  for (let j = 0; j < L; j++) {
    const t = tw + <usize>(3 * j) * 48;
    const ti = t + io;
    const w1r = v128.load(t);
    const w1i = v128.load(ti);
    const w2r = v128.load(t, 48);
    const w2i = v128.load(ti, 48);
    const w3r = v128.load(t, 96);
    const w3i = v128.load(ti, 96);
    let a = src + <usize>(4 * j) * rs;
    let o = dst + <usize>j * rs;
    const end = a + rs;
    if (j == 0) {
      for (; a < end; a += 16, o += 16) {
        bfly4(
          v128.load(a),
          v128.load(a + rs),
          v128.load(a + 2 * rs),
          v128.load(a + 3 * rs),
          o,
          os,
          m,
        );
      }
      continue;
    }
    for (; a < end; a += 16, o += 16) {
      const a1 = cmul(v128.load(a + rs), w1r, w1i);
      const a2 = cmul(v128.load(a + 2 * rs), w2r, w2i);
      const a3 = cmul(v128.load(a + 3 * rs), w3r, w3i);
      bfly4(v128.load(a), a1, a2, a3, o, os, m);
    }
  }
}

/** One radix-3 stage. */
function radix3(src: usize, dst: usize, L: i32, rr: i32, tw: usize, m: v128, io: usize): void {
  const rs = (<usize>rr) << 4;
  const os = (<usize>(L * rr)) << 4;
  const c3 = f64x2.splat(C3);
  const half = f64x2.splat(0.5);
  for (let j = 0; j < L; j++) {
    const t = tw + <usize>(2 * j) * 48;
    const ti = t + io;
    const w1r = v128.load(t);
    const w1i = v128.load(ti);
    const w2r = v128.load(t, 48);
    const w2i = v128.load(ti, 48);
    let a = src + <usize>(3 * j) * rs;
    let o = dst + <usize>j * rs;
    const end = a + rs;
    for (; a < end; a += 16, o += 16) {
      const a0 = v128.load(a);
      const a1 = cmul(v128.load(a + rs), w1r, w1i);
      const a2 = cmul(v128.load(a + 2 * rs), w2r, w2i);
      const s = f64x2.add(a1, a2);
      const d = rot(f64x2.mul(c3, f64x2.sub(a1, a2)), m);
      const mm = f64x2.sub(a0, f64x2.mul(half, s));
      v128.store(o, f64x2.add(a0, s));
      v128.store(o + os, f64x2.add(mm, d));
      v128.store(o + 2 * os, f64x2.sub(mm, d));
    }
  }
}

/** One radix-5 stage (the formulas of src/fft-radix.ts). */
function radix5(src: usize, dst: usize, L: i32, rr: i32, tw: usize, m: v128, io: usize): void {
  const rs = (<usize>rr) << 4;
  const os = (<usize>(L * rr)) << 4;
  const c5 = f64x2.splat(C5D);
  const s51 = f64x2.splat(S51);
  const s52 = f64x2.splat(S52);
  const quarter = f64x2.splat(0.25);
  for (let j = 0; j < L; j++) {
    const t = tw + <usize>(4 * j) * 48;
    const ti = t + io;
    const w1r = v128.load(t);
    const w1i = v128.load(ti);
    const w2r = v128.load(t, 48);
    const w2i = v128.load(ti, 48);
    const w3r = v128.load(t, 96);
    const w3i = v128.load(ti, 96);
    const w4r = v128.load(t, 144);
    const w4i = v128.load(ti, 144);
    let a = src + <usize>(5 * j) * rs;
    let o = dst + <usize>j * rs;
    const end = a + rs;
    for (; a < end; a += 16, o += 16) {
      const a0 = v128.load(a);
      const a1 = cmul(v128.load(a + rs), w1r, w1i);
      const a2 = cmul(v128.load(a + 2 * rs), w2r, w2i);
      const a3 = cmul(v128.load(a + 3 * rs), w3r, w3i);
      const a4 = cmul(v128.load(a + 4 * rs), w4r, w4i);
      const b1 = f64x2.add(a1, a4);
      const b2 = f64x2.add(a2, a3);
      const d1 = f64x2.sub(a1, a4);
      const d2 = f64x2.sub(a2, a3);
      const tt = f64x2.add(b1, b2);
      const s = f64x2.sub(a0, f64x2.mul(quarter, tt));
      const e = f64x2.mul(c5, f64x2.sub(b1, b2));
      const m1 = f64x2.add(s, e);
      const m2 = f64x2.sub(s, e);
      const n1 = rot(f64x2.add(f64x2.mul(s51, d1), f64x2.mul(s52, d2)), m);
      const n2 = rot(f64x2.sub(f64x2.mul(s52, d1), f64x2.mul(s51, d2)), m);
      v128.store(o, f64x2.add(a0, tt));
      v128.store(o + os, f64x2.add(m1, n1));
      v128.store(o + 4 * os, f64x2.sub(m1, n1));
      v128.store(o + 2 * os, f64x2.add(m2, n2));
      v128.store(o + 3 * os, f64x2.sub(m2, n2));
    }
  }
}

/**
 * One stage of an odd prime radix p > 5: `y_m = a_0 + Σ_{q ≤ (p−1)/2} cos θ_{qm}·(a_q +
 * a_{p−q}) ∓ i·sin θ_{qm}·(a_q − a_{p−q})` (`θ_{qm} = 2π(qm mod p)/p`), the twiddled inputs
 * kept in `x` (p complex numbers of scratch), `cs` holding `cos, sin` of `2πt/p`.
 */
function radixOdd(
  p: i32,
  cs: usize,
  x: usize,
  src: usize,
  dst: usize,
  L: i32,
  rr: i32,
  tw: usize,
  m: v128,
  io: usize,
): void {
  const rs = (<usize>rr) << 4;
  const os = (<usize>(L * rr)) << 4;
  const h = (p - 1) >> 1;
  for (let j = 0; j < L; j++) {
    const t = tw + <usize>((p - 1) * j) * 48;
    const i0 = src + <usize>(p * j) * rs;
    const o0 = dst + <usize>j * rs;
    for (let k = 0; k < rr; k++) {
      const a = i0 + ((<usize>k) << 4);
      let y0 = v128.load(a);
      v128.store(x, y0);
      for (let q = 1; q < p; q++) {
        const w = t + <usize>(q - 1) * 48;
        const v = cmul(v128.load(a + <usize>q * rs), v128.load(w), v128.load(w + io));
        v128.store(x + ((<usize>q) << 4), v);
        y0 = f64x2.add(y0, v);
      }
      const o = o0 + ((<usize>k) << 4);
      v128.store(o, y0);
      for (let mm = 1; mm <= h; mm++) {
        let s = v128.load(x);
        let u = f64x2.splat(0);
        for (let q = 1, e = mm; q <= h; q++, e = (e + mm) % p) {
          const xq = v128.load(x + ((<usize>q) << 4));
          const xp = v128.load(x + ((<usize>(p - q)) << 4));
          const ce = cs + ((<usize>e) << 4);
          s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(ce)), f64x2.add(xq, xp)));
          u = f64x2.add(u, f64x2.mul(f64x2.splat(load<f64>(ce, 8)), f64x2.sub(xq, xp)));
        }
        const r = rot(u, m);
        v128.store(o + <usize>mm * os, f64x2.add(s, r));
        v128.store(o + <usize>(p - mm) * os, f64x2.sub(s, r));
      }
    }
  }
}

/**
 * The complex DFT of the plan at `c` from `src` into `dst` (`m` complex numbers each, m the
 * plan's length), through `work` (m more): the stages ping-pong between `dst` and `work` so
 * that the last one writes `dst`; `src` is only read. `inverse`: the unscaled inverse.
 */
export function cfft(c: usize, src: usize, dst: usize, work: usize, inverse: bool): void {
  const s = load<i32>(c);
  if (s == 0) {
    v128.store(dst, v128.load(src)); // m = 1
    return;
  }
  const m = inverse ? f64x2(-0.0, 0.0) : f64x2(0.0, -0.0);
  const io: usize = inverse ? 32 : 16; // the conjugate's `[w_i, −w_i]` follows `[−w_i, w_i]`
  let from = src;
  for (let i = 0; i < s; i++) {
    const to = ((s - 1 - i) & 1) == 0 ? dst : work;
    const r = c + 16 + ((<usize>i) << 5);
    const p = load<i32>(r);
    const L = load<i32>(r, 4);
    const rr = load<i32>(r, 8);
    const tw = <usize>load<u32>(r, 12);
    if (p == 4) radix4(from, to, L, rr, tw, m, io);
    else if (p == 2) radix2(from, to, L, rr, tw, io);
    else if (p == 3) radix3(from, to, L, rr, tw, m, io);
    else if (p == 5) radix5(from, to, L, rr, tw, m, io);
    else {
      const cs = <usize>load<u32>(r, 16);
      const x = <usize>load<u32>(r, 20);
      radixOdd(p, cs, x, from, to, L, rr, tw, m, io);
    }
    from = to;
  }
}

// Real-input DFTs of the kernel module (see kernels.ts), the SIMD counterpart of
// src/fft-real.ts with the same formulas: even n packs the signal into the complex signal
// `z_j = x_{2j} + i·x_{2j+1}` of length h = n/2 (in memory the signal itself, read as
// interleaved complex numbers), odd n runs the complex transform of length n.
//
// A real plan at `p` (written by src/fft-wasm.ts): i32 n at 0, the complex length m at 4, byte
// offsets of the signal X (n float64s) at 8, the spectrum Z (m + 1 complex numbers; the
// `⌊n/2⌋ + 1` bins, interleaved) at 12, the work W (m complex) at 16, for odd n a second work Y
// (m complex) at 20, for even n the twiddles `w_k = e^{−2πik/n}`, `k ≤ h/2`, at 24 (32 bytes
// each: `[w_r, w_r]`, `[−w_i, w_i]`), the complex plan at 28, and the f64 scale of the inverse at 32
// (`1/(2h)` even, `1/n` odd).
import { cfft } from './fft';

const CONJ: v128 = f64x2(0.0, -0.0);

/** `conj(x)`. */
function conj(x: v128): v128 {
  return v128.xor(x, CONJ);
}

/** `(re, im) → (im, re)`. */
function swap(x: v128): v128 {
  return v128.shuffle<f64>(x, x, 1, 0);
}

/**
 * The half spectrum of the signal at X into `z` (m + 1 complex numbers; the plan's Z or a
 * caller's): `X_k = Σ_j x_j e^{−2πijk/n}`, `k ≤ ⌊n/2⌋`, as interleaved complex numbers
 * (imaginary parts exactly 0 at k = 0 and k = n/2).
 */
export function rdftForward(p: usize, z: usize): void {
  const n = load<i32>(p);
  const m = load<i32>(p, 4);
  const x = <usize>load<u32>(p, 8);
  const w = <usize>load<u32>(p, 16);
  const c = <usize>load<u32>(p, 28);
  if (n & 1) {
    // the complex signal (x_j, 0) in Y, its transform into Z
    const y = <usize>load<u32>(p, 20);
    for (let j = 0; j < n; j++) {
      const o = (<usize>j) << 4;
      store<f64>(y + o, load<f64>(x + ((<usize>j) << 3)));
      store<f64>(y + o, 0.0, 8);
    }
    cfft(c, y, z, w, false);
    store<f64>(z, 0.0, 8);
    return;
  }
  cfft(c, x, z, w, false);
  const h = m;
  const zr = load<f64>(z);
  const zi = load<f64>(z, 8);
  store<f64>(z, zr + zi);
  store<f64>(z, 0.0, 8);
  const zh = z + ((<usize>h) << 4);
  store<f64>(zh, zr - zi);
  store<f64>(zh, 0.0, 8);
  const half = f64x2.splat(0.5);
  const tw = <usize>load<u32>(p, 24);
  const mNegI = f64x2(0.0, -0.0);
  // k and h − k together: X_{h−k} = conj(E_k − w_k·O_k)
  for (let k = 1, q = h - 1; k <= q; k++, q--) {
    const ak = z + ((<usize>k) << 4);
    const aq = z + ((<usize>q) << 4);
    const a = v128.load(ak);
    const b = conj(v128.load(aq));
    const e = f64x2.mul(half, f64x2.add(a, b));
    // O = (Z_k − conj Z_{h−k})/(2i)
    const o = f64x2.mul(half, v128.xor(swap(f64x2.sub(a, b)), mNegI));
    const t = tw + ((<usize>k) << 5);
    const to = f64x2.add(f64x2.mul(v128.load(t), o), f64x2.mul(v128.load(t, 16), swap(o)));
    v128.store(ak, f64x2.add(e, to));
    v128.store(aq, conj(f64x2.sub(e, to)));
  }
}

/**
 * The real signal of the Hermitian spectrum given by its bins at `z` (interleaved, m + 1
 * complex numbers of room) into X: `x_j = (1/n)·Σ_{k<n} X_k e^{2πijk/n}`, the imaginary parts
 * at k = 0 (and n/2) taken as 0. `z` is overwritten.
 */
export function rdftInverse(p: usize, z: usize): void {
  const n = load<i32>(p);
  const m = load<i32>(p, 4);
  const x = <usize>load<u32>(p, 8);
  const w = <usize>load<u32>(p, 16);
  const c = <usize>load<u32>(p, 28);
  const s = load<f64>(p, 32);
  if (n & 1) {
    // the Hermitian extension in Z, its unscaled inverse into Y, the real parts over n
    const y = <usize>load<u32>(p, 20);
    store<f64>(z, 0.0, 8);
    const bins = (n - 1) / 2 + 1;
    for (let k = 1; k < bins; k++) {
      v128.store(z + ((<usize>(n - k)) << 4), conj(v128.load(z + ((<usize>k) << 4))));
    }
    cfft(c, z, y, w, true);
    for (let j = 0; j < n; j++) {
      store<f64>(x + ((<usize>j) << 3), load<f64>(y + ((<usize>j) << 4)) * s);
    }
    return;
  }
  const h = m;
  const a0 = load<f64>(z);
  const b0 = load<f64>(z + ((<usize>h) << 4));
  store<f64>(z, s * (a0 + b0));
  store<f64>(z, s * (a0 - b0), 8);
  const sv = f64x2.splat(s);
  const tw = <usize>load<u32>(p, 24);
  const mPosI = f64x2(-0.0, 0.0);
  // E_k = s(X_k + conj X_{h−k}), O_k = s(X_k − conj X_{h−k})·conj(w_k), Z_k = E_k + i·O_k,
  // Z_{h−k} = conj(E_k − i·O_k)
  for (let k = 1, q = h - 1; k <= q; k++, q--) {
    const ak = z + ((<usize>k) << 4);
    const aq = z + ((<usize>q) << 4);
    const a = v128.load(ak);
    const b = conj(v128.load(aq));
    const e = f64x2.mul(sv, f64x2.add(a, b));
    const d = f64x2.mul(sv, f64x2.sub(a, b));
    const t = tw + ((<usize>k) << 5);
    const o = f64x2.sub(f64x2.mul(v128.load(t), d), f64x2.mul(v128.load(t, 16), swap(d)));
    const io = v128.xor(swap(o), mPosI);
    v128.store(ak, f64x2.add(e, io));
    v128.store(aq, conj(f64x2.sub(e, io)));
  }
  cfft(c, z, x, w, true);
}

/**
 * `c[k] = a[k]·b[k]` for `k < len` complex numbers (interleaved; c may be a or b), rounding
 * as the formula of `mulSpectra` in @implicit-bias/networks (`a_r·b_r − a_i·b_i`,
 * `a_r·b_i + a_i·b_r`).
 */
export function spectraMul(a: usize, b: usize, c: usize, len: i32): void {
  const end = c + ((<usize>len) << 4);
  for (; c < end; a += 16, b += 16, c += 16) {
    const x = v128.load(a);
    const y = v128.load(b);
    const yr = v128.xor(swap(y), f64x2(-0.0, 0.0)); // (−b_i, b_r)
    const re = f64x2.splat(f64x2.extract_lane(x, 0));
    const im = f64x2.splat(f64x2.extract_lane(x, 1));
    v128.store(c, f64x2.add(f64x2.mul(re, y), f64x2.mul(im, yr)));
  }
}

/**
 * `c[k] = u[k]·conj(b[k])` for `k < len` complex numbers (interleaved; c may be u or b),
 * rounding as `mulConjSpectra` (`u_r·b_r + u_i·b_i`, `u_i·b_r − u_r·b_i`).
 */
export function spectraMulConj(u: usize, b: usize, c: usize, len: i32): void {
  const end = c + ((<usize>len) << 4);
  for (; c < end; u += 16, b += 16, c += 16) {
    const x = v128.load(u);
    const y = v128.load(b);
    const xr = v128.xor(swap(x), CONJ); // (u_i, −u_r)
    const br = f64x2.splat(f64x2.extract_lane(y, 0));
    const bi = f64x2.splat(f64x2.extract_lane(y, 1));
    v128.store(c, f64x2.add(f64x2.mul(br, x), f64x2.mul(bi, xr)));
  }
}

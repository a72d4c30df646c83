import { dot } from './dot';

// Float64 kernels of @implicit-bias/backend-cpu, compiled by AssemblyScript to WebAssembly with
// SIMD (scripts/build-wasm.mjs). This is the module's entry; dot.ts holds the dot products,
// products.ts the matrix products, lu.ts the dense LU factorizations, squared-loss.ts the
// squared-loss kernels, chain.ts the matrix-chain kernels, fft.ts and fft-real.ts the real-input
// FFT. Every kernel works on byte offsets into the module's own linear memory, which the host
// (src/kernels-wasm.ts, src/lu-wasm.ts, src/fft-wasm.ts) grows and fills; nothing here allocates.
//
// Matrices are row-major. Sums use f64x2 lanes with four independent accumulators so that the
// adds do not wait on each other; the summation order therefore differs from the plain
// JavaScript loops, and results agree with them to the forward error bound of a length-k sum
// (|Δ| ≤ γ_k·Σ|a_p·b_p|), not bit for bit. The LU factorizations have no sums: each lane
// repeats the JavaScript's operations, so they equal it bit for bit (lu.ts).

/** The first byte the host may use: past the (empty) static data. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// the module's exports from the other sources: matrix products, dense LU factorizations, the
// squared-loss kernels and the matrix-chain kernels
export { chainBeta, chainContract } from './chain';
export { dotProduct, gemmNN, gemmNT } from './products';
export { complexShiftFactor, luFactor } from './lu';
export { symTridiagonal } from './tridiagonal';
export { gradientColumns, residualGradient, residualRows } from './squared-loss';
// the real-input FFT (fft.ts: the complex stages, fft-real.ts: the real packing)
export { rdftForward, rdftInverse, spectraMul, spectraMulConj } from './fft-real';

/**
 * The weighted Gram matrix `G = A·diag(w)·Aᵀ` for A n×d: `t = A_i ∘ w` once per row (into
 * `t`, d entries of scratch), then the upper triangle by dot products, mirrored.
 */
export function gram(a: usize, w: usize, g: usize, t: usize, n: i32, d: i32): void {
  const rowA = (<usize>d) << 3;
  const rowG = (<usize>n) << 3;
  for (let i = 0; i < n; i++) {
    const ai = a + <usize>i * rowA;
    mulInto(ai, w, t, d);
    for (let j = i; j < n; j++) {
      const s = dot(t, a + <usize>j * rowA, d);
      store<f64>(g + <usize>i * rowG + ((<usize>j) << 3), s);
      store<f64>(g + <usize>j * rowG + ((<usize>i) << 3), s);
    }
  }
}

function mulInto(a: usize, b: usize, c: usize, len: i32): void {
  const l2 = len & ~1;
  let i = 0;
  for (; i < l2; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(c + o, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  if (i < len) {
    const o = (<usize>i) << 3;
    store<f64>(c + o, load<f64>(a + o) * load<f64>(b + o));
  }
}

/** Element-wise product `c[i] = a[i]·b[i]` (c may alias a or b). */
export function mul(a: usize, b: usize, c: usize, len: i32): void {
  mulInto(a, b, c, len);
}

/** Element-wise triple product `d[i] = a[i]·b[i]·c[i]` (the diagonal network's factors). */
export function mul3(a: usize, b: usize, c: usize, d: usize, len: i32): void {
  const l2 = len & ~1;
  let i = 0;
  for (; i < l2; i += 2) {
    const o = (<usize>i) << 3;
    v128.store(d + o, f64x2.mul(f64x2.mul(v128.load(a + o), v128.load(b + o)), v128.load(c + o)));
  }
  if (i < len) {
    const o = (<usize>i) << 3;
    store<f64>(d + o, load<f64>(a + o) * load<f64>(b + o) * load<f64>(c + o));
  }
}

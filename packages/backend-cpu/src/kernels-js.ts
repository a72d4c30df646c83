import type { MatmulShape } from '@implicit-bias/backend';
import type { Chain } from './chain.js';
import { matmulKernel } from './matmul.js';

/**
 * `r[q·n + i] = y[i] − (X·b_q)[i]` and `u[q·d ..] = Xᵀ·r_q` for `rows` parameter vectors `b`
 * (rows×d) and data `x` (n×d): the residual and gradient of a linear model under the squared
 * loss (see {@link CpuKernels.residualGradientInto}).
 */
export type ResidualGradient = (
  x: Float64Array,
  b: Float64Array,
  y: Float64Array,
  rows: number,
  n: number,
  d: number,
  r: Float64Array,
  u: Float64Array,
) => void;

/** Which implementation of the float64 kernels runs: WebAssembly with SIMD, or plain JavaScript. */
export type CpuKernelPath = 'wasm-simd' | 'js';

/** A request for a kernel path: `'auto'` takes WebAssembly SIMD when the runtime supports it. */
export type CpuKernelsOption = 'auto' | 'wasm' | 'js';

/** What `cpuKernelInfo()` reports. */
export interface CpuKernelInfo {
  /** The kernels a cpu backend created with default options uses here. */
  readonly path: CpuKernelPath;
  /** Why the JavaScript path was chosen (absent for `'wasm-simd'`). */
  readonly reason?: string;
  /**
   * Threads of batched squared-loss gradients on the WebAssembly path, the calling one
   * included (`IMPLICIT_BIAS_CPU_THREADS`; 1 where worker threads are unavailable).
   */
  readonly threads?: number;
}

/**
 * The dense float64 kernels behind the cpu backend's hot operations. Matrices are row-major
 * `Float64Array`s; inputs are never modified and every result is a fresh array.
 */
export interface CpuKernels {
  /** Which implementation this is. */
  readonly path: CpuKernelPath;
  /** Threads that batched gradients may use, the calling one included (absent: 1). */
  readonly threads?: number;
  /** Batched `op(A)·op(B)` for a validated {@link MatmulShape} (batch axes broadcast). */
  matmul(
    a: Float64Array,
    b: Float64Array,
    s: MatmulShape,
    transposeA: boolean,
    transposeB: boolean,
  ): Float64Array;
  /** `y = A·x` for A m×n: m dot products. */
  gemv(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array;
  /** `g = Aᵀ·y` for A m×n: n entries. */
  gemvT(a: Float64Array, y: Float64Array, m: number, n: number): Float64Array;
  /**
   * {@link gemv} written into `y` (length m), allocating nothing: the same kernel and the same
   * rounding as `gemv` of the same sizes. `y` must not overlap `a` or `x`.
   */
  gemvInto(a: Float64Array, x: Float64Array, m: number, n: number, y: Float64Array): void;
  /** {@link gemvT} written into `g` (length n), allocating nothing; `g` must not overlap `a` or `y`. */
  gemvTInto(a: Float64Array, y: Float64Array, m: number, n: number, g: Float64Array): void;
  /**
   * `rows` products {@link gemvInto} sharing one pass over A: `y[r·m ..] = A·x[r·n ..]` for
   * `r < rows` (`Y = X·Aᵀ`, rows×m), each row bit for bit what `gemvInto` writes for it alone
   * (the kernel is chosen by the work of one row, never by `rows`). `y` must not overlap the inputs.
   */
  gemmInto(
    a: Float64Array,
    x: Float64Array,
    rows: number,
    m: number,
    n: number,
    y: Float64Array,
  ): void;
  /**
   * `rows` products {@link gemvTInto} sharing one pass over A: `g[r·n ..] = Aᵀ·y[r·m ..]`
   * (`G = Y·A`, rows×n), each row bit for bit what `gemvTInto` writes for it alone.
   */
  gemmTInto(
    a: Float64Array,
    y: Float64Array,
    rows: number,
    m: number,
    n: number,
    g: Float64Array,
  ): void;
  /**
   * The residual and gradient of a linear model under the squared loss for `rows` parameter
   * vectors `B` (rows×d) and data X (n×d) in one call: `R[q·n + i] = y[i] − (X·B_q)[i]`
   * (rows×n) and `U[q·d ..] = Xᵀ·R_q` (rows×d). Bit for bit {@link gemmInto}, the subtraction,
   * then {@link gemmTInto} on the same path, for each q alone or with any others; `r` and `u`
   * must not overlap the inputs.
   */
  readonly residualGradientInto: ResidualGradient;
  /**
   * Matrix chains evaluated in the kernels' memory (absent on the JavaScript path, where a
   * network's own loops are as fast): see {@link Chain}.
   */
  readonly chain?: Chain;
  /** The weighted Gram matrix `A·diag(w)·Aᵀ` (n×n) of A n×d. */
  gram(a: Float64Array, w: Float64Array, n: number, d: number): Float64Array;
  /** Element-wise product of two arrays of equal length. */
  mul(a: Float64Array, b: Float64Array): Float64Array;
}

/**
 * `y = A·x` by dot products with four accumulators: the loop (and so the rounding) of
 * `matmulKernel` for `xᵀ·Aᵀ`, the way the backend computes `β·Xᵀ`.
 */
function gemvInto(a: Float64Array, x: Float64Array, m: number, n: number, y: Float64Array): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const ar = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let p = 0;
    for (; p < n4; p += 4) {
      s0 += x[p]! * a[ar + p]!;
      s1 += x[p + 1]! * a[ar + p + 1]!;
      s2 += x[p + 2]! * a[ar + p + 2]!;
      s3 += x[p + 3]! * a[ar + p + 3]!;
    }
    for (; p < n; p++) s0 += x[p]! * a[ar + p]!;
    y[i] = s0 + s1 + (s2 + s3);
  }
}

/** `g = Aᵀ·y` by row updates: the loop (and so the rounding) of `matmulKernel` for `yᵀ·A`. */
function gemvTInto(a: Float64Array, y: Float64Array, m: number, n: number, g: Float64Array): void {
  g.fill(0, 0, n);
  for (let p = 0; p < m; p++) {
    const yp = y[p]!;
    const ar = p * n;
    for (let j = 0; j < n; j++) g[j]! += yp * a[ar + j]!;
  }
}

/**
 * {@link gemvInto} of `rows` vectors: rows of A outside (each read once), the vectors inside,
 * every dot product with the same four accumulators in the same order as `gemvInto`.
 */
function gemmInto(
  a: Float64Array,
  x: Float64Array,
  rows: number,
  m: number,
  n: number,
  y: Float64Array,
): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < m; i++) {
    const ar = i * n;
    for (let r = 0; r < rows; r++) {
      const xr = r * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let p = 0;
      for (; p < n4; p += 4) {
        s0 += x[xr + p]! * a[ar + p]!;
        s1 += x[xr + p + 1]! * a[ar + p + 1]!;
        s2 += x[xr + p + 2]! * a[ar + p + 2]!;
        s3 += x[xr + p + 3]! * a[ar + p + 3]!;
      }
      for (; p < n; p++) s0 += x[xr + p]! * a[ar + p]!;
      y[r * m + i] = s0 + s1 + (s2 + s3);
    }
  }
}

/**
 * {@link gemvTInto} of `rows` vectors: each row of A read once and added to every output row,
 * so every entry sums over the rows of A in the same order as `gemvTInto`.
 */
function gemmTInto(
  a: Float64Array,
  y: Float64Array,
  rows: number,
  m: number,
  n: number,
  g: Float64Array,
): void {
  g.fill(0, 0, rows * n);
  for (let p = 0; p < m; p++) {
    const ar = p * n;
    for (let r = 0; r < rows; r++) {
      const yp = y[r * m + p]!;
      const gr = r * n;
      for (let j = 0; j < n; j++) g[gr + j]! += yp * a[ar + j]!;
    }
  }
}

/** {@link CpuKernels.residualGradientInto} by the loops of `gemmInto` and `gemmTInto`. */
function residualGradientInto(
  x: Float64Array,
  b: Float64Array,
  y: Float64Array,
  rows: number,
  n: number,
  d: number,
  r: Float64Array,
  u: Float64Array,
): void {
  gemmInto(x, b, rows, n, d, r);
  for (let q = 0; q < rows; q++) {
    const o = q * n;
    for (let i = 0; i < n; i++) r[o + i] = y[i]! - r[o + i]!;
  }
  gemmTInto(x, r, rows, n, d, u);
}

/** The plain JavaScript kernels: the reference every WebAssembly kernel is tested against. */
export const jsKernels: CpuKernels = Object.freeze({
  path: 'js' as const,
  matmul: matmulKernel,
  gemv(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array {
    const y = new Float64Array(m);
    gemvInto(a, x, m, n, y);
    return y;
  },
  gemvT(a: Float64Array, y: Float64Array, m: number, n: number): Float64Array {
    const g = new Float64Array(n);
    gemvTInto(a, y, m, n, g);
    return g;
  },
  gemvInto,
  gemvTInto,
  gemmInto,
  gemmTInto,
  residualGradientInto,
  gram(a: Float64Array, w: Float64Array, n: number, d: number): Float64Array {
    const g = new Float64Array(n * n);
    const t = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const ai = i * d;
      for (let p = 0; p < d; p++) t[p] = a[ai + p]! * w[p]!;
      for (let j = i; j < n; j++) {
        const aj = j * d;
        let s = 0;
        for (let p = 0; p < d; p++) s += t[p]! * a[aj + p]!;
        g[i * n + j] = s;
        g[j * n + i] = s;
      }
    }
    return g;
  },
  mul(a: Float64Array, b: Float64Array): Float64Array {
    const out = new Float64Array(a.length);
    for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
    return out;
  },
});

import { ImplicitBiasError, assertFinite, formatShape, sizeOf } from '@implicit-bias/core';
import {
  broadcastShapes,
  circularShape,
  matmulShape,
  normalizeAxis,
  reducedShape,
} from '@implicit-bias/backend';
import type { Arr, Backend, MatmulOptions } from '@implicit-bias/backend';
import type { Chain } from './chain.js';
import { ArrayStore } from './store.js';
import { aroundAxis } from './indexing.js';
import { binaryKernel } from './binary.js';
import type { BinaryOp } from './binary.js';
import { UNARY, addScalarKernel, powKernel, scaleKernel } from './unary.js';
import type { UnaryKernel } from './unary.js';
import { logSumExpKernel, reduceKernel, softmaxKernel } from './reduce.js';
import type { ReduceOp } from './reduce.js';
import { selectKernels } from './kernels.js';
import type { CpuKernels, CpuKernelsOption, ResidualGradient } from './kernels-js.js';
import { circularKernel } from './circular.js';
import { dft } from './fft.js';
import type { Dft } from './fft.js';
import { rdft } from './fft-real.js';
import type { RealDft } from './fft-real.js';
import { wasmRdft, wasmRealSpectra } from './fft-wasm.js';
import type { RealSpectra } from './fft-wasm.js';
import {
  checkReshape,
  concatKernel,
  gatherKernel,
  padKernel,
  sliceKernel,
  transposeKernel,
} from './layout.js';

function checkScalar(v: number, op: string, field: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ImplicitBiasError('NON_FINITE', `${field} is ${String(v)}; pass a finite number`, {
      path: `${op} ${field}`,
    });
  }
}

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /**
   * The kernels behind `matmul`: `'auto'` (WebAssembly SIMD where the runtime supports it, else
   * JavaScript), `'wasm'` (throws `BACKEND_UNAVAILABLE` where it cannot run) or `'js'`.
   * Default: the `IMPLICIT_BIAS_CPU_KERNELS` environment variable, else `'auto'`. A
   * {@link CpuKernels} object is used as given (tests pass instrumented or forced kernels).
   */
  readonly kernels?: CpuKernelsOption | CpuKernels;
}

/**
 * Host access to a cpu backend, for fused evaluations that run whole gradients on the host
 * without one backend op per step (`networkField` of @implicit-bias/flow uses it): the entries
 * of an array without a copy, and matrix–vector products into caller-owned outputs on the
 * backend's kernels (docs/adr/0010-fused-field-evaluation.md).
 */
export interface CpuHostAccess {
  /** The kernel path the products take. */
  readonly path: CpuKernels['path'];
  /**
   * The row-major entries of a live array of this backend, shared, not copied: never modify
   * them (the backend assumes an array's entries never change once created). Throws like any
   * op on a disposed array or one of another backend.
   */
  data(a: Arr): Float64Array;
  /**
   * `y = A·x` for A m×n row-major, into `y` (length m): the kernel and rounding of `β·Xᵀ`.
   * In every product here `a` must keep its entries while it lives (an array from
   * {@link data}, or a view taken for the call: large ones may be kept resident in the kernels'
   * memory); the vectors are caller workspaces and may change freely between calls.
   */
  gemv(a: Float64Array, x: Float64Array, m: number, n: number, y: Float64Array): void;
  /** `g = Aᵀ·y` for A m×n row-major, into `g` (length n): the kernel and rounding of `r·X`. */
  gemvT(a: Float64Array, y: Float64Array, m: number, n: number, g: Float64Array): void;
  /**
   * `rows` products {@link gemv} sharing one pass over A: `y[r·m ..] = A·x[r·n ..]` for
   * `r < rows` (`Y = X·Aᵀ`, rows×m). Each row is bit for bit what `gemv` writes for it alone:
   * the kernel is chosen by the work of one row and sums in the same order, whatever `rows` is,
   * so B runs evaluated together equal B runs evaluated one by one.
   */
  gemm(a: Float64Array, x: Float64Array, rows: number, m: number, n: number, y: Float64Array): void;
  /**
   * `rows` products {@link gemvT} sharing one pass over A: `g[r·n ..] = Aᵀ·y[r·m ..]`
   * (`G = Y·A`, rows×n), each row bit for bit what `gemvT` writes for it alone.
   */
  gemmT(
    a: Float64Array,
    y: Float64Array,
    rows: number,
    m: number,
    n: number,
    g: Float64Array,
  ): void;
  /**
   * The residual and gradient of a linear model under the squared loss for `rows` parameter
   * vectors `b` (rows×d) and the data `x` (n×d) in one call: `r[q·n + i] = y[i] −
   * (X·b_q)[i]` and `u[q·d ..] = Xᵀ·r_q`. Bit for bit {@link gemm}, the subtraction, then
   * {@link gemmT}, for each q alone or with any others (so a batch equals its runs one by one);
   * `x` must keep its entries while it lives (it may stay resident in the kernels' memory at
   * any size).
   */
  readonly residualGradient: ResidualGradient;
  /**
   * Matrix chains in the kernels' memory, when the WebAssembly kernels run ({@link Chain}): a
   * fully-connected network's β and layer contractions in two calls, instead of loops over its
   * weights. Like a network's fused evaluator, an evaluator keeps workspaces: one per row being
   * evaluated.
   */
  readonly chain?: Chain;
  /**
   * The complex DFT of length `n ≥ 1` (mixed radix 4, 2, 3, 5 and small odd primes, or
   * Bluestein's algorithm for lengths with a prime factor above 31), cached per length:
   * `run(re, im, inverse)` transforms in place, the inverse divided by n; the transform behind
   * `circularConvolve` for long rows. A plan keeps workspaces, so use one plan from one
   * evaluation at a time (calls are synchronous).
   */
  dft(n: number): Dft;
  /**
   * The real-input DFT of length `n ≥ 1`, cached per length: `forward(x, re, im)` writes the
   * half spectrum (`⌊n/2⌋ + 1` bins) of the real `x`, `inverse(re, im, x)` the real signal of
   * a half spectrum; for even n one complex transform of length n/2 ({@link RealDft}). Same
   * workspace rule as {@link dft}. On the WebAssembly SIMD path ({@link path} `'wasm-simd'`)
   * the kernels' FFT runs it (same algorithm and formulas, interleaved complex numbers in
   * f64x2 lanes), except for lengths whose complex transform has a prime factor above 31,
   * which take the JavaScript one.
   */
  rdft(n: number): RealDft;
  /**
   * A workspace of `slots` half spectra of length-n real signals in the WebAssembly kernels'
   * memory ({@link RealSpectra}: transforms and bin-by-bin products there, only real signals
   * copied), or undefined on the JavaScript path, for the lengths {@link rdft} runs in
   * JavaScript, and where the live workspaces would exceed 64 MiB (callers then take
   * {@link rdft}). It rounds as {@link rdft} and the spectrum products of the convolutional
   * evaluators; its memory returns to the kernels when it is garbage collected.
   */
  realSpectra(n: number, slots: number): RealSpectra | undefined;
}

/** The cpu backend: a {@link Backend} plus {@link CpuHostAccess} as `host`. */
export interface CpuBackend extends Backend {
  /** Host access for fused evaluations. */
  readonly host: CpuHostAccess;
}

/**
 * Create the native float64 backend. Arrays are `Float64Array`s owned by the backend;
 * `scope` is the identity (the garbage collector frees dropped arrays), `dispose` makes an
 * array unusable, and `close` releases every array. Products run on the kernels chosen by
 * `options.kernels` (`cpuKernelInfo()` reports the default); `host` gives fused evaluations
 * direct access to arrays and kernels ({@link CpuHostAccess}).
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const kernels =
    typeof options.kernels === 'object' ? options.kernels : selectKernels(options.kernels);
  const store = new ArrayStore();
  const get = (a: Arr, op: string): Float64Array => store.get(a, op).data;
  const wrap = (shape: readonly number[], data: Float64Array): Arr => store.wrap(shape, data);

  const unary = (k: UnaryKernel, op: string) => (a: Arr) => wrap(a.shape, k(get(a, op)));
  const binary = (op: BinaryOp) => (a: Arr, b: Arr) => {
    const x = get(a, op);
    const y = get(b, op);
    const shape = broadcastShapes(a.shape, b.shape, op);
    return wrap(shape, binaryKernel(op, x, a.shape, y, b.shape, shape));
  };
  const reduce =
    (op: ReduceOp) =>
    (a: Arr, axis: number, keepDims = false) => {
      const x = get(a, op);
      const ax = normalizeAxis(axis, a.shape.length, op);
      const [outer, n, inner] = aroundAxis(a.shape, ax);
      return wrap(reducedShape(a.shape, ax, keepDims), reduceKernel(op, x, outer, n, inner));
    };
  const circular = (kind: 'convolve' | 'correlate') => (a: Arr, b: Arr) => {
    const op = kind === 'convolve' ? 'circularConvolve' : 'circularCorrelate';
    const x = get(a, op);
    const y = get(b, op);
    const shape = circularShape(a.shape, b.shape, op);
    return wrap(shape, circularKernel(kind, x, a.shape, y, b.shape, shape));
  };

  const host: CpuHostAccess = Object.freeze({
    path: kernels.path,
    data: (a: Arr) => get(a, 'host.data'),
    gemv: kernels.gemvInto,
    gemvT: kernels.gemvTInto,
    gemm: kernels.gemmInto,
    gemmT: kernels.gemmTInto,
    residualGradient: kernels.residualGradientInto,
    ...(kernels.chain !== undefined ? { chain: kernels.chain } : {}),
    dft,
    rdft: kernels.path === 'wasm-simd' ? (n: number) => wasmRdft(n) ?? rdft(n) : rdft,
    realSpectra:
      kernels.path === 'wasm-simd' ? wasmRealSpectra : (): RealSpectra | undefined => undefined,
  });

  return {
    id: 'cpu',
    precision: 'float64',
    host,

    fromHost(data: ArrayLike<number>, shape: readonly number[]): Arr {
      const n = sizeOf(shape, 'fromHost shape');
      if (data === null || typeof data !== 'object' || data.length !== n) {
        throw new ImplicitBiasError(
          'SHAPE_MISMATCH',
          `shape ${formatShape(shape)} needs ${n} entries, got ${String(data?.length)}`,
          { path: 'fromHost data' },
        );
      }
      assertFinite(data, 'fromHost data');
      return wrap(shape, Float64Array.from(data));
    },
    fill(shape: readonly number[], value = 0): Arr {
      const n = sizeOf(shape, 'fill shape');
      checkScalar(value, 'fill', 'value');
      return wrap(shape, new Float64Array(n).fill(value));
    },
    toHost(a: Arr): Promise<Float64Array> {
      try {
        return Promise.resolve(get(a, 'toHost').slice());
      } catch (e) {
        return Promise.reject(e);
      }
    },
    toHostSync: (a) => get(a, 'toHostSync').slice(),

    reshape(a, shape) {
      const x = get(a, 'reshape');
      checkReshape(a.shape, shape);
      return wrap(shape, x); // entries are never mutated, so sharing them is safe
    },
    slice(a, begin, size) {
      const r = sliceKernel(store.get(a, 'slice'), begin, size);
      return wrap(r.shape, r.data);
    },
    concat(arrs, axis) {
      const r = concatKernel(
        arrs.map((a) => store.get(a, 'concat')),
        axis,
      );
      return wrap(r.shape, r.data);
    },
    gather(a, indices, axis) {
      const r = gatherKernel(store.get(a, 'gather'), indices, axis);
      return wrap(r.shape, r.data);
    },
    transpose(a, perm) {
      const r = transposeKernel(store.get(a, 'transpose'), perm);
      return wrap(r.shape, r.data);
    },
    pad(a, paddings) {
      const r = padKernel(store.get(a, 'pad'), paddings);
      return wrap(r.shape, r.data);
    },

    add: binary('add'),
    sub: binary('sub'),
    mul: binary('mul'),
    div: binary('div'),
    maximum: binary('maximum'),
    scale(a, s) {
      checkScalar(s, 'scale', 's');
      return wrap(a.shape, scaleKernel(get(a, 'scale'), s));
    },
    addScalar(a, s) {
      checkScalar(s, 'addScalar', 's');
      return wrap(a.shape, addScalarKernel(get(a, 'addScalar'), s));
    },
    neg: unary(UNARY.neg, 'neg'),
    abs: unary(UNARY.abs, 'abs'),
    sign: unary(UNARY.sign, 'sign'),
    square: unary(UNARY.square, 'square'),
    sqrt: unary(UNARY.sqrt, 'sqrt'),
    pow(a, p) {
      checkScalar(p, 'pow', 'p');
      return wrap(a.shape, powKernel(get(a, 'pow'), p));
    },
    exp: unary(UNARY.exp, 'exp'),
    log: unary(UNARY.log, 'log'),
    sigmoid: unary(UNARY.sigmoid, 'sigmoid'),
    softplus: unary(UNARY.softplus, 'softplus'),

    sum: reduce('sum'),
    max: reduce('max'),
    min: reduce('min'),
    logSumExp(a, axis, keepDims = false) {
      const x = get(a, 'logSumExp');
      const ax = normalizeAxis(axis, a.shape.length, 'logSumExp');
      const [outer, n, inner] = aroundAxis(a.shape, ax);
      return wrap(reducedShape(a.shape, ax, keepDims), logSumExpKernel(x, outer, n, inner));
    },
    softmax(a, axis) {
      const x = get(a, 'softmax');
      const ax = normalizeAxis(axis, a.shape.length, 'softmax');
      const [outer, n, inner] = aroundAxis(a.shape, ax);
      return wrap(a.shape, softmaxKernel(x, outer, n, inner));
    },

    matmul(a: Arr, b: Arr, options: MatmulOptions = {}): Arr {
      const x = get(a, 'matmul');
      const y = get(b, 'matmul');
      const ta = options.transposeA === true;
      const tb = options.transposeB === true;
      const s = matmulShape(a.shape, b.shape, ta, tb);
      return wrap(s.out, kernels.matmul(x, y, s, ta, tb));
    },
    circularConvolve: circular('convolve'),
    circularCorrelate: circular('correlate'),

    scope: <T>(fn: () => T): T => fn(),
    dispose(arrs) {
      const list: readonly Arr[] = Array.isArray(arrs) ? arrs : [arrs as Arr];
      for (const a of list) store.dispose(a);
    },
    liveArrays: () => undefined,
    close(): Promise<void> {
      store.clear();
      return Promise.resolve();
    },
  };
}

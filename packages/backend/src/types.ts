import type { Precision } from '@implicit-bias/core';

/**
 * An array handle owned by one backend. Treat it as opaque: only its `shape` is public,
 * and only the backend that made it may operate on it.
 */
export interface Arr {
  /** Dimensions, leading axis first (row-major). */
  readonly shape: readonly number[];
}

/** Options of {@link Backend.matmul}. */
export interface MatmulOptions {
  /** Use the transpose of the last two axes of `a`. */
  readonly transposeA?: boolean;
  /** Use the transpose of the last two axes of `b`. */
  readonly transposeB?: boolean;
}

/**
 * The small set of array operations that networks and the flow engine need.
 *
 * Conventions, shared by every implementation and checked by the conformance suite:
 * - Arrays are row-major; the leading axis is the batch of runs (`B`) wherever an op is batched.
 * - Binary element-wise ops broadcast NumPy-style (trailing axes aligned, size-1 axes stretched).
 * - `axis` may be negative (counted from the end). Reductions drop the axis unless `keepDims`.
 * - Inputs of the wrong shape throw `ImplicitBiasError` with code `SHAPE_MISMATCH`;
 *   non-finite host data passed to {@link Backend.fromHost} throws `NON_FINITE`.
 * - Ops never modify their inputs; every op returns a new array.
 */
export interface Backend {
  /** The plug-in id (`'cpu'`, `'tfjs-cpu'`, `'wasm'`, …). */
  readonly id: string;
  /** Floating-point precision of the arrays. */
  readonly precision: Precision;

  // ---- creation and readback ----
  /** Copy host numbers into a new array of the given shape (rejects non-finite values). */
  fromHost(data: ArrayLike<number>, shape: readonly number[]): Arr;
  /** A new array filled with `value` (default 0). */
  fill(shape: readonly number[], value?: number): Arr;
  /** Read an array back to the host as float64 (row-major). */
  toHost(a: Arr): Promise<Float64Array>;
  /** Synchronous read-back. */
  toHostSync(a: Arr): Float64Array;

  // ---- shape ----
  /** Same data, new shape of the same size. */
  reshape(a: Arr, shape: readonly number[]): Arr;
  /** The block starting at `begin` of extent `size` (`-1` in `size` means "to the end"). */
  slice(a: Arr, begin: readonly number[], size: readonly number[]): Arr;
  /** Join arrays along an axis; all other dimensions must agree. */
  concat(arrs: readonly Arr[], axis: number): Arr;
  /** Select `indices` along `axis` (for example some runs of a batch). */
  gather(a: Arr, indices: readonly number[], axis: number): Arr;
  /** Permute axes: output axis i is input axis `perm[i]`. */
  transpose(a: Arr, perm: readonly number[]): Arr;
  /** Zero-pad: `paddings[i] = [before, after]` for axis i. */
  pad(a: Arr, paddings: readonly (readonly [number, number])[]): Arr;

  // ---- element-wise (binary ops broadcast) ----
  /** Element-wise `a + b` (broadcast). */
  add(a: Arr, b: Arr): Arr;
  /** Element-wise `a − b` (broadcast). */
  sub(a: Arr, b: Arr): Arr;
  /** Element-wise product `a ⊙ b` (broadcast). */
  mul(a: Arr, b: Arr): Arr;
  /** Element-wise quotient `a / b` (broadcast; IEEE semantics for division by zero). */
  div(a: Arr, b: Arr): Arr;
  /** Element-wise maximum. */
  maximum(a: Arr, b: Arr): Arr;
  /** Multiply every entry by a host scalar. */
  scale(a: Arr, s: number): Arr;
  /** Add a host scalar to every entry. */
  addScalar(a: Arr, s: number): Arr;
  /** Element-wise `−a`. */
  neg(a: Arr): Arr;
  /** Element-wise `|a|`. */
  abs(a: Arr): Arr;
  /** Element-wise sign: −1, 0 or +1. */
  sign(a: Arr): Arr;
  /** Element-wise `a²`. */
  square(a: Arr): Arr;
  /** Element-wise `√a` (NaN for negative entries). */
  sqrt(a: Arr): Arr;
  /** `a^p` for a host exponent (for non-integer `p`, entries must be ≥ 0). */
  pow(a: Arr, p: number): Arr;
  /** Element-wise `e^a`. */
  exp(a: Arr): Arr;
  /** Element-wise natural logarithm (−∞ at 0, NaN below). */
  log(a: Arr): Arr;
  /** Logistic sigmoid `1/(1+e^{−x})`, accurate for large |x|. */
  sigmoid(a: Arr): Arr;
  /** `log(1 + e^x)`, accurate for large |x| (no overflow). */
  softplus(a: Arr): Arr;

  // ---- reductions ----
  /** Sum along `axis` (negative counts from the end); the axis is dropped unless `keepDims`. */
  sum(a: Arr, axis: number, keepDims?: boolean): Arr;
  /** Maximum along `axis`; the axis is dropped unless `keepDims`. */
  max(a: Arr, axis: number, keepDims?: boolean): Arr;
  /** Minimum along `axis`; the axis is dropped unless `keepDims`. */
  min(a: Arr, axis: number, keepDims?: boolean): Arr;
  /** `log Σ exp(a)` along an axis, stable for any magnitudes (shifted by the max). */
  logSumExp(a: Arr, axis: number, keepDims?: boolean): Arr;
  /** `exp(a − logSumExp(a))` along an axis. */
  softmax(a: Arr, axis: number): Arr;

  // ---- linear algebra ----
  /**
   * Matrix product over the last two axes, batch axes broadcast (rank 2 or 3 each):
   * `[m,k]·[k,n]`, `[B,m,k]·[B,k,n]`, `[B,m,k]·[k,n]`, `[m,k]·[B,k,n]`.
   */
  matmul(a: Arr, b: Arr, options?: MatmulOptions): Arr;
  /**
   * Circular convolution along the last axis: `c_i = Σ_j a_j b_{(i−j) mod d}`.
   * `a` and `b` have the same last dimension `d`; leading axes broadcast.
   */
  circularConvolve(a: Arr, b: Arr): Arr;
  /**
   * Circular cross-correlation along the last axis: `c_i = Σ_j a_{(i+j) mod d} b_j`
   * (docs/theory/tensor-formulation.md's `a ⋆ b`). Same shape rules as {@link Backend.circularConvolve}.
   */
  circularCorrelate(a: Arr, b: Arr): Arr;

  // ---- resources ----
  /**
   * Run `fn`, then free every array it created except those it returns (directly, or inside
   * an array or a plain object). Identity on backends with garbage-collected arrays.
   */
  scope<T>(fn: () => T): T;
  /** Free arrays now. Using an array after disposal is an error. */
  dispose(arrs: Arr | readonly Arr[]): void;
  /** Number of live arrays this backend tracks (for leak checks); `undefined` if not tracked. */
  liveArrays(): number | undefined;
  /** Release everything the backend holds. */
  close(): Promise<void>;
}

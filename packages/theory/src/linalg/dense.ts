/**
 * Small dense float64 linear algebra on row-major arrays, written here so that the oracle shares
 * no code with what it checks. Sizes are the number of samples (tens to hundreds).
 * @internal
 */
import type { HostMatrix } from '@implicit-bias/core';

/** `A x`. */
export function matVec(A: HostMatrix, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) s += A.data[o + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

/** `Aᵀ y`. */
export function matTVec(A: HostMatrix, y: ArrayLike<number>): Float64Array {
  const out = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) {
    const yi = y[i]!;
    if (yi === 0) continue;
    const o = i * A.cols;
    for (let j = 0; j < A.cols; j++) out[j]! += A.data[o + j]! * yi;
  }
  return out;
}

/** `A diag(w) Aᵀ` (n×n, row-major); `w` omitted means the identity. */
export function weightedGram(A: HostMatrix, w?: ArrayLike<number>): Float64Array {
  const n = A.rows;
  const m = A.cols;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k <= i; k++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += A.data[i * m + j]! * (w ? w[j]! : 1) * A.data[k * m + j]!;
      G[i * n + k] = s;
      G[k * n + i] = s;
    }
  return G;
}

/**
 * Cholesky factor `G = R Rᵀ` (lower `R`, row-major) of a symmetric n×n matrix. Returns `null`
 * when a pivot falls below `relTol` times its diagonal entry (singular to working precision).
 */
export function cholesky(
  G: Float64Array,
  n: number,
  relTol = 64 * 2.220446049250313e-16 * n,
): Float64Array | null {
  const R = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = G[j * n + j]!;
    for (let k = 0; k < j; k++) d -= R[j * n + k]! ** 2;
    if (!(d > relTol * Math.abs(G[j * n + j]!)) || !(d > 0)) return null;
    const rjj = Math.sqrt(d);
    R[j * n + j] = rjj;
    for (let i = j + 1; i < n; i++) {
      let s = G[i * n + j]!;
      for (let k = 0; k < j; k++) s -= R[i * n + k]! * R[j * n + k]!;
      R[i * n + j] = s / rjj;
    }
  }
  return R;
}

/** Solve `R Rᵀ x = b` from a {@link cholesky} factor. */
export function choleskySolve(R: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b as ArrayLike<number>);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= R[i * n + k]! * x[k]!;
    x[i] = s / R[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= R[k * n + i]! * x[k]!;
    x[i] = s / R[i * n + i]!;
  }
  return x;
}

/**
 * Solve the square system `M x = b` (row-major n×n) by Gaussian elimination with partial
 * pivoting and one step of iterative refinement. Returns `null` when singular to working precision.
 */
export function luSolve(
  M: ArrayLike<number>,
  n: number,
  b: ArrayLike<number>,
): Float64Array | null {
  const a = Float64Array.from(M as ArrayLike<number>);
  const perm = new Int32Array(n);
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(a[i]!));
  if (scale === 0) return null;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]!) > Math.abs(a[p * n + k]!)) p = i;
    if (!(Math.abs(a[p * n + k]!) > 64 * n * 2.220446049250313e-16 * scale)) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
    }
    const piv = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k]! /= piv);
      if (f !== 0) for (let j = k + 1; j < n; j++) a[i * n + j]! -= f * a[k * n + j]!;
    }
  }
  const solve = (rhs: ArrayLike<number>): Float64Array => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = rhs[perm[i]!]!;
      for (let k = 0; k < i; k++) s -= a[i * n + k]! * x[k]!;
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i]!;
      for (let k = i + 1; k < n; k++) s -= a[i * n + k]! * x[k]!;
      x[i] = s / a[i * n + i]!;
    }
    return x;
  };
  const x = solve(b);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let j = 0; j < n; j++) s -= M[i * n + j]! * x[j]!;
    r[i] = s;
  }
  const dx = solve(r);
  for (let i = 0; i < n; i++) x[i]! += dx[i]!;
  return x;
}

/** Euclidean norm of a difference `‖a − b‖`. */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/**
 * Least squares `argmin ‖M x − b‖` for a dense row-major `rows × cols` matrix with
 * `rows ≥ cols`, by Householder QR. Returns `null` when M is rank deficient to working precision.
 */
export function leastSquares(
  M: ArrayLike<number>,
  rows: number,
  cols: number,
  b: ArrayLike<number>,
): Float64Array | null {
  const a = Float64Array.from(M as ArrayLike<number>);
  const r = Float64Array.from(b as ArrayLike<number>);
  if (rows < cols) return null;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]!));
  if (scale === 0) return cols === 0 ? new Float64Array(0) : null;
  const diag = new Float64Array(cols);
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm += a[i * cols + k]! ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 64 * 2.220446049250313e-16 * Math.max(rows, cols) * scale)) return null;
    const alpha = a[k * cols + k]! > 0 ? -norm : norm;
    // v = x − alpha e_1, stored in column k from row k
    a[k * cols + k]! -= alpha;
    let vnorm2 = 0;
    for (let i = k; i < rows; i++) vnorm2 += a[i * cols + k]! ** 2;
    diag[k] = alpha;
    if (vnorm2 === 0) continue;
    for (let j = k + 1; j < cols; j++) {
      let s = 0;
      for (let i = k; i < rows; i++) s += a[i * cols + k]! * a[i * cols + j]!;
      const f = (2 * s) / vnorm2;
      for (let i = k; i < rows; i++) a[i * cols + j]! -= f * a[i * cols + k]!;
    }
    let s = 0;
    for (let i = k; i < rows; i++) s += a[i * cols + k]! * r[i]!;
    const f = (2 * s) / vnorm2;
    for (let i = k; i < rows; i++) r[i]! -= f * a[i * cols + k]!;
  }
  const x = new Float64Array(cols);
  for (let k = cols - 1; k >= 0; k--) {
    let s = r[k]!;
    for (let j = k + 1; j < cols; j++) s -= a[k * cols + j]! * x[j]!;
    x[k] = s / diag[k]!;
  }
  return x;
}

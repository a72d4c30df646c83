/** An LU factorization with partial pivoting of a small dense `n×n` matrix: `P·A = L·U`. */
export interface LuFactors {
  /** Order of the matrix. */
  readonly n: number;
  /** `L` (unit lower, below the diagonal) and `U` (on and above it), packed row-major. */
  readonly lu: Float64Array;
  /** Row `i` of `P·A` is row `pivots[i]` of `A`. */
  readonly pivots: Int32Array;
  /** False when a pivot is exactly zero or not finite (the matrix is numerically singular). */
  readonly ok: boolean;
}

/** Factor the row-major `n×n` matrix `a` (not modified) by Gaussian elimination with partial pivoting. */
export function luFactor(a: ArrayLike<number>, n: number): LuFactors {
  const lu = Float64Array.from(a);
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  let ok = true;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) {
      ok = false;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      const t = pivots[k]!;
      pivots[k] = pivots[p]!;
      pivots[p] = t;
    }
    const pivot = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const m = lu[i * n + k]! / pivot;
      lu[i * n + k] = m;
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] = lu[i * n + j]! - m * lu[k * n + j]!;
    }
  }
  return { n, lu, pivots, ok };
}

/** Solve `A x = b` with the factors of `A`; `b` is read from `b[offset…offset+n)`. */
export function luSolve(f: LuFactors, b: ArrayLike<number>, offset = 0): Float64Array {
  const { n, lu, pivots } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[offset + pivots[i]!]!;
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * x[j]!;
    x[i] = s / lu[i * n + i]!;
  }
  return x;
}

import type { HostMatrix } from '@implicit-bias/core';

/**
 * The least-squares minimum of the squared loss over all linear predictors `f(x) = ⟨x, b⟩`:
 * `½‖(I − P)y‖²`, `P` the orthogonal projector onto the column space of `X` (the normal equations'
 * residual). Every linear tensor network computes such a predictor, so no network can train the
 * squared loss below it; it is 0 (to rounding) exactly when the data have an exact fit.
 *
 * Householder QR with column pivoting on a copy of `X` (`O(n·d·rank)` work), stopping at the
 * numerical rank: the largest remaining column norm below `max(n, d)·ε·‖X‖_max-col`.
 */
export function leastSquaresMinimum(X: HostMatrix, y: Float64Array): number {
  const n = X.rows;
  const d = X.cols;
  // columns of X, each of length n
  const cols: Float64Array[] = [];
  for (let j = 0; j < d; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = X.data[i * d + j]!;
    cols.push(c);
  }
  const r = Float64Array.from(y);
  const norm2From = (c: Float64Array, k: number): number => {
    let s = 0;
    for (let i = k; i < n; i++) s += c[i]! * c[i]!;
    return s;
  };
  let scale = 0;
  for (const c of cols) scale = Math.max(scale, Math.sqrt(norm2From(c, 0)));
  const tol = Math.max(n, d) * Number.EPSILON * scale;
  let rank = 0;
  for (let k = 0; k < Math.min(n, d); k++) {
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < d; j++) {
      const s = norm2From(cols[j]!, k);
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    const alphaAbs = Math.sqrt(bestNorm);
    if (!(alphaAbs > tol)) break;
    [cols[k], cols[best]] = [cols[best]!, cols[k]!];
    const a = cols[k]!;
    // reflector H = I − 2vvᵀ/(vᵀv) with v = a − α e_k, α = −sign(a_k)‖a‖ (no cancellation)
    const alpha = a[k]! >= 0 ? -alphaAbs : alphaAbs;
    const v = new Float64Array(n - k);
    for (let i = k; i < n; i++) v[i - k] = a[i]!;
    v[0] = v[0]! - alpha;
    let vv = 0;
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
    const reflect = (c: Float64Array): void => {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i - k]! * c[i]!;
      const f = (2 * s) / vv;
      for (let i = k; i < n; i++) c[i] = c[i]! - f * v[i - k]!;
    };
    for (let j = k + 1; j < d; j++) reflect(cols[j]!);
    reflect(r);
    rank = k + 1;
  }
  return 0.5 * norm2From(r, rank);
}

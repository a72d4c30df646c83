import type { HostMatrix } from '@implicit-bias/core';
import { checkMatrix, checkVector } from '../linalg/validate.js';
import { choleskySolve, matTVec, matVec } from '../linalg/dense.js';
import { independentRows } from '../linalg/rank.js';
import { assertDepth } from '../scalar/depth.js';
import { HLPrime } from '../scalar/h-l.js';
import { qScales } from '../regression/q-scales.js';

/** `‖Aρ − y‖ / ‖y‖` (absolute when `y = 0`): how far ρ is from interpolating. */
export function interpolationResidual(
  A: HostMatrix,
  rho: ArrayLike<number>,
  y: ArrayLike<number>,
): number {
  checkMatrix(A, 'A');
  checkVector(rho, A.cols, 'rho');
  checkVector(y, A.rows, 'y');
  const r = matVec(A, rho);
  let s = 0;
  let yy = 0;
  for (let i = 0; i < A.rows; i++) {
    s += (r[i]! - y[i]!) ** 2;
    yy += y[i]! ** 2;
  }
  return yy === 0 ? Math.sqrt(s) : Math.sqrt(s / yy);
}

/**
 * Relative distance of `g = ∇Q_{L,α,η}(ρ)` from the row space of A, `‖(I − Aᵀ(AAᵀ)^{−1}A) g‖/‖g‖`:
 * zero exactly when ρ is stationary for `min Q s.t. Aρ = y` (Lagrange condition `∇Q = Aᵀλ`).
 * Computed from ρ alone, independently of any solver; `∂Q/∂ρ_j = c_j^{2−L} H_L'(ρ_j/c_j^L)`.
 * Rows of A that depend on others (duplicates) are skipped: they do not change the row space.
 */
export function qOptimalityResidual(args: {
  readonly A: HostMatrix;
  readonly rho: ArrayLike<number>;
  readonly L: number;
  readonly alpha: number;
  readonly eta?: ArrayLike<number>;
}): number {
  const { A, rho, L, alpha } = args;
  checkMatrix(A, 'A');
  checkVector(rho, A.cols, 'rho');
  assertDepth(L);
  const c = qScales(A.cols, alpha, args.eta);
  const g = new Float64Array(A.cols);
  for (let j = 0; j < A.cols; j++)
    g[j] = Math.pow(c[j]!, 2 - L) * HLPrime(L, rho[j]! / Math.pow(c[j]!, L));
  // the row space of A is that of its independent rows (dependent ones add nothing)
  const { kept, R } = independentRows(A);
  const B = { rows: kept.length, cols: A.cols, data: new Float64Array(kept.length * A.cols) };
  kept.forEach((i, p) => B.data.set(A.data.subarray(i * A.cols, (i + 1) * A.cols), p * A.cols));
  const proj =
    kept.length === 0
      ? new Float64Array(A.cols)
      : matTVec(B, choleskySolve(R, kept.length, matVec(B, g)));
  let num = 0;
  let den = 0;
  for (let j = 0; j < A.cols; j++) {
    num += (g[j]! - proj[j]!) ** 2;
    den += g[j]! ** 2;
  }
  return den === 0 ? 0 : Math.sqrt(num / den);
}

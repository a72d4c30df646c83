// Independent oracles shared by the tests (never imported by library code).
import { solveQP } from 'quadprog';
import { EigenvalueDecomposition, Matrix, pseudoInverse, solve } from 'ml-matrix';
import { Rng, key, matrixFromRows } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';

/** Seeded standard-normal matrix. */
export function randomMatrix(seed: number, rows: number, cols: number): HostMatrix {
  const rng = new Rng(key(seed));
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { rows, cols, data };
}

/** Seeded vector, uniform on [lo, hi). */
export function randomVector(seed: number, n: number, lo = -1, hi = 1): Float64Array {
  const rng = new Rng(key(seed, 1));
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

export const relErr = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  let nb = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(d / Math.max(nb, 1e-300));
};

/**
 * quadprog (Goldfarb–Idnani): min ½ xᵀ diag(h) x + cᵀx s.t. G x ≥ g (first `meq` rows equalities).
 */
export function quadprogSolve(
  h: ArrayLike<number>,
  c: ArrayLike<number>,
  G: HostMatrix,
  g: ArrayLike<number>,
  meq = 0,
): { x: Float64Array; multipliers: Float64Array; message: string } {
  const p = h.length;
  const D: number[][] = [[]];
  for (let i = 1; i <= p; i++) {
    const row = [0];
    for (let j = 1; j <= p; j++) row.push(i === j ? h[i - 1]! : 0);
    D.push(row);
  }
  const d = [0, ...Array.from(c, (v) => -v)];
  const A: number[][] = [[]];
  for (let i = 1; i <= p; i++) {
    const row = [0];
    for (let k = 1; k <= G.rows; k++) row.push(G.data[(k - 1) * G.cols + (i - 1)]!);
    A.push(row);
  }
  const r = solveQP(D, d, A, [0, ...Array.from(g)], meq);
  return {
    x: Float64Array.from(r.solution.slice(1)),
    multipliers: Float64Array.from(r.Lagrangian.slice(1)),
    message: r.message,
  };
}

/**
 * Orthonormal basis of the null space of A (m × (m − n)): eigenvectors with eigenvalue 1 of the
 * projector I − Aᵀ(AAᵀ)^{-1}A, from ml-matrix's symmetric eigen-decomposition.
 */
export function nullSpace(A: HostMatrix): Matrix {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]!);
  const P = Matrix.eye(A.cols).sub(M.transpose().mmul(solve(M.mmul(M.transpose()), M)));
  const eig = new EigenvalueDecomposition(P.add(P.transpose()).div(2), { assumeSymmetric: true });
  const cols: number[] = [];
  eig.realEigenvalues.forEach((v, i) => {
    if (v > 0.5) cols.push(i);
  });
  return eig.eigenvectorMatrix.subMatrixColumn(cols);
}

/** A particular solution of Aρ = y by ml-matrix's least squares (SVD pseudo-inverse). */
export function particularSolution(A: HostMatrix, y: ArrayLike<number>): Float64Array {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]!);
  const x = pseudoInverse(M).mmul(Matrix.columnVector(Array.from(y)));
  return Float64Array.from(x.getColumn(0));
}

/** Separable data: labels from a planted direction, samples with small margins dropped. */
export function plantedData(
  seed: number,
  n: number,
  d: number,
): { X: HostMatrix; y: Float64Array } {
  const X = randomMatrix(seed, 3 * n, d);
  const w = randomVector(seed + 1, d);
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < X.rows && rows.length < n; i++) {
    const x = Array.from(X.data.subarray(i * d, (i + 1) * d));
    const s = x.reduce((acc, v, j) => acc + v * w[j]!, 0);
    if (Math.abs(s) < 0.2) continue;
    rows.push(x);
    y.push(Math.sign(s));
  }
  return { X: matrixFromRows(rows), y: Float64Array.from(y) };
}

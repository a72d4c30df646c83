import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { cholesky, choleskySolve, matTVec, weightedGram } from './dense.js';

/**
 * Cholesky factor of `A diag(w) Aᵀ`; throws `RANK_DEFICIENT` naming `problem` when it is
 * singular to working precision (a pivot below `64·n·ε` of its diagonal entry).
 * @internal
 */
export function fullRowRankFactor(
  A: HostMatrix,
  problem: string,
  field: string,
  w?: ArrayLike<number>,
): { G: Float64Array; R: Float64Array } {
  const G = weightedGram(A, w);
  const R = cholesky(G, A.rows);
  if (R === null) {
    throw new ImplicitBiasError(
      'RANK_DEFICIENT',
      `${problem}: the ${A.rows} rows of ${field} are linearly dependent (${field} ${field}ᵀ is singular to working precision); remove duplicate or dependent samples, or use fewer samples than features`,
      { path: field, data: { rows: A.rows, cols: A.cols } },
    );
  }
  return { G, R };
}

const EPS = 2.220446049250313e-16;

/**
 * The rows of `A` that are linearly independent of the rows before them, by a Cholesky
 * factorization of `A Aᵀ` that skips a row whose pivot falls below `64·n·ε` of its diagonal
 * entry (the test {@link fullRowRankFactor} applies, so the kept rows always pass it).
 * `R` is the Cholesky factor of the kept rows' Gram matrix (k×k, lower, row-major).
 * @internal
 */
export function independentRows(A: HostMatrix): { kept: number[]; R: Float64Array } {
  const n = A.rows;
  const G = weightedGram(A);
  const relTol = 64 * EPS * n;
  const kept: number[] = [];
  const L: Float64Array[] = []; // L[i][p]: factor entries of row i against kept row p
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(kept.length + 1);
    let d = G[i * n + i]!;
    for (let p = 0; p < kept.length; p++) {
      const q = kept[p]!;
      let s = G[i * n + q]!;
      for (let t = 0; t < p; t++) s -= row[t]! * L[q]![t]!;
      row[p] = s / L[q]![p]!;
      d -= row[p]! ** 2;
    }
    if (d > relTol * G[i * n + i]! && d > 0) {
      row[kept.length] = Math.sqrt(d);
      L[i] = row;
      kept.push(i);
    }
  }
  const k = kept.length;
  const R = new Float64Array(k * k);
  kept.forEach((q, p) => R.set(L[q]!.subarray(0, p + 1), p * k));
  return { kept, R };
}

/** The rows `rows` of `A` as a matrix. */
function rowsOf(A: HostMatrix, rows: readonly number[]): HostMatrix {
  const m = A.cols;
  const data = new Float64Array(rows.length * m);
  rows.forEach((i, p) => data.set(A.data.subarray(i * m, (i + 1) * m), p * m));
  return { rows: rows.length, cols: m, data };
}

/** An interpolation system `Aρ = y` with its dependent rows removed. @internal */
export interface ReducedSystem {
  /** The independent rows of A (A itself when none was dropped); `rows` may be 0. */
  readonly A: HostMatrix;
  /** Their targets. */
  readonly y: Float64Array;
  /** Indices of the kept rows in the original system. */
  readonly kept: readonly number[];
}

/**
 * Prepare the interpolation system `Aρ = y` for a solver that needs full row rank: rows that
 * depend on earlier ones are dropped when the data are consistent (a dependent row's target is
 * the value the kept rows force, to the precision of the rank test: duplicate samples with
 * equal targets), which leaves the set of interpolants unchanged. When no interpolant exists it
 * throws `INVALID_DATA` saying why: `A` is zero while `y` is not (path `A`), or a row of `A`
 * is a duplicate / combination of other rows with a different target (path `y`: rank of `A` <
 * rank of `[A y]`). `names` are the fields for messages (`X`/`y` for raw data).
 * @internal
 */
export function interpolationSystem(
  A: HostMatrix,
  y: ArrayLike<number>,
  problem: string,
  names: { readonly A: string; readonly y: string },
): ReducedSystem {
  const n = A.rows;
  const yy = Float64Array.from(y);
  const { kept, R } = independentRows(A);
  if (kept.length === n) return { A, y: yy, kept };
  const m = A.cols;
  const norm = (i: number): number => {
    let s = 0;
    for (let j = 0; j < m; j++) s += A.data[i * m + j]! ** 2;
    return Math.sqrt(s);
  };
  const advice =
    'gradient flow on squared loss then tends to a least-squares fit, not an interpolant, so the theory predicts no limit; remove or merge the conflicting samples (e.g. average y over duplicate rows)';
  if (kept.length === 0) {
    const nz = yy.findIndex((v) => v !== 0);
    if (nz >= 0) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `${problem}: no interpolating solution exists: ${names.A} is zero (every prediction is 0) but ${names.y}[${nz}] = ${yy[nz]}; check that the features were read correctly`,
        { path: names.A, data: { rows: n, cols: m } },
      );
    }
    return { A: { rows: 0, cols: m, data: new Float64Array(0) }, y: new Float64Array(0), kept };
  }
  const B = rowsOf(A, kept);
  const yB = Float64Array.from(kept, (i) => yy[i]!);
  // the minimum-norm solution of the kept rows: every interpolant gives a dependent row the same
  // value, so the data are consistent exactly when this one fits the dropped rows
  const beta = matTVec(B, choleskySolve(R, kept.length, yB));
  let betaNorm = 0;
  for (let j = 0; j < m; j++) betaNorm += beta[j]! ** 2;
  betaNorm = Math.sqrt(betaNorm);
  const tau = Math.sqrt(64 * EPS * n); // a dependent row is one within √(64nε)·‖a_i‖ of the others
  const isKept = new Set(kept);
  for (let i = 0; i < n; i++) {
    if (isKept.has(i)) continue;
    let fit = 0;
    for (let j = 0; j < m; j++) fit += A.data[i * m + j]! * beta[j]!;
    if (Math.abs(fit - yy[i]!) <= tau * (norm(i) * betaNorm + Math.abs(yy[i]!))) continue;
    const row = A.data.subarray(i * m, (i + 1) * m);
    const twin = Array.from({ length: n }, (_, k) => k).find(
      (k) => k !== i && A.data.subarray(k * m, (k + 1) * m).every((v, j) => v === row[j]),
    );
    const how =
      norm(i) === 0
        ? `row ${i} of ${names.A} is zero but ${names.y}[${i}] = ${yy[i]}`
        : twin !== undefined
          ? `rows ${twin} and ${i} of ${names.A} are equal but ${names.y}[${twin}] = ${yy[twin]} and ${names.y}[${i}] = ${yy[i]}`
          : `row ${i} of ${names.A} is a linear combination of other rows, which force ${fit} where ${names.y}[${i}] = ${yy[i]}`;
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `${problem}: no interpolating solution exists: the data are inconsistent (${how}; rank of ${names.A} = ${kept.length} < rank of [${names.A} ${names.y}] = ${kept.length + 1}); ${advice}`,
      { path: names.y, data: { row: i, rank: kept.length, rows: n } },
    );
  }
  return { A: B, y: yB, kept };
}

import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { cholesky, weightedGram } from './dense.js';

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

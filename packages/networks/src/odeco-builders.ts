import type { HostMatrix } from '@implicit-bias/core';
import type { ComplexMatrix, OdecoDecomposition } from './types.js';

/** The n×n identity. @internal */
export function identity(n: number): HostMatrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}

/**
 * A real odeco decomposition with every `U_l = I_m` (diagonal networks, superdiagonal tensors,
 * L = 1 models): `M(x) = Σ_j [Sx]_j e_j ⊗ … ⊗ e_j`.
 * @internal
 */
export function superdiagonalOdeco(S: HostMatrix, depth: number): OdecoDecomposition {
  const U: HostMatrix[] = [];
  for (let l = 0; l < depth; l++) U.push(identity(S.rows));
  return { complex: false, m: S.rows, S, U };
}

/**
 * The unitary DFT `F_{jk} = e^{−2πi jk/d}/√d` scaled by `c` (conjugated when `conj`).
 * Angles are reduced mod d in integers so entries are exact to rounding.
 * @internal
 */
export function dftMatrix(d: number, c: number, conj: boolean): ComplexMatrix {
  const re = new Float64Array(d * d);
  const im = new Float64Array(d * d);
  const s = c / Math.sqrt(d);
  const sign = conj ? 1 : -1;
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < d; k++) {
      const t = (2 * Math.PI * ((j * k) % d)) / d;
      re[j * d + k] = s * Math.cos(t);
      im[j * d + k] = sign * s * Math.sin(t);
    }
  }
  return { rows: d, cols: d, re, im };
}

/**
 * Odeco decomposition of the full-filter circular convolution with data tensor
 * `M(x)[j_1..j_L] = x_{(j_1+…+j_L) mod d}`: `S = d^{(L−1)/2} F`, `U_l = conj(F)` (theory.md §3).
 * Check: `Σ_j [Sx]_j Π_l conj(F)_{a_l j} = d^{−1} Σ_s x_s Σ_j e^{2πi j(Σa_l − s)/d} = x_{Σa_l mod d}`.
 * @internal
 */
export function fullConvolutionOdeco(d: number, depth: number): OdecoDecomposition {
  const U: ComplexMatrix[] = [];
  for (let l = 0; l < depth; l++) U.push(dftMatrix(d, 1, true));
  return { complex: true, m: d, S: dftMatrix(d, Math.pow(d, (depth - 1) / 2), false), U };
}

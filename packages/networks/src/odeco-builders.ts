import type { HostMatrix } from '@implicit-bias/core';
import type { ComplexMatrix, OdecoDecomposition, OdecoMatrix } from './types.js';
import { checkMemory } from './limits.js';

/**
 * The n×n identity, implicit: `identity: true`, and its dense `data` is formed only when read
 * (once, after a memory check naming `path`), so that diagonal networks of large d never
 * allocate d² entries unless a caller insists.
 * @internal
 */
export function identity(n: number, path = 'odeco().U', budget?: number): OdecoMatrix {
  let data: Float64Array | undefined;
  return {
    rows: n,
    cols: n,
    identity: true,
    get data(): Float64Array {
      if (data === undefined) {
        checkMemory({
          bytes: 8 * n * n,
          path,
          what: `the dense ${n}×${n} identity of the odeco decomposition`,
          how: '8 bytes per entry',
          fix: 'use the matrix implicitly (it is marked identity: true, so Uᵀv = v and Sx = x)',
          ...(budget !== undefined ? { budget } : {}),
        });
        data = new Float64Array(n * n);
        for (let i = 0; i < n; i++) data[i * n + i] = 1;
      }
      return data;
    },
  };
}

/**
 * A real odeco decomposition with every `U_l = I_m` (diagonal networks, superdiagonal tensors,
 * L = 1 models): `M(x) = Σ_j [Sx]_j e_j ⊗ … ⊗ e_j`. The layers share one implicit identity.
 * @internal
 */
export function superdiagonalOdeco(
  S: HostMatrix | OdecoMatrix,
  depth: number,
  budget?: number,
): OdecoDecomposition {
  const I = identity(S.rows, 'odeco().U', budget);
  const U: OdecoMatrix[] = new Array<OdecoMatrix>(depth).fill(I);
  return { complex: false, m: S.rows, S, U };
}

/**
 * The unitary DFT `F_{jk} = e^{−2πi jk/d}/√d` scaled by `c` (conjugated when `conj`).
 * Angles are reduced mod d in integers so entries are exact to rounding. The entries are
 * formed when `re` or `im` is first read, after a memory check (16 bytes per entry).
 * @internal
 */
export function dftMatrix(d: number, c: number, conj: boolean, budget?: number): ComplexMatrix {
  let parts: { re: Float64Array; im: Float64Array } | undefined;
  const dense = (): { re: Float64Array; im: Float64Array } => {
    if (parts === undefined) {
      checkMemory({
        bytes: 16 * d * d,
        path: 'odeco()',
        what: `the dense ${d}×${d} DFT matrix of the convolution's odeco decomposition`,
        how: '16 bytes per complex entry',
        fix: 'use the FFT instead of the dense matrix (S = d^{(L−1)/2} F, U_l = conj(F))',
        ...(budget !== undefined ? { budget } : {}),
      });
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
      parts = { re, im };
    }
    return parts;
  };
  return {
    rows: d,
    cols: d,
    get re(): Float64Array {
      return dense().re;
    },
    get im(): Float64Array {
      return dense().im;
    },
  };
}

/**
 * Odeco decomposition of the full-filter circular convolution with data tensor
 * `M(x)[j_1..j_L] = x_{(j_1+…+j_L) mod d}`: `S = d^{(L−1)/2} F`, `U_l = conj(F)` (docs/theory/odeco.md).
 * Check: `Σ_j [Sx]_j Π_l conj(F)_{a_l j} = d^{−1} Σ_s x_s Σ_j e^{2πi j(Σa_l − s)/d} = x_{Σa_l mod d}`.
 * The layers share one (lazily formed) `conj(F)`.
 * @internal
 */
export function fullConvolutionOdeco(
  d: number,
  depth: number,
  budget?: number,
): OdecoDecomposition {
  const Fc = dftMatrix(d, 1, true, budget);
  const U: ComplexMatrix[] = new Array<ComplexMatrix>(depth).fill(Fc);
  return {
    complex: true,
    m: d,
    S: dftMatrix(d, Math.pow(d, (depth - 1) / 2), false, budget),
    U,
  };
}

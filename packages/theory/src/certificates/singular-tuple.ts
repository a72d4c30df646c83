import { ImplicitBiasError, assertFinite, oneMinusCos, norm2, sizeOf } from '@implicit-bias/core';
import type { HostTensor } from '@implicit-bias/core';

/** Input of {@link singularTupleResidual}. */
export interface SingularTupleInput {
  /** The network's data tensor `M(x)` (order L, shape `[k_1, …, k_L]`, row-major), for any x. */
  readonly dataTensor: (u: Float64Array) => HostTensor;
  /** Layer parameters `v_1, …, v_L` (lengths `k_l`). */
  readonly params: readonly Float64Array[];
  /** The vector `u = Σ_i ν_i y_i x_i` (for example `Xᵀr` from the last softmax weights). */
  readonly u: Float64Array;
}

/** Result of {@link singularTupleResidual}. */
export interface SingularTupleResult {
  /** `max_l (1 − cos(M(u)·v_{−l}, v_l))`: 0 for a singular tuple with positive singular value. */
  readonly residual: number;
  /** `1 − cos` for each layer. */
  readonly perLayer: number[];
  /** `M(u)·(v̂_1, …, v̂_L)` with unit `v̂_l`: the singular value λ (positive at the limit). */
  readonly singularValue: number;
  /** `max_l ‖v_l‖ / min_l ‖v_l‖ − 1`: the layer norms become equal in the limit. */
  readonly normImbalance: number;
}

/**
 * Singular-tuple certificate of Yun et al. Theorem 1 (docs/theory/singular-tuple.md) for any linear tensor
 * network: contracts the dense tensor `M(u)` with every layer but one,
 * `[M(u)·v_{−l}]_i = Σ M[i_1,…,i_L] Π_{m≠l} v_m[i_m]` with `i_l = i`, and compares it with `v_l`.
 */
export function singularTupleResidual(input: SingularTupleInput): SingularTupleResult {
  const { params, u } = input;
  assertFinite(u, 'u');
  const M = input.dataTensor(u);
  const L = params.length;
  const size = sizeOf(M.shape, 'dataTensor(u).shape');
  if (M.shape.length !== L || M.data.length !== size) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `the data tensor has shape [${M.shape.join(', ')}] and ${M.data.length} entries; expected order ${L} (one axis per layer)`,
      { path: 'dataTensor' },
    );
  }
  params.forEach((v, l) => {
    if (v.length !== M.shape[l]) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `layer ${l} has ${v.length} entries but the tensor axis has ${M.shape[l]}`,
        {
          path: `params[${l}]`,
        },
      );
    }
    assertFinite(v, `params[${l}]`);
  });
  const out = params.map((v) => new Float64Array(v.length));
  const idx = new Array<number>(L).fill(0);
  for (let k = 0; k < size; k++) {
    const m = M.data[k]!;
    if (m !== 0) {
      for (let l = 0; l < L; l++) {
        let p = m;
        for (let q = 0; q < L && p !== 0; q++) if (q !== l) p *= params[q]![idx[q]!]!;
        out[l]![idx[l]!]! += p;
      }
    }
    for (let q = L - 1; q >= 0; q--) {
      idx[q]!++;
      if (idx[q]! < M.shape[q]!) break;
      idx[q] = 0;
    }
  }
  const norms = params.map((v) => norm2(v));
  const perLayer = params.map((v, l) => oneMinusCos(out[l]!, v));
  let full = 0;
  const v0 = params[0]!;
  for (let i = 0; i < v0.length; i++) full += out[0]![i]! * v0[i]!;
  const singularValue = full / norms.reduce((a, b) => a * b, 1);
  return {
    residual: Math.max(...perLayer),
    perLayer,
    singularValue,
    normImbalance: Math.max(...norms) / Math.min(...norms) - 1,
  };
}

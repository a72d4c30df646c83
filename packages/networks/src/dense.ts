import type { HostTensor } from '@implicit-bias/core';

/**
 * Contract a dense tensor of shape `[k_1..k_L]` with every vector except slot `open`
 * (`open = −1`: all slots, result of length 1). Plain float64 loops over every entry.
 * @internal
 */
export function contractDense(
  t: HostTensor,
  vectors: readonly Float64Array[],
  open: number,
): Float64Array {
  const shape = t.shape;
  const L = shape.length;
  const out = new Float64Array(open < 0 ? 1 : shape[open]!);
  const idx = new Array<number>(L).fill(0);
  const total = t.data.length;
  for (let flat = 0; flat < total; flat++) {
    const value = t.data[flat]!;
    if (value !== 0) {
      let p = value;
      for (let l = 0; l < L; l++) if (l !== open) p *= vectors[l]![idx[l]!]!;
      out[open < 0 ? 0 : idx[open]!]! += p;
    }
    for (let l = L - 1; l >= 0; l--) {
      idx[l]! += 1;
      if (idx[l]! < shape[l]!) break;
      idx[l] = 0;
    }
  }
  return out;
}

/**
 * `Σ_j x_j M_j` for dense tensors `M_j` of one shape.
 * @internal
 */
export function combineDense(tensors: readonly HostTensor[], x: Float64Array): HostTensor {
  const first = tensors[0]!;
  const data = new Float64Array(first.data.length);
  for (let j = 0; j < tensors.length; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const m = tensors[j]!.data;
    for (let i = 0; i < data.length; i++) data[i]! += xj * m[i]!;
  }
  return { shape: [...first.shape], data };
}

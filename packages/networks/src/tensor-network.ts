import type { Arr, Backend } from '@implicit-bias/backend';
import { ImplicitBiasError, assertFinite, sameShape, formatShape } from '@implicit-bias/core';
import type { HostTensor } from '@implicit-bias/core';
import type { LinearTensorNetwork } from './types.js';
import { assemble } from './assemble.js';
import { combineDense, contractDense } from './dense.js';
import { superdiagonalOdeco } from './odeco-builders.js';
import { checkNetworkMemory } from './limits.js';
import { checkInt } from './validate.js';
import { fusedTensor } from './fused-tensor.js';

/** Validate user data tensors (possibly plain JSON) and copy them to float64. */
function validateTensors(tensors: readonly HostTensor[], budget?: number): HostTensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'needs at least one data tensor M_j (one per input coordinate)',
      { path: 'dataTensors' },
    );
  }
  const out: HostTensor[] = [];
  for (let j = 0; j < tensors.length; j++) {
    const t = tensors[j] as Partial<HostTensor> | undefined;
    const path = `dataTensors[${j}]`;
    if (typeof t !== 'object' || t === null || !Array.isArray(t.shape) || t.shape.length < 1) {
      throw new ImplicitBiasError('INVALID_CONFIG', 'must be { shape: [k_1..k_L], data }', {
        path,
      });
    }
    const shape = t.shape.map((k, i) => checkInt(k, 1, `${path}.shape[${i}]`));
    if (j > 0 && !sameShape(shape, out[0]!.shape)) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `shape ${formatShape(shape)} differs from dataTensors[0] ${formatShape(out[0]!.shape)}; all M_j share one shape`,
        { path: `${path}.shape` },
      );
    }
    const size = shape.reduce((p, k) => p * k, 1);
    if (j === 0) {
      // the float64 copy, the stacked [d, K] constant, its backend upload and the [B, K]
      // contraction of a gradient, on top of a training run's parameters
      checkNetworkMemory({
        what: `a tensor network of ${tensors.length} data tensors of shape ${formatShape(shape)}`,
        parameters: shape.reduce((a, k) => a + k, 0),
        depth: shape.length,
        largest: { size: Math.max(...shape), path: `${path}.shape` },
        depthPath: `${path}.shape`,
        extraBytes: 8 * size * (3 * tensors.length + 2),
        ...(budget !== undefined ? { budget } : {}),
      });
    }
    const data = t.data as ArrayLike<number> | undefined;
    if (data === undefined || data === null || typeof data.length !== 'number') {
      throw new ImplicitBiasError('INVALID_CONFIG', 'must be an array of numbers', {
        path: `${path}.data`,
      });
    }
    if (data.length !== size) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `shape ${formatShape(shape)} needs ${size} entries, got ${data.length}`,
        { path: `${path}.data` },
      );
    }
    const copy = Float64Array.from(data, (v) => (typeof v === 'number' ? v : Number.NaN));
    assertFinite(copy, `${path}.data`);
    out.push({ shape, data: copy });
  }
  return out;
}

/** β `[B, d]`: contract the stacked tensors `[d, K]` mode by mode from the last. */
function betaBackend(
  be: Backend,
  T: Arr,
  params: readonly Arr[],
  sizes: readonly number[],
  d: number,
  B: number,
): Arr {
  const L = sizes.length;
  const K = sizes.reduce((p, k) => p * k, 1);
  const kL = sizes[L - 1]!;
  // [d·K/k_L, k_L] · v_Lᵀ → [N, B], then batch to the front
  let z = be.matmul(be.reshape(T, [(d * K) / kL, kL]), params[L - 1]!, { transposeB: true });
  let rest = (d * K) / kL;
  if (L === 1) return be.transpose(z, [1, 0]);
  z = be.transpose(be.reshape(z, [rest / sizes[L - 2]!, sizes[L - 2]!, B]), [2, 0, 1]);
  for (let l = L - 2; l >= 0; l--) {
    const k = sizes[l]!;
    rest /= k;
    z = be.matmul(be.reshape(z, [B, rest, k]), be.reshape(params[l]!, [B, k, 1]));
  }
  return be.reshape(z, [B, d]);
}

/** grad_l = M(u)·(v_{−l}) with M(u) = u·T `[B, K]`; right modes first, then left modes. */
function gradBackend(
  be: Backend,
  T: Arr,
  params: readonly Arr[],
  u: Arr,
  sizes: readonly number[],
  B: number,
): Arr[] {
  const L = sizes.length;
  let z = be.matmul(u, T); // [B, K]
  let prefix = sizes.reduce((p, k) => p * k, 1);
  const rightDone: Arr[] = new Array<Arr>(L); // modes > l contracted: [B, k_0⋯k_l]
  rightDone[L - 1] = z;
  for (let l = L - 1; l > 0; l--) {
    const k = sizes[l]!;
    prefix /= k;
    z = be.matmul(be.reshape(z, [B, prefix, k]), be.reshape(params[l]!, [B, k, 1]));
    rightDone[l - 1] = be.reshape(z, [B, prefix]);
  }
  const out: Arr[] = [];
  for (let l = 0; l < L; l++) {
    let y = rightDone[l]!;
    let rest = sizes.slice(0, l + 1).reduce((p, k) => p * k, 1);
    for (let m = 0; m < l; m++) {
      const k = sizes[m]!;
      rest /= k;
      y = be.matmul(be.reshape(params[m]!, [B, 1, k]), be.reshape(y, [B, k, rest]));
    }
    out.push(be.reshape(y, [B, sizes[l]!]));
  }
  return out;
}

/**
 * A linear tensor network from user data tensors: `M(x) = Σ_j x_j M_j` with `d` tensors of one
 * shape `[k_1..k_L]` (docs/theory/tensor-formulation.md). Data may be plain arrays (from JSON); it is validated and
 * copied. `odeco()` recognises superdiagonal tensors (including every L = 1 model) only.
 *
 * @param o.dataTensors the tensors `M_0..M_{d−1}`, row-major
 * @param o.memoryBudget bytes the network and a training run may use (default:
 *   `memoryBudget()`); larger ones are refused before the copies are made (`INVALID_CONFIG`)
 */
export function tensorNetwork(o: {
  dataTensors: readonly HostTensor[];
  memoryBudget?: number;
}): LinearTensorNetwork {
  const tensors = validateTensors(o.dataTensors, o.memoryBudget);
  const d = tensors.length;
  const sizes = [...tensors[0]!.shape];
  const L = sizes.length;
  const K = tensors[0]!.data.length;
  const stacked = new Float64Array(d * K);
  tensors.forEach((t, j) => stacked.set(t.data, j * K));
  const constant = (be: Backend): Arr => be.fromHost(stacked, [d, K]);
  const net = assemble({
    spec: { kind: 'tensor', dataTensors: tensors },
    budget: o.memoryBudget,
    inputDim: d,
    paramSizes: sizes,
    beta: (be, params, B) => betaBackend(be, constant(be), params, sizes, d, B),
    grad: (be, params, u, B) => gradBackend(be, constant(be), params, u, sizes, B),
    betaHost: (params) => Float64Array.from(tensors, (t) => contractDense(t, params, -1)[0]!),
    contract: (u, params, open) => contractDense(combineDense(tensors, u), params, open),
    dense: (x) => combineDense(tensors, x),
    odeco() {
      const k = sizes[0]!;
      if (sizes.some((s) => s !== k)) {
        return {
          notOdeco: 'general data tensor: only superdiagonal tensors are recognised as odeco',
        };
      }
      let stride = 0;
      for (let l = 0, p = 1; l < L; l++, p *= k) stride += p;
      const S = new Float64Array(k * d);
      for (let j = 0; j < d; j++) {
        const m = tensors[j]!.data;
        for (let i = 0; i < K; i++) {
          if (i % stride === 0) S[(i / stride) * d + j] = m[i]!;
          else if (m[i] !== 0) {
            return {
              notOdeco: `general data tensor: dataTensors[${j}] has an off-superdiagonal entry; only superdiagonal tensors are recognised as odeco`,
            };
          }
        }
      }
      return superdiagonalOdeco({ rows: k, cols: d, data: S }, L, o.memoryBudget);
    },
  });
  return { ...net, fused: fusedTensor(stacked, d, sizes) };
}

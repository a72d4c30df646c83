import type { Arr, Backend } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { LinearTensorNetwork } from './types.js';
import { assemble } from './assemble.js';
import { fullConvolutionOdeco, identity, superdiagonalOdeco } from './odeco-builders.js';
import { checkNetworkMemory } from './limits.js';
import { checkInt } from './validate.js';
import { fusedConvolutional } from './fused-convolutional.js';

/** Zero-pad every filter to length d on the backend (a fresh array even when k_l = d). */
function padded(be: Backend, params: readonly Arr[], d: number): Arr[] {
  return params.map((p) => {
    const k = p.shape[1]!;
    return k === d
      ? be.reshape(p, p.shape)
      : be.pad(p, [
          [0, 0],
          [0, d - k],
        ]);
  });
}

/** grad_l = ((u ⋆ v_1 ⋯ ⋆ v_{l−1}) ⋆ (v_{l+1} ∗ … ∗ v_L))[:k_l], padded filters. */
function gradBackend(be: Backend, params: readonly Arr[], u: Arr, d: number, B: number): Arr[] {
  const L = params.length;
  if (L === 1) return [u];
  const p = padded(be, params, d);
  const suffix: Arr[] = new Array<Arr>(L);
  suffix[L - 2] = p[L - 1]!;
  for (let l = L - 3; l >= 0; l--) suffix[l] = be.circularConvolve(p[l + 1]!, suffix[l + 1]!);
  const out: Arr[] = [];
  let left = u;
  for (let l = 0; l < L; l++) {
    const k = params[l]!.shape[1]!;
    const full = l < L - 1 ? be.circularCorrelate(left, suffix[l]!) : left;
    out.push(k === d && l < L - 1 ? full : be.slice(full, [0, 0], [B, k]));
    if (l < L - 1) left = be.circularCorrelate(left, p[l]!);
  }
  return out;
}

/** Circular convolution `(a ∗ b)_i = Σ_j a_j b_{(i−j) mod d}` on the host. */
function convolveHost(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d);
  for (let j = 0; j < a.length; j++) {
    const aj = a[j]!;
    if (aj === 0) continue;
    for (let t = 0; t < b.length; t++) c[(j + t) % d]! += aj * b[t]!;
  }
  return c;
}

/** Circular cross-correlation `(a ⋆ b)_i = Σ_{j<k} a_{(i+j) mod d} b_j` on the host (length d). */
function correlateHost(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < b.length; j++) s += a[(i + j) % d]! * b[j]!;
    c[i] = s;
  }
  return c;
}

/**
 * A circular convolutional linear network `f(x) = ((x ⋆ v_1) ⋆ v_2 ⋯ ⋆ v_{L−1})ᵀ v_L`
 * (docs/theory/tensor-formulation.md) with cross-correlation `(a ⋆ b)_i = Σ_{j<k} a_{(i+j) mod d} b_j`, filters
 * `k_1..k_{L−1} ≤ dim` and last layer `k_L = dim`; data tensor `M(x)[j_1..j_L] = x_{(Σ j_l) mod d}`
 * and `β = v_1 ∗ … ∗ v_L` (circular convolution of the zero-padded filters).
 *
 * @param o.dim input dimension d ≥ 1
 * @param o.depth number of layers L ≥ 1
 * @param o.filters filter lengths k_1..k_{L−1} in [1, d]; default all d (full filters, odeco)
 * @param o.memoryBudget bytes a training run may use (default: `memoryBudget()`); larger
 *   networks are refused before any allocation (`INVALID_CONFIG` naming `dim` or `depth`)
 */
export function convolutional(o: {
  dim: number;
  depth: number;
  filters?: readonly number[];
  memoryBudget?: number;
}): LinearTensorNetwork {
  const d = checkInt(o.dim, 1, 'dim');
  const L = checkInt(o.depth, 1, 'depth');
  const budget = o.memoryBudget !== undefined ? { budget: o.memoryBudget } : {};
  const checkSize = (parameters: number): void =>
    checkNetworkMemory({
      what: `a convolutional network with dim = ${d} and depth = ${L}`,
      parameters,
      depth: L,
      largest: { size: d, path: 'dim' },
      depthPath: 'depth',
      ...budget,
    });
  // full filters by default: L layers of d taps, checked before the filter list is formed
  if (o.filters === undefined) checkSize(L * d);
  const given = o.filters ?? new Array<number>(L - 1).fill(d);
  if (!Array.isArray(given) || given.length !== L - 1) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `needs depth − 1 = ${L - 1} filter lengths (the last layer has length dim), got ${Array.isArray(given) ? given.length : typeof given}`,
      { path: 'filters' },
    );
  }
  const filters = given.map((k, i) => {
    const v = checkInt(k, 1, `filters[${i}]`);
    if (v > d) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `filter length ${v} exceeds dim = ${d}; circular filters have at most d taps`,
        { path: `filters[${i}]` },
      );
    }
    return v;
  });
  const sizes = [...filters, d];
  if (o.filters !== undefined) checkSize(sizes.reduce((a, k) => a + k, 0));

  function contract(u: Float64Array, params: readonly Float64Array[], open: number): Float64Array {
    if (open < 0) {
      let beta: Float64Array = Float64Array.from(params[0]!);
      for (let l = 1; l < L; l++) beta = convolveHost(beta, params[l]!, d);
      let s = 0;
      for (let i = 0; i < d; i++) s += u[i]! * (beta[i] ?? 0);
      return Float64Array.of(s);
    }
    let left: Float64Array = u;
    for (let l = 0; l < open; l++) left = correlateHost(left, params[l]!, d);
    let right: Float64Array | undefined;
    for (let l = L - 1; l > open; l--) {
      right =
        right === undefined ? Float64Array.from(params[l]!) : convolveHost(params[l]!, right, d);
    }
    const full = right === undefined ? Float64Array.from(left) : correlateHost(left, right, d);
    return full.slice(0, sizes[open]!);
  }

  const net = assemble({
    spec: { kind: 'convolutional', dim: d, depth: L, filters },
    budget: o.memoryBudget,
    inputDim: d,
    paramSizes: sizes,
    beta(be, params) {
      const p = padded(be, params, d);
      let beta = p[0]!;
      for (let l = 1; l < L; l++) beta = be.circularConvolve(beta, p[l]!);
      return beta;
    },
    grad: (be, params, u, B) => gradBackend(be, params, u, d, B),
    betaHost(params) {
      let beta: Float64Array = new Float64Array(d);
      beta.set(params[0]!);
      for (let l = 1; l < L; l++) beta = convolveHost(beta, params[l]!, d);
      return beta;
    },
    contract,
    dense(x) {
      const total = sizes.reduce((p, k) => p * k, 1);
      const data = new Float64Array(total);
      const idx = new Array<number>(L).fill(0);
      let sum = 0; // Σ_l j_l
      for (let flat = 0; flat < total; flat++) {
        data[flat] = x[sum % d]!;
        for (let l = L - 1; l >= 0; l--) {
          idx[l]! += 1;
          sum += 1;
          if (idx[l]! < sizes[l]!) break;
          sum -= sizes[l]!;
          idx[l] = 0;
        }
      }
      return { shape: [...sizes], data };
    },
    odeco() {
      if (L === 1)
        return superdiagonalOdeco(identity(d, 'odeco().S', o.memoryBudget), 1, o.memoryBudget);
      const small = filters.findIndex((k) => k < d);
      if (small < 0) return fullConvolutionOdeco(d, L, o.memoryBudget);
      return {
        notOdeco: `convolution with filter filters[${small}] = ${filters[small]} < dim = ${d} has a general data tensor, not odeco (docs/theory/odeco.md)`,
      };
    },
  });
  return { ...net, fused: fusedConvolutional(d, sizes) };
}

import type { Arr, Backend } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { LinearTensorNetwork } from './types.js';
import { assemble } from './assemble.js';
import { identity, superdiagonalOdeco } from './odeco-builders.js';
import { checkNetworkMemory } from './limits.js';
import { checkInt } from './validate.js';
import { fusedFullyConnected } from './fused.js';

/** β = W_1 ⋯ W_{L−1} w_L for every run, by batched matmuls. */
function betaBackend(be: Backend, params: readonly Arr[], w: readonly number[], B: number): Arr {
  const L = w.length;
  let z = be.reshape(params[L - 1]!, [B, w[L - 1]!, 1]);
  for (let l = L - 2; l >= 0; l--) {
    z = be.matmul(be.reshape(params[l]!, [B, w[l]!, w[l + 1]!]), z);
  }
  return be.reshape(z, [B, w[0]!]);
}

/** grad W_l = a_l b_{l+1}ᵀ with a_l = (uᵀW_1⋯W_{l−1})ᵀ, b_l = W_l⋯w_L; grad w_L = a_L. */
function gradBackend(
  be: Backend,
  params: readonly Arr[],
  u: Arr,
  w: readonly number[],
  B: number,
): Arr[] {
  const L = w.length;
  const W = params.map((p, l) => (l < L - 1 ? be.reshape(p, [B, w[l]!, w[l + 1]!]) : p));
  const right: Arr[] = new Array<Arr>(L);
  right[L - 1] = be.reshape(params[L - 1]!, [B, w[L - 1]!, 1]);
  for (let l = L - 2; l >= 0; l--) right[l] = be.matmul(W[l]!, right[l + 1]!);
  const out: Arr[] = [];
  let a = be.reshape(u, [B, 1, w[0]!]);
  for (let l = 0; l < L - 1; l++) {
    const outer = be.mul(
      be.reshape(a, [B, w[l]!, 1]),
      be.reshape(right[l + 1]!, [B, 1, w[l + 1]!]),
    );
    out.push(be.reshape(outer, [B, w[l]! * w[l + 1]!]));
    a = be.matmul(a, W[l]!);
  }
  out.push(be.reshape(a, [B, w[L - 1]!]));
  return out;
}

/** y = W z with W (rows×cols, row-major) on the host. */
function matVec(W: Float64Array, rows: number, cols: number, z: Float64Array): Float64Array {
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += W[i * cols + j]! * z[j]!;
    y[i] = s;
  }
  return y;
}

/** y = zᵀ W with W (rows×cols, row-major) on the host. */
function vecMat(z: Float64Array, W: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const zi = z[i]!;
    for (let j = 0; j < cols; j++) y[j]! += zi * W[i * cols + j]!;
  }
  return y;
}

/**
 * A fully-connected linear network `f(x) = xᵀ W_1 W_2 ⋯ W_{L−1} w_L` (docs/theory/tensor-formulation.md) with widths
 * `d_1 = inputDim, d_2..d_L = hidden` and `L = hidden.length + 1`. Layer `l < L` is the row-major
 * vec of `W_l ∈ R^{d_l×d_{l+1}}` (`v_l[a·d_{l+1} + b] = W_l[a, b]`, `k_l = d_l·d_{l+1}`); the last
 * layer is `w_L ∈ R^{d_L}`. With no hidden layer it is the linear model `f(x) = xᵀw_1`.
 *
 * @param o.inputDim input dimension d ≥ 1
 * @param o.hidden widths d_2..d_L, each ≥ 1
 * @param o.memoryBudget bytes a training run may use (default: `memoryBudget()`); larger
 *   networks are refused before any allocation (`INVALID_CONFIG` naming the widest layer's
 *   field, or `hidden` when there are too many layers)
 */
export function fullyConnected(o: {
  inputDim: number;
  hidden: readonly number[];
  memoryBudget?: number;
}): LinearTensorNetwork {
  const d = checkInt(o.inputDim, 1, 'inputDim');
  if (!Array.isArray(o.hidden)) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'must be an array of widths', {
      path: 'hidden',
    });
  }
  const hidden = o.hidden.map((h, i) => checkInt(h, 1, `hidden[${i}]`));
  const w = [d, ...hidden];
  const L = w.length;
  const sizes = w.map((wl, l) => (l < L - 1 ? wl * w[l + 1]! : wl));
  const widthPath = (l: number): string => (l === 0 ? 'inputDim' : `hidden[${l - 1}]`);
  const big = sizes.reduce((b, k, l) => (k > sizes[b]! ? l : b), 0);
  checkNetworkMemory({
    what: `a fully-connected network with widths [${w.join(', ')}]`,
    parameters: sizes.reduce((a, k) => a + k, 0),
    depth: L,
    largest: {
      size: sizes[big]!,
      // W_l is d_l×d_{l+1}: name the wider of its two widths
      path: widthPath(big < L - 1 && w[big + 1]! > w[big]! ? big + 1 : big),
    },
    depthPath: 'hidden',
    ...(o.memoryBudget !== undefined ? { budget: o.memoryBudget } : {}),
  });

  /** Left vectors a_l (length d_l) and right vectors b_l (length d_l) of a contraction. */
  function sides(u: Float64Array, params: readonly Float64Array[]) {
    const left: Float64Array[] = [u];
    for (let l = 0; l < L - 1; l++) left.push(vecMat(left[l]!, params[l]!, w[l]!, w[l + 1]!));
    const right: Float64Array[] = new Array<Float64Array>(L);
    right[L - 1] = params[L - 1]!;
    for (let l = L - 2; l >= 0; l--) right[l] = matVec(params[l]!, w[l]!, w[l + 1]!, right[l + 1]!);
    return { left, right };
  }

  const net = assemble({
    spec: { kind: 'fully-connected', inputDim: d, hidden },
    budget: o.memoryBudget,
    inputDim: d,
    paramSizes: sizes,
    beta: (be, params, B) => betaBackend(be, params, w, B),
    grad: (be, params, u, B) => gradBackend(be, params, u, w, B),
    betaHost(params) {
      let z: Float64Array = Float64Array.from(params[L - 1]!);
      for (let l = L - 2; l >= 0; l--) z = matVec(params[l]!, w[l]!, w[l + 1]!, z);
      return z;
    },
    contract(u, params, open) {
      const { left, right } = sides(u, params);
      if (open < 0) {
        let s = 0;
        for (let i = 0; i < d; i++) s += u[i]! * right[0]![i]!;
        return Float64Array.of(s);
      }
      if (open === L - 1) return Float64Array.from(left[L - 1]!);
      const a = left[open]!;
      const b = right[open + 1]!;
      const out = new Float64Array(sizes[open]!);
      const n = w[open + 1]!;
      for (let i = 0; i < w[open]!; i++) for (let j = 0; j < n; j++) out[i * n + j] = a[i]! * b[j]!;
      return out;
    },
    dense(x) {
      // M(x)[(a_1,b_1),…,(a_{L−1},b_{L−1}),a_L] = x_{a_1} Π_l 1[b_l = a_{l+1}]: one entry per chain
      const strides = new Array<number>(L).fill(1);
      for (let l = L - 2; l >= 0; l--) strides[l] = strides[l + 1]! * sizes[l + 1]!;
      const data = new Float64Array(sizes.reduce((p, k) => p * k, 1));
      const a = new Array<number>(L).fill(0);
      for (;;) {
        let flat = 0;
        for (let l = 0; l < L; l++) {
          const idx = l < L - 1 ? a[l]! * w[l + 1]! + a[l + 1]! : a[l]!;
          flat += idx * strides[l]!;
        }
        data[flat] = x[a[0]!]!;
        let l = L - 1;
        for (; l >= 0; l--) {
          a[l]! += 1;
          if (a[l]! < w[l]!) break;
          a[l] = 0;
        }
        if (l < 0) break;
      }
      return { shape: [...sizes], data };
    },
    odeco() {
      if (L === 1) {
        return superdiagonalOdeco(identity(d, 'odeco().S', o.memoryBudget), 1, o.memoryBudget);
      }
      if (d === 1 && L === 2) {
        // M(x)[(0,b), a] = x·1[b = a] = Σ_j x e_j ⊗ e_j
        const h = w[1]!;
        return superdiagonalOdeco(
          { rows: h, cols: 1, data: new Float64Array(h).fill(1) },
          2,
          o.memoryBudget,
        );
      }
      if (d === 1) {
        return {
          notOdeco: 'fully-connected with d = 1 and L ≥ 3 is not decomposed (only L ≤ 2 is)',
        };
      }
      return {
        notOdeco: `fully-connected with d = ${d} ≥ 2 and L = ${L} ≥ 2 is not odeco (docs/theory/odeco.md)`,
      };
    },
  });
  return { ...net, fused: fusedFullyConnected(w) };
}

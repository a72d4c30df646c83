import type { Arr, Backend } from '@implicit-bias/backend';
import type { LinearTensorNetwork } from './types.js';
import { assemble } from './assemble.js';
import { identity, superdiagonalOdeco } from './odeco-builders.js';
import { checkNetworkMemory } from './limits.js';
import { checkInt } from './validate.js';
import { fusedDiagonal } from './fused.js';

/** β = v_1 ⊙ … ⊙ v_L on the backend (a fresh array even for L = 1). */
function betaBackend(be: Backend, params: readonly Arr[]): Arr {
  let p = be.reshape(params[0]!, params[0]!.shape);
  for (let l = 1; l < params.length; l++) p = be.mul(p, params[l]!);
  return p;
}

/** grad_l = u ⊙ Π_{m≠l} v_m from prefix and suffix products (no division). */
function gradBackend(be: Backend, params: readonly Arr[], u: Arr): Arr[] {
  const L = params.length;
  const suffix: (Arr | undefined)[] = new Array<Arr | undefined>(L).fill(undefined);
  for (let l = L - 2; l >= 0; l--) {
    const next = suffix[l + 1];
    suffix[l] = next === undefined ? params[l + 1]! : be.mul(params[l + 1]!, next);
  }
  const out: Arr[] = [];
  let left = u; // u ⊙ v_1 ⊙ … ⊙ v_{l−1}
  for (let l = 0; l < L; l++) {
    const s = suffix[l];
    out.push(s === undefined ? left : be.mul(left, s));
    if (l + 1 < L) left = be.mul(left, params[l]!);
  }
  return out;
}

/**
 * A diagonal linear network `f(x) = Σ_j x_j Π_l v_{l,j}` (docs/theory/tensor-formulation.md): every `k_l = dim`,
 * data tensor superdiagonal (`M(x)[j,…,j] = x_j`), odeco with `S = I`, `U_l = I`.
 *
 * Nothing of size d² is ever formed: forward and gradient use only `X` and the parameters, and
 * the odeco matrices are implicit identities (`identity: true`). `fused` evaluates a parameter
 * row on the host with the backend's rounding. Sizes whose training run
 * cannot fit the memory budget are refused before any allocation (`INVALID_CONFIG` naming
 * `dim` or `depth`; see `memoryBudget`).
 *
 * @param o.dim input dimension d ≥ 1
 * @param o.depth number of layers L ≥ 1
 * @param o.memoryBudget bytes a training run may use (default: `memoryBudget()`)
 */
export function diagonal(o: {
  dim: number;
  depth: number;
  memoryBudget?: number;
}): LinearTensorNetwork {
  const d = checkInt(o.dim, 1, 'dim');
  const L = checkInt(o.depth, 1, 'depth');
  checkNetworkMemory({
    what: `a diagonal network with dim = ${d} and depth = ${L}`,
    parameters: L * d,
    depth: L,
    largest: { size: d, path: 'dim' },
    depthPath: 'depth',
    ...(o.memoryBudget !== undefined ? { budget: o.memoryBudget } : {}),
  });
  const net = assemble({
    spec: { kind: 'diagonal', dim: d, depth: L },
    budget: o.memoryBudget,
    inputDim: d,
    paramSizes: new Array<number>(L).fill(d),
    beta: (be, params) => betaBackend(be, params),
    grad: (be, params, u) => gradBackend(be, params, u),
    betaHost(params) {
      const beta = new Float64Array(d).fill(1);
      for (const v of params) for (let j = 0; j < d; j++) beta[j]! *= v[j]!;
      return beta;
    },
    contract(u, params, open) {
      const out = Float64Array.from(u);
      for (let l = 0; l < L; l++) {
        if (l === open) continue;
        const v = params[l]!;
        for (let j = 0; j < d; j++) out[j]! *= v[j]!;
      }
      if (open >= 0) return out;
      let s = 0;
      for (let j = 0; j < d; j++) s += out[j]!;
      return Float64Array.of(s);
    },
    dense(x) {
      let stride = 0; // Σ_l d^l: flat offset between consecutive superdiagonal entries
      for (let l = 0, p = 1; l < L; l++, p *= d) stride += p;
      const data = new Float64Array(Math.pow(d, L));
      for (let j = 0; j < d; j++) data[j * stride] = x[j]!;
      return { shape: new Array<number>(L).fill(d), data };
    },
    odeco: () => superdiagonalOdeco(identity(d, 'odeco().S', o.memoryBudget), L, o.memoryBudget),
  });
  return { ...net, fused: fusedDiagonal(d, L) };
}

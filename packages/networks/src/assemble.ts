import type { Arr, Backend } from '@implicit-bias/backend';
import type { HostTensor } from '@implicit-bias/core';
import type { LinearTensorNetwork, NetworkSpec, NotOdeco, OdecoDecomposition } from './types.js';
import { checkMemory } from './limits.js';
import {
  checkHostParams,
  checkHostVector,
  checkOpen,
  checkParams,
  checkR,
  checkX,
} from './validate.js';

/**
 * The architecture-specific pieces of a network. Inputs reaching them are validated already.
 * @internal
 */
export interface NetworkParts {
  readonly spec: NetworkSpec;
  readonly inputDim: number;
  readonly paramSizes: readonly number[];
  /** β `[B, d]` from params `[B, k_l]`, backend ops only. */
  beta(be: Backend, params: readonly Arr[], batch: number): Arr;
  /** `M(u)·(v_{−l})` for every l from `u` `[B, d]`, backend ops only. */
  grad(be: Backend, params: readonly Arr[], u: Arr, batch: number): Arr[];
  /** β of one parameter set on the host. */
  betaHost(params: readonly Float64Array[]): Float64Array;
  /** Structured host contraction (`open = −1`: full). */
  contract(u: Float64Array, params: readonly Float64Array[], open: number): Float64Array;
  /** Dense `M(x)`. */
  dense(x: Float64Array): HostTensor;
  /** Odeco decomposition or the reason there is none. */
  odeco(): OdecoDecomposition | NotOdeco;
  /** Memory budget override (bytes) for dense forms. */
  readonly budget?: number | undefined;
}

/**
 * `f = X β` for shared `X` `[n, d]` or per-run `X` `[B, n, d]`; returns `[B, n]`. Both read as
 * `βᵀ Xᵀ` (the per-run one as B products `[1, d]·[d, n]`), so a run on its own X rounds exactly
 * as the same run with a shared X.
 */
function outputs(be: Backend, X: Arr, beta: Arr, batch: number, n: number, d: number): Arr {
  if (X.shape.length === 2) return be.matmul(beta, X, { transposeB: true });
  return be.reshape(be.matmul(be.reshape(beta, [batch, 1, d]), X, { transposeB: true }), [
    batch,
    n,
  ]);
}

/** `u = Xᵀ r` for every run; returns `[B, d]`. */
function inputContraction(be: Backend, X: Arr, r: Arr, batch: number, n: number, d: number): Arr {
  if (X.shape.length === 2) return be.matmul(r, X);
  return be.reshape(be.matmul(be.reshape(r, [batch, 1, n]), X), [batch, d]);
}

/**
 * Wrap architecture parts into a {@link LinearTensorNetwork} with validation at every entry.
 * @internal
 */
export function assemble(parts: NetworkParts): LinearTensorNetwork {
  const d = parts.inputDim;
  const sizes = parts.paramSizes;
  const depth = sizes.length;
  return {
    spec: parts.spec,
    inputDim: d,
    depth,
    paramSizes: sizes,
    forward(be, params, X) {
      const batch = checkParams(params, sizes);
      const n = checkX(X, batch, d);
      return be.scope(() => outputs(be, X, parts.beta(be, params, batch), batch, n, d));
    },
    gradient(be, params, X, r) {
      const batch = checkParams(params, sizes);
      const n = checkX(X, batch, d);
      checkR(r, batch, n);
      return be.scope(() => parts.grad(be, params, inputContraction(be, X, r, batch, n, d), batch));
    },
    endToEnd(be, params) {
      const batch = checkParams(params, sizes);
      return be.scope(() => parts.beta(be, params, batch));
    },
    endToEndHost(params) {
      checkHostParams(params, sizes);
      return parts.betaHost(params);
    },
    dataTensor(x) {
      checkHostVector(x, d, 'x');
      const size = sizes.reduce((p, k) => p * k, 1);
      checkMemory({
        bytes: 8 * size,
        path: 'paramSizes',
        what: `the dense data tensor of shape [${sizes.join(', ')}] (${size} entries)`,
        how: '8 bytes per entry',
        fix: 'use contractHost, which never forms it',
        ...(parts.budget !== undefined ? { budget: parts.budget } : {}),
      });
      return parts.dense(x);
    },
    contractHost(u, params, open) {
      checkHostVector(u, d, 'u');
      checkHostParams(params, sizes);
      checkOpen(open, depth);
      return parts.contract(u, params, open);
    },
    odeco() {
      return parts.odeco();
    },
  };
}

import { ImplicitBiasError, assertFinite } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { LinearTensorNetwork, OdecoMatrix } from './types.js';
import { checkHostParams } from './validate.js';

function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

/**
 * The layer-norm invariants `‖v_l‖² − ‖v_L‖²` for `l < L` (docs/theory/tensor-formulation.md), conserved by gradient
 * flow on every linear tensor network; their drift measures integration error.
 *
 * @param params one parameter set `v_1..v_L`
 * @returns length `L − 1` (empty for L = 1)
 */
export function layerNormInvariants(params: readonly Float64Array[]): Float64Array {
  if (!Array.isArray(params) || params.length === 0) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', 'needs at least one parameter vector', {
      path: 'params',
    });
  }
  params.forEach((p, l) => assertFinite(p, `params[${l}]`));
  const L = params.length;
  const last = squaredNorm(params[L - 1]!);
  return Float64Array.from(params.slice(0, L - 1), (p) => squaredNorm(p) - last);
}

/**
 * The per-coordinate odeco invariants `|[U_lᵀv_l]_j|² − |[U_Lᵀv_L]_j|²` (docs/theory/tensor-formulation.md) for
 * `l < L` and `j < m`, row-major in `(l, j)`; `undefined` unless the network is real odeco.
 *
 * @param net the network
 * @param params one parameter set `v_1..v_L`
 * @returns length `(L − 1)·m`, or `undefined`
 */
export function odecoInvariants(
  net: LinearTensorNetwork,
  params: readonly Float64Array[],
): Float64Array | undefined {
  checkHostParams(params, net.paramSizes);
  const dec = realOdecoProjections(net);
  if (dec === null) return undefined;
  const m = dec.m;
  const L = net.depth;
  const proj = dec.U.map((U, l) => {
    const v = params[l]!;
    if (U === undefined) return v;
    const out = new Float64Array(m);
    for (let a = 0; a < U.rows; a++) {
      const va = v[a]!;
      if (va === 0) continue;
      for (let j = 0; j < m; j++) out[j]! += U.data[a * m + j]! * va;
    }
    return out;
  });
  const last = proj[L - 1]!;
  const inv = new Float64Array((L - 1) * m);
  for (let l = 0; l < L - 1; l++) {
    for (let j = 0; j < m; j++) inv[l * m + j] = proj[l]![j]! ** 2 - last[j]! ** 2;
  }
  return inv;
}

/** A real odeco network's `U_l` (`undefined` where `U_l = I`), or `null` when not real odeco. */
interface Projections {
  readonly m: number;
  readonly U: readonly (HostMatrix | undefined)[];
}

// Networks are immutable, and odeco() builds dense k_l×m matrices: invariants are evaluated on
// every accepted step of a flow, so the decomposition is computed once per network.
const projectionCache = new WeakMap<LinearTensorNetwork, Projections | null>();

function realOdecoProjections(net: LinearTensorNetwork): Projections | null {
  let p = projectionCache.get(net);
  if (p === undefined) {
    const dec = net.odeco();
    p =
      'notOdeco' in dec || dec.complex
        ? null
        : { m: dec.m, U: dec.U.map((U) => (isIdentity(U) ? undefined : U)) };
    projectionCache.set(net, p);
  }
  return p;
}

function isIdentity(U: OdecoMatrix): boolean {
  if (U.identity === true) return true; // implicit: never read its dense data
  if (U.rows !== U.cols) return false;
  const n = U.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (U.data[i * n + j] !== (i === j ? 1 : 0)) return false;
  }
  return true;
}

/** Both invariants of packed parameter rows, evaluated without allocating. */
export interface PackedInvariants {
  /** Layer-norm invariants per row: `L − 1`. */
  readonly layerCount: number;
  /** Odeco invariants per row, `(L − 1)·m`; `undefined` unless the network is real odeco. */
  readonly odecoCount: number | undefined;
  /**
   * Write the invariants of the row whose layer `l` is `y[at + offsets[l] .. at + offsets[l + 1])`
   * into `layer` (and `odeco` when the network is real odeco): bit for bit what
   * {@link layerNormInvariants} and {@link odecoInvariants} return for its layers. The row is not
   * validated (the caller's rows are finite and of the network's sizes).
   */
  evaluate(y: Float64Array, at: number, layer: Float64Array, odeco?: Float64Array): void;
}

/**
 * The invariants of `net` on packed rows (layers at `offsets`, as the flow engine stores them),
 * with workspaces allocated once: the flow measures the invariants' drift at every accepted step
 * of every run, where {@link layerNormInvariants} and {@link odecoInvariants} would allocate the
 * layers, their projections and the results each time.
 *
 * @param net the network
 * @param offsets start of each layer in a packed row, then the row's length (`L + 1` entries)
 */
export function packedInvariants(
  net: LinearTensorNetwork,
  offsets: readonly number[],
): PackedInvariants {
  const L = net.depth;
  if (
    offsets.length !== L + 1 ||
    net.paramSizes.some((k, l) => offsets[l + 1]! - offsets[l]! !== k)
  ) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `offsets [${offsets.join(', ')}] do not match the layer sizes [${net.paramSizes.join(', ')}]`,
      { path: 'offsets' },
    );
  }
  const dec = realOdecoProjections(net);
  const m = dec?.m ?? 0;
  // the projection U_lᵀv_l of each layer with U_l ≠ I (read in place where U_l = I)
  const proj = (dec?.U ?? []).map((U) => (U === undefined ? undefined : new Float64Array(m)));
  const squaredNormAt = (y: Float64Array, from: number, to: number): number => {
    let s = 0;
    for (let i = from; i < to; i++) s += y[i]! * y[i]!;
    return s;
  };
  return {
    layerCount: L - 1,
    odecoCount: dec === null ? undefined : (L - 1) * m,
    evaluate(y, at, layer, odeco) {
      const last = squaredNormAt(y, at + offsets[L - 1]!, at + offsets[L]!);
      for (let l = 0; l < L - 1; l++)
        layer[l] = squaredNormAt(y, at + offsets[l]!, at + offsets[l + 1]!) - last;
      if (dec === null || odeco === undefined) return;
      for (let l = 0; l < L; l++) {
        const U = dec.U[l];
        const out = proj[l];
        if (U === undefined || out === undefined) continue;
        out.fill(0);
        const o = at + offsets[l]!;
        for (let a = 0; a < U.rows; a++) {
          const va = y[o + a]!;
          if (va === 0) continue;
          for (let j = 0; j < m; j++) out[j]! += U.data[a * m + j]! * va;
        }
      }
      const lastProj = proj[L - 1];
      const lastAt = at + offsets[L - 1]!;
      for (let l = 0; l < L - 1; l++) {
        const p = proj[l];
        const pAt = at + offsets[l]!;
        for (let j = 0; j < m; j++) {
          const a = p === undefined ? y[pAt + j]! : p[j]!;
          const b = lastProj === undefined ? y[lastAt + j]! : lastProj[j]!;
          odeco[l * m + j] = a ** 2 - b ** 2;
        }
      }
    },
  };
}

import {
  ImplicitBiasError,
  Rng,
  assertFinite,
  key,
  normal,
  norm2,
  split,
} from '@implicit-bias/core';
import type { Key } from '@implicit-bias/core';
import type { LinearTensorNetwork, OdecoDecomposition } from './types.js';
import { RUN_ESTIMATE, checkMemory, runBytes } from './limits.js';
import { checkInt } from './validate.js';

/**
 * How to initialize parameters (docs/theory/q-potential.md for `odeco`). Every random scheme draws run `b`,
 * layer `l` from `split(split(key(seed), batch)[b], L)[l]`, so a run does not depend on the batch
 * size beyond its index.
 *
 * - `odeco` (odeco networks only): layers `l < L` get `|[U_lᵀv_l]_j| = scale·|η_j|` with random
 *   signs (`η` = `shape`, `'ones'` for all ones, length m, every `η_j ≠ 0`) and the last layer is
 *   zero (`U_Lᵀv_L = 0`, so β = 0). For complex odeco (full convolution) `η` must satisfy
 *   `|η_j| = |η_{(d−j) mod d}|` so that the parameters are real; `U_lᵀv_l` is then real.
 * - `gaussian`: i.i.d. entries `scale·N(0, 1)`.
 * - `balanced`: each layer a uniformly random direction of norm exactly `scale`, so every
 *   layer-norm invariant `‖v_l‖² − ‖v_L‖²` is zero.
 * - `explicit`: the given parameters (one vector per layer), copied into every run.
 */
export type InitSpec =
  | {
      /** The theorems' initialization in the odeco basis (last layer zero). */
      readonly scheme: 'odeco';
      /** Scale α ≥ 0: `|[U_lᵀv_l]_j| = scale·|η_j|` for l < L. */
      readonly scale: number;
      /** Shape η: `'ones'` or m non-zero numbers. */
      readonly shape: 'ones' | readonly number[];
      /** Seed of the random signs. */
      readonly seed: number;
    }
  | {
      /** I.i.d. Gaussian entries. */
      readonly scheme: 'gaussian';
      /** Standard deviation of every entry. */
      readonly scale: number;
      /** Seed of the draw (run b, layer l use split keys of it). */
      readonly seed: number;
    }
  | {
      /** Random directions of equal norm in every layer. */
      readonly scheme: 'balanced';
      /** Norm of every layer. */
      readonly scale: number;
      /** Seed of the draw. */
      readonly seed: number;
    }
  | {
      /** Given parameters, copied into every run. */
      readonly scheme: 'explicit';
      /** One vector per layer, `params[l].length = k_{l+1}`. */
      readonly params: readonly (readonly number[])[];
    };

function checkScale(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a finite number ≥ 0, got ${JSON.stringify(v) ?? String(v)}`,
      { path: 'scale' },
    );
  }
  return v;
}

/** Validate η against m (and its symmetry for complex odeco). */
function etaOf(shape: unknown, dec: OdecoDecomposition): Float64Array {
  const m = dec.m;
  if (shape === 'ones') return new Float64Array(m).fill(1);
  if (!Array.isArray(shape) || shape.length !== m) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `must be 'ones' or an array of m = ${m} non-zero numbers`,
      { path: 'shape' },
    );
  }
  const eta = Float64Array.from(shape as unknown[], (v) =>
    typeof v === 'number' ? v : Number.NaN,
  );
  assertFinite(eta, 'shape');
  eta.forEach((v, j) => {
    if (v === 0) {
      throw new ImplicitBiasError('INVALID_CONFIG', 'every η_j must be non-zero', {
        path: `shape[${j}]`,
      });
    }
    if (dec.complex && Math.abs(v) !== Math.abs(eta[(m - j) % m]!)) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `complex odeco needs |η_j| = |η_{(m−j) mod m}| for real parameters; η_${j} and η_${(m - j) % m} differ`,
        { path: `shape[${j}]` },
      );
    }
  });
  return eta;
}

/** One run of the odeco scheme from its layer keys. */
function odecoRun(
  dec: OdecoDecomposition,
  sizes: readonly number[],
  eta: Float64Array,
  scale: number,
  keys: readonly Key[],
): Float64Array[] {
  const L = sizes.length;
  const m = dec.m;
  const out: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const k = sizes[l]!;
    const v = new Float64Array(k);
    out.push(v);
    if (l === L - 1) break; // last layer zero
    const rng = new Rng(keys[l]!);
    const c = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      // complex: even signs (s_j = s_{(m−j) mod m}) so that c is even and v real
      const partner = (m - j) % m;
      const sign = dec.complex && partner < j ? Math.sign(c[partner]!) : rng.sign();
      c[j] = scale * Math.abs(eta[j]!) * sign;
    }
    if (!dec.complex && dec.U[l]!.identity === true) {
      v.set(c); // U_l = I (never formed densely)
    } else if (!dec.complex) {
      const U = dec.U[l]!.data; // v = U_l c
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += U[a * m + j]! * c[j]!;
        v[a] = s;
      }
    } else {
      // U_l = conj(F) = F⁻¹, so v = F c is real for even c and U_lᵀv = c
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += Math.cos((2 * Math.PI * ((a * j) % m)) / m) * c[j]!;
        v[a] = s / Math.sqrt(m);
      }
    }
  }
  return out;
}

/**
 * Initial parameters for `batch` runs: `result[b][l]` has length `k_l`. See {@link InitSpec}.
 *
 * @param net the network
 * @param init the scheme
 * @param batch number of runs B ≥ 1 (default 1); B training runs must fit the memory budget
 * @param options.memoryBudget bytes the runs may use (default: `memoryBudget()`)
 */
export function initialize(
  net: LinearTensorNetwork,
  init: InitSpec,
  batch = 1,
  options: { readonly memoryBudget?: number } = {},
): Float64Array[][] {
  const B = checkInt(batch, 1, 'batch');
  const sizes = net.paramSizes;
  const L = sizes.length;
  checkMemory({
    bytes:
      B *
      runBytes(
        sizes.reduce((a, k) => a + k, 0),
        L,
      ),
    path: 'batch',
    what: `batch = ${B} training runs of a network with ${sizes.reduce((a, k) => a + k, 0)} parameters in ${L} layers`,
    how: `per run ${RUN_ESTIMATE}`,
    fix: 'train fewer runs at once (in several batches)',
    ...(options.memoryBudget !== undefined ? { budget: options.memoryBudget } : {}),
  });
  if (typeof init !== 'object' || init === null) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'an init spec must be an object', {
      path: 'init',
    });
  }
  if (init.scheme === 'explicit') {
    const p = init.params as unknown;
    if (!Array.isArray(p) || p.length !== L) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `needs ${L} parameter vectors (one per layer), got ${Array.isArray(p) ? p.length : typeof p}`,
        { path: 'params' },
      );
    }
    const layers = sizes.map((k, l) => {
      const v = p[l] as unknown;
      if (!Array.isArray(v) || v.length !== k) {
        throw new ImplicitBiasError(
          'SHAPE_MISMATCH',
          `layer ${l} needs ${k} entries, got ${Array.isArray(v) ? v.length : typeof v}`,
          { path: `params[${l}]` },
        );
      }
      const a = Float64Array.from(v as unknown[], (x) => (typeof x === 'number' ? x : Number.NaN));
      assertFinite(a, `params[${l}]`);
      return a;
    });
    return Array.from({ length: B }, () => layers.map((a) => Float64Array.from(a)));
  }
  if (init.scheme !== 'odeco' && init.scheme !== 'gaussian' && init.scheme !== 'balanced') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be 'odeco', 'gaussian', 'balanced' or 'explicit', got ${JSON.stringify((init as { scheme?: unknown }).scheme) ?? 'undefined'}`,
      { path: 'scheme' },
    );
  }
  const scale = checkScale(init.scale);
  const runKeys = split(key(init.seed), B).map((k) => split(k, L));
  if (init.scheme === 'odeco') {
    const dec = net.odeco();
    if ('notOdeco' in dec) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the odeco scheme needs an odeco network: ${dec.notOdeco}`,
        { path: 'scheme' },
      );
    }
    const eta = etaOf(init.shape, dec);
    return runKeys.map((keys) => odecoRun(dec, sizes, eta, scale, keys));
  }
  if (init.scheme === 'gaussian') {
    return runKeys.map((keys) => sizes.map((k, l) => normal(keys[l]!, k, scale)));
  }
  return runKeys.map((keys) =>
    sizes.map((k, l) => {
      const g = normal(keys[l]!, k);
      const n = norm2(g);
      return g.map((v) => (n > 0 ? (scale * v) / n : 0));
    }),
  );
}

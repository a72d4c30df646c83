import { ImplicitBiasError, Rng, key, split } from '@implicit-bias/core';
import type { Key } from '@implicit-bias/core';
import { checkInt, checkNonNegative, checkSeed } from './checks.js';
import type { Dataset } from './dataset.js';
import { portableNormals } from './portable-math.js';
import { linearTargets } from './sampling.js';

/** Options of {@link woodworthSparse}. */
export interface WoodworthSparseOptions {
  /** Number of samples. */
  readonly n: number;
  /** Number of features. */
  readonly d: number;
  /** Number of non-zero entries of β*. */
  readonly k: number;
  /** Integer seed in [0, 2^32 − 1]. */
  readonly seed: number;
  /** Standard deviation of additive Gaussian label noise (default 0). */
  readonly noise?: number;
}

/**
 * The sparse regression setting of Woodworth et al. (2020), "Kernel and rich regimes in
 * overparametrized models": x ~ N(0, I_d), β* with k entries equal to 1/√k (on the first k
 * coordinates; under this rotation-free design the placement only permutes features) and
 * zeros elsewhere, so ‖β*‖₂ = 1, and y = Xβ* (+ noise·N(0, 1) when `noise` > 0).
 */
export function woodworthSparse(options: WoodworthSparseOptions): Dataset {
  const n = checkInt(options.n, 'n');
  const d = checkInt(options.d, 'd');
  const k = checkInt(options.k, 'k');
  if (k > d) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must satisfy k ≤ d = ${d}, got ${k}`, {
      path: 'k',
    });
  }
  const seed = checkSeed(options.seed);
  const noise = checkNonNegative(options.noise ?? 0, 'noise');
  const [kX, kNoise] = split(key(seed), 2) as [Key, Key];
  const X = portableNormals(new Rng(kX), n * d);
  const beta = new Float64Array(d);
  const support: number[] = [];
  for (let j = 0; j < k; j++) {
    beta[j] = 1 / Math.sqrt(k);
    support.push(j);
  }
  const y = linearTargets(X, n, d, beta, noise, new Rng(kNoise));
  return {
    task: 'regression',
    X: { rows: n, cols: d, data: X },
    y,
    meta: {
      name: 'woodworth-sparse',
      n,
      d,
      seed,
      source:
        'Woodworth, Gunasekar, Lee, Moroshko, Savarese, Golan, Soudry, Srebro (2020), ' +
        'Kernel and Rich Regimes in Overparametrized Models, COLT',
      planted: { beta, support, noise },
      description:
        `Sparse regression of Woodworth et al. 2020: x ~ N(0, I_${d}), β* = 1/√${k} on the ` +
        `first ${k} coordinates, y = Xβ*${noise > 0 ? ` + ${noise}·N(0, 1)` : ''}; n = ${n}.`,
    },
  };
}

import { ImplicitBiasError, Rng, key, split } from '@implicit-bias/core';
import type { Key } from '@implicit-bias/core';
import { checkInt, checkNonNegative, checkSeed, describe } from './checks.js';
import type { Dataset } from './dataset.js';
import { portableNormal, portableNormals } from './portable-math.js';
import { linearTargets, sampleSupport, unit } from './sampling.js';

/** Options of {@link gaussianRegression}. */
export interface GaussianRegressionOptions {
  /** Number of samples. */
  readonly n: number;
  /** Number of features; take n < d for the underdetermined setting of the paper. */
  readonly d: number;
  /** Integer seed in [0, 2^32 − 1]. */
  readonly seed: number;
  /** Number k of non-zero entries of the planted β, or `'dense'` (default). */
  readonly sparsity?: number | 'dense';
  /** Standard deviation of additive Gaussian label noise (default 0: y = Xβ exactly). */
  readonly noise?: number;
}

/**
 * Gaussian linear regression with a planted unit-norm vector β:
 * X has i.i.d. N(0, 1) entries, β has N(0, 1) entries on a uniformly random support of size k
 * (all d entries when dense) rescaled to ‖β‖₂ = 1, and y = Xβ + noise·ε with ε ~ N(0, I).
 * X, β and ε come from independent streams split from the seed, so changing `noise` keeps X
 * and β. Byte-identical on every platform for the same options.
 */
export function gaussianRegression(options: GaussianRegressionOptions): Dataset {
  const n = checkInt(options.n, 'n');
  const d = checkInt(options.d, 'd');
  const seed = checkSeed(options.seed);
  const noise = checkNonNegative(options.noise ?? 0, 'noise');
  const sparsity = options.sparsity ?? 'dense';
  let k = d;
  if (sparsity !== 'dense') {
    if (
      typeof sparsity !== 'number' ||
      !Number.isInteger(sparsity) ||
      sparsity < 1 ||
      sparsity > d
    ) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `must be 'dense' or an integer k with 1 ≤ k ≤ d = ${d}, got ${describe(sparsity)}`,
        { path: 'sparsity' },
      );
    }
    k = sparsity;
  }
  const [kX, kBeta, kNoise] = split(key(seed), 3) as [Key, Key, Key];
  const X = portableNormals(new Rng(kX), n * d);
  const rb = new Rng(kBeta);
  const support = k === d ? Array.from({ length: d }, (_, i) => i) : sampleSupport(rb, d, k);
  const raw = new Float64Array(d);
  for (const j of support) raw[j] = portableNormal(rb);
  const beta = unit(raw, 'planted beta');
  const y = linearTargets(X, n, d, beta, noise, new Rng(kNoise));
  return {
    task: 'regression',
    X: { rows: n, cols: d, data: X },
    y,
    meta: {
      name: 'gaussian-regression',
      n,
      d,
      seed,
      planted: { beta, support, noise },
      description:
        `Gaussian design X ~ N(0, I), ${k === d ? 'dense' : `${k}-sparse`} planted unit β, ` +
        `y = Xβ${noise > 0 ? ` + ${noise}·N(0, 1) noise` : ''}; n = ${n}, d = ${d}` +
        `${n < d ? ' (underdetermined)' : ''}.`,
    },
  };
}

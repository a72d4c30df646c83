import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';

/** Per-column affine map of {@link standardize}: x ↦ (x − mean) / std. */
export interface StandardizationParams {
  /** Column means. */
  readonly mean: Float64Array;
  /** Column standard deviations (population, 1/n); 1 for constant columns. */
  readonly std: Float64Array;
}

/** Result of {@link standardize}: the standardized matrix and the parameters used. */
export interface Standardized extends StandardizationParams {
  /** The standardized matrix: every non-constant column has mean 0 and variance 1. */
  readonly X: HostMatrix;
}

/**
 * Standardize each column of X to mean 0 and (population, 1/n) variance 1.
 * Constant columns are centred only (their std is recorded as 1) so no NaN appears.
 * Apply the same map to new data with {@link applyStandardization}.
 */
export function standardize(X: HostMatrix): Standardized {
  const { rows: n, cols: d, data } = X;
  if (n < 1) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', 'needs at least one row to standardize', {
      path: 'X',
    });
  }
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * d + j]!;
    const m = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const t = data[i * d + j]! - m;
      v += t * t;
    }
    const sd = Math.sqrt(v / n);
    mean[j] = m;
    std[j] = sd > 0 ? sd : 1;
  }
  return { X: applyStandardization(X, { mean, std }), mean, std };
}

/** Apply a standardization computed by {@link standardize} (e.g. on training data) to X. */
export function applyStandardization(X: HostMatrix, params: StandardizationParams): HostMatrix {
  const { rows: n, cols: d, data } = X;
  if (params.mean.length !== d || params.std.length !== d) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `X has ${d} columns but the standardization has ${params.mean.length} means and ` +
        `${params.std.length} standard deviations; standardize data with the same features`,
      { path: 'params' },
    );
  }
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++)
      out[i * d + j] = (data[i * d + j]! - params.mean[j]!) / params.std[j]!;
  return { rows: n, cols: d, data: out };
}

/** Subtract the mean from regression targets: returns the centred targets and the mean. */
export function centerTargets(y: Float64Array): {
  /** The centred targets `y_i − mean`, a new array. */
  readonly y: Float64Array;
  /** The subtracted mean of the input targets. */
  readonly mean: number;
} {
  if (y.length < 1) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', 'needs at least one target to center', {
      path: 'y',
    });
  }
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  const mean = s / y.length;
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i]! - mean;
  return { y: out, mean };
}

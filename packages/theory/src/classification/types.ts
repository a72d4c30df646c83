import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { Prediction, SolveStatus } from '../prediction.js';

/** Classification data in the transformed space: `Z = X Sᵀ` (n×m, real) and labels ±1. */
export interface TransformedClassificationProblem {
  /** Transformed data `Z = X Sᵀ`, n×m, rows are samples. */
  readonly Z: HostMatrix;
  /** Labels, length n, each exactly +1 or −1. */
  readonly y: ArrayLike<number>;
}

/** Classification data in input space: `X` (n×d) and labels ±1. */
export interface ClassificationProblem {
  /** Data `X`, n×d, rows are samples. */
  readonly X: HostMatrix;
  /** Labels, length n, each exactly +1 or −1. */
  readonly y: ArrayLike<number>;
}

/** A max-margin prediction: the minimizer at margin 1, its unit direction and normalized margin. */
export interface MaxMarginPrediction extends Prediction {
  /** Unit-ℓ2 direction of the returned vector (β or ρ). */
  readonly direction: Float64Array;
  /** Normalized margin `1 / objective` (the margin of the unit-norm solution in the problem's norm). */
  readonly margin: number;
  /** How the solve ended. */
  readonly status: SolveStatus;
}

/**
 * Classification data for the max-margin problems that can be posed either on input data `X`
 * or on transformed data `Z = X Sᵀ`: `{ X, y }` and `{ Z, y }` are both accepted (with `S = I`,
 * e.g. diagonal networks, `Z = X`).
 */
export type AnyClassificationProblem = ClassificationProblem | TransformedClassificationProblem;

/** The data matrix of `problem` and the field it came from; exactly one of `X`, `Z` must be set. */
export function designOf(problem: AnyClassificationProblem): {
  readonly M: HostMatrix;
  readonly field: 'X' | 'Z';
} {
  const p = problem as Partial<ClassificationProblem & TransformedClassificationProblem>;
  if (p.X !== undefined && p.Z !== undefined)
    throw new ImplicitBiasError('INVALID_CONFIG', 'give the data as X or as Z, not both', {
      path: 'problem',
    });
  if (p.Z !== undefined) return { M: p.Z, field: 'Z' };
  if (p.X !== undefined) return { M: p.X, field: 'X' };
  throw new ImplicitBiasError(
    'INVALID_CONFIG',
    'no data: pass { X, y } (input space) or { Z, y } (transformed space Z = X Sᵀ)',
    { path: 'problem' },
  );
}

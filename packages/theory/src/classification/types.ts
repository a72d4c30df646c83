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

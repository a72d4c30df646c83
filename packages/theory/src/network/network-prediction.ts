import type { HostMatrix } from '@implicit-bias/core';
import type { Prediction } from '../prediction.js';

/** Why the theory makes no computable prediction for this network and task. */
export interface NotSupported {
  /** A sentence naming the reason and, where one exists, the certificate to check instead. */
  readonly notSupported: string;
}

/** A network-level prediction: a {@link Prediction} with `beta` set, or the reason there is none. */
export type NetworkPrediction =
  | (Prediction & {
      /** Predicted end-to-end vector β (input space), length d. */
      readonly beta: Float64Array;
    })
  | NotSupported;

/** Data for the network-level wrappers: `X` (n×d) and targets (regression) or labels ±1. */
export interface NetworkData {
  /** Data `X`, n×d, rows are samples; d must equal the network's input dimension. */
  readonly X: HostMatrix;
  /** Regression targets, or labels ±1 for classification; length n. */
  readonly y: ArrayLike<number>;
}

import { isImplicitBiasError } from '@implicit-bias/core';
import type { Backend } from '@implicit-bias/backend';
import type { Dataset } from '@implicit-bias/datasets';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { certificatesFor, distanceTo, predictFor } from './predict.js';
import type { PredictionJson } from './predict.js';
import { prepareRun } from './resolve.js';
import { stationaryFor } from './stationary-point.js';
import type { StationaryComparison } from './stationary-point.js';
import type { RunConfig } from './run-config.js';
import { runTraining } from './train.js';
import { removeTrainCheckpoint } from './train-checkpoint.js';
import type { TrainOptions, TrainResult } from './train.js';

/** A trained run next to its prediction. */
export interface Comparison {
  /** The validated run config. */
  readonly config: RunConfig;
  /** The data the config named (loaded or generated). */
  readonly data: Dataset;
  /** The network the config built. */
  readonly network: LinearTensorNetwork;
  /** The training result. */
  readonly train: TrainResult;
  /** The theory's prediction, or why there is none. */
  readonly prediction:
    | PredictionJson
    | {
        /** Why the theory makes no prediction for this network and task. */
        readonly notSupported: string;
      };
  /** Relative distance (regression) or 1 − cos (classification); null without a prediction. */
  readonly distance: number | null;
  /** Certificates of the trained direction (KKT, singular-tuple, interpolation residuals), each ≈ 0 at the limit. */
  readonly certificates: Record<string, number>;
  /**
   * L ≥ 3 classification (diagonal, real odeco, full convolution): the certified KKT point the
   * flow converges to (warm-started from the trained direction) next to the predictor's; null otherwise.
   */
  readonly stationary: StationaryComparison | null;
}

/** The prediction, distance and certificates of a finished training run. */
export interface Judgement {
  /** The theory's prediction, or why there is none. */
  readonly prediction:
    | PredictionJson
    | {
        /** Why the theory makes no prediction for this network and task. */
        readonly notSupported: string;
      };
  /** Relative distance (regression) or 1 − cos (classification); null without a prediction. */
  readonly distance: number | null;
  /** Certificates of the trained direction, each ≈ 0 at the limit. */
  readonly certificates: Record<string, number>;
  /** L ≥ 3 classification: the flow's own certified KKT point next to the predictor's; null otherwise. */
  readonly stationary: StationaryComparison | null;
}

/**
 * Judge a trained run: the theory's prediction (for L ≥ 3 classification the stationary point is
 * sought from the trained direction), the distance to it, and certificates that trust no solver.
 */
export async function judgeTrained(
  config: RunConfig,
  network: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  train: TrainResult,
): Promise<Judgement> {
  const beta = Float64Array.from(train.beta);
  const params = train.params.map((p) => Float64Array.from(p));
  const start = config.task === 'classification' ? beta : undefined;
  const prediction = await predictFor(config, network, data, init, start);
  const distance =
    'notSupported' in prediction ? null : distanceTo(config.task, beta, prediction.beta);
  return {
    prediction,
    distance,
    certificates: certificatesFor(config, network, data, params, beta),
    stationary: stationaryFor(config.task, network, data, params, beta, prediction),
  };
}

/** Thrown by {@link compareRun} when its `shouldStop` stopped the training (nothing was judged). */
export class TrainingInterrupted extends Error {
  constructor(
    /** Accepted steps done when stopped. */
    readonly steps: number,
  ) {
    super(`training interrupted after ${steps} steps`);
    this.name = 'TrainingInterrupted';
  }
}

/**
 * Train a config (plain JSON, validated here), predict its limit and measure the distance.
 * `options` go to the training (e.g. `shouldStop`: the training then yields to the event loop
 * between chunks and a stop throws {@link TrainingInterrupted}).
 */
export async function compareRun(
  json: unknown,
  backend: Backend,
  baseDir = '.',
  options: Omit<TrainOptions, 'backend'> = {},
): Promise<Comparison> {
  const { config, data, network, init } = await prepareRun(json, baseDir);
  const outcome = await runTraining(config, network, data, init, { ...options, backend });
  if (outcome.kind === 'interrupted') throw new TrainingInterrupted(outcome.steps);
  if (options.checkpointFile !== undefined) removeTrainCheckpoint(options.checkpointFile);
  const train = outcome.result;
  return {
    config,
    data,
    network,
    train,
    ...(await judgeTrained(config, network, data, init, train)),
  };
}

/** A judgement, or why the prediction failed (the training result stays valid). */
export type Explained =
  | (Judgement & {
      /** Null: the predictor succeeded. */
      readonly predictionError: null;
    })
  | {
      /** No prediction: the predictor failed on this run (see `predictionError`). */
      readonly prediction: null;
      /** The predictor's error: its code (`NOT_SEPARABLE`, `RANK_DEFICIENT`, …) and message. */
      readonly predictionError: {
        /** The error code. */
        readonly code: string;
        /** The error message. */
        readonly message: string;
      };
      /** Null without a prediction. */
      readonly distance: null;
      /** Certificates of the trained direction (empty when they cannot be computed either). */
      readonly certificates: Record<string, number>;
      /** The flow's own KKT point for L ≥ 3 classification (null when it cannot be computed either). */
      readonly stationary: StationaryComparison | null;
    };

/**
 * {@link judgeTrained} that never throws away a finished training: when the predictor fails
 * (non-separable data, duplicate rows, …) the prediction is `null` with the error's code and
 * message, and the certificates that can still be computed are kept.
 */
export async function judgeOrExplain(
  config: RunConfig,
  network: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  train: TrainResult,
): Promise<Explained> {
  try {
    return { ...(await judgeTrained(config, network, data, init, train)), predictionError: null };
  } catch (e) {
    const code = isImplicitBiasError(e) ? e.code : 'INTERNAL';
    const message = e instanceof Error ? e.message : String(e);
    let certificates: Record<string, number> = {};
    let stationary: StationaryComparison | null = null;
    const params = train.params.map((p) => Float64Array.from(p));
    const beta = Float64Array.from(train.beta);
    try {
      certificates = certificatesFor(config, network, data, params, beta);
    } catch {
      certificates = {};
    }
    try {
      stationary = stationaryFor(config.task, network, data, params, beta, null);
    } catch {
      stationary = null;
    }
    return {
      prediction: null,
      predictionError: { code, message },
      distance: null,
      certificates,
      stationary,
    };
  }
}

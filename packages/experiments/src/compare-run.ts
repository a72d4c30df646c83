import type { Backend } from '@implicit-bias/backend';
import type { Dataset } from '@implicit-bias/datasets';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { certificatesFor, distanceTo, predictFor } from './predict.js';
import type { PredictionJson } from './predict.js';
import { buildNetwork, initialParams, loadRunData } from './resolve.js';
import { parseRunConfig } from './run-config.js';
import type { RunConfig } from './run-config.js';
import { trainRun } from './train.js';
import type { TrainResult } from './train.js';

/** A trained run next to its prediction. */
export interface Comparison {
  readonly config: RunConfig;
  readonly data: Dataset;
  readonly network: LinearTensorNetwork;
  readonly train: TrainResult;
  readonly prediction: PredictionJson | { readonly notSupported: string };
  /** Relative distance (regression) or 1 − cos (classification); null without a prediction. */
  readonly distance: number | null;
  readonly certificates: Record<string, number>;
}

/** Train a config (plain JSON, validated here), predict its limit and measure the distance. */
export async function compareRun(
  json: unknown,
  backend: Backend,
  baseDir = '.',
): Promise<Comparison> {
  const config = parseRunConfig(json);
  const data = await loadRunData(config, baseDir);
  const network = buildNetwork(config, data.X.cols);
  const init = initialParams(config, network);
  const train = (await trainRun(config, network, data, init, { backend }))!;
  const beta = Float64Array.from(train.beta);
  const params = train.params.map((p) => Float64Array.from(p));
  const prediction = await predictFor(
    config,
    network,
    data,
    init,
    config.task === 'classification' ? beta : undefined,
  );
  const distance =
    'notSupported' in prediction ? null : distanceTo(config.task, beta, prediction.beta);
  return {
    config,
    data,
    network,
    train,
    prediction,
    distance,
    certificates: certificatesFor(config, network, data, params, beta),
  };
}

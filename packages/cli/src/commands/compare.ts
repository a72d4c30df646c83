import {
  buildNetwork,
  initialParams,
  judgeTrained,
  loadRunData,
  predictFor,
} from '@implicit-bias/experiments';
import { readConfigFile } from '../config-file.js';
import type { CliIo } from '../io.js';
import { checkpointPath, emitJson, trainFromConfig } from './train.js';
import type { TrainCommandOptions } from './train.js';

/** `implicit-bias predict --config run.json`: the theory's prediction only (no training). */
export async function predictCommand(
  io: CliIo,
  o: { config: string; out?: string },
): Promise<number> {
  const { config, baseDir } = readConfigFile(o.config, io.cwd);
  const data = await loadRunData(config, baseDir);
  const net = buildNetwork(config, data.X.cols);
  const prediction = await predictFor(config, net, data, initialParams(config, net));
  emitJson(io, { prediction }, o.out);
  io.stderr(
    'notSupported' in prediction
      ? `predict: ${prediction.notSupported}\n`
      : `predict: ${prediction.kind} (${prediction.exact ? 'exact' : 'approximate'}), ${prediction.reference}\n`,
  );
  return 'notSupported' in prediction ? 1 : 0;
}

/** `implicit-bias compare --config run.json`: train, predict, distance and certificates. */
export async function compareCommand(io: CliIo, o: TrainCommandOptions): Promise<number> {
  const trained = await trainFromConfig(io, o);
  if (trained === undefined) {
    io.stderr(
      `implicit-bias: interrupted; progress saved to ${checkpointPath(io, o)}; rerun the same command to resume\n`,
    );
    return 130;
  }
  const { config, baseDir } = readConfigFile(o.config, io.cwd);
  const data = await loadRunData(config, baseDir);
  const net = buildNetwork(config, data.X.cols);
  const { prediction, distance, certificates } = await judgeTrained(
    config,
    net,
    data,
    initialParams(config, net),
    trained,
  );
  emitJson(
    io,
    {
      ...trained,
      prediction,
      distance,
      distanceKind: config.task === 'regression' ? 'relative' : '1-cos',
      certificates,
    },
    o.out,
  );
  io.stderr(
    `compare: ${trained.status}; distance to the prediction (${config.task === 'regression' ? '‖β̂ − β*‖/‖β*‖' : '1 − cos'}) = ${
      distance === null ? 'n/a' : distance.toExponential(3)
    }\n`,
  );
  return trained.status === 'converged' ? 0 : 1;
}

import { describeStationary, judgeOrExplain, predictFor } from '@implicit-bias/experiments';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { checkOutput, loadInputs, writeResult } from '../run-files.js';
import {
  prepareRun,
  reportInterrupted,
  statusLine,
  trainPrepared,
  writeThenRelease,
} from './train.js';
import type { TrainCommandOptions } from './train.js';

/** `implicit-bias predict --config run.json`: the theory's prediction only (no training). */
export async function predictCommand(
  io: CliIo,
  o: { config: string; out?: string; force?: boolean },
): Promise<number> {
  const { config, data, net, init, files } = await loadInputs(io, o.config);
  if (o.out !== undefined)
    checkOutput(io, '--out', o.out, files, {
      kind: 'result',
      ...(o.force !== undefined ? { force: o.force } : {}),
    });
  const prediction = await predictFor(config, net, data, init);
  writeResult(io, { prediction }, o.out);
  io.stderr(
    'notSupported' in prediction
      ? `predict: ${prediction.notSupported}\n`
      : `predict: ${prediction.kind} (${prediction.exact ? 'exact' : 'approximate'}), ${prediction.reference}\n`,
  );
  return 'notSupported' in prediction ? EXIT.failed : EXIT.ok;
}

/**
 * `implicit-bias compare --config run.json`: train, predict, distance and certificates. When the
 * predictor fails the training result is still written, with `prediction: null` and
 * `predictionError: { code, message }` (exit 1, "no prediction: …").
 */
export async function compareCommand(io: CliIo, o: TrainCommandOptions): Promise<number> {
  const run = await prepareRun(io, o);
  const { outcome, stopCode } = await trainPrepared(io, o, run);
  if (outcome.kind === 'interrupted') return reportInterrupted(io, outcome, stopCode);
  const trained = outcome.result;
  const { config, net, data, init } = run.inputs;
  const judged = await judgeOrExplain(config, net, data, init, trained);
  const distanceKind = config.task === 'regression' ? 'relative' : '1-cos';
  const written = writeThenRelease(io, o, run.checkpoint, {
    ...trained,
    prediction: judged.prediction,
    predictionError: judged.predictionError,
    distance: judged.distance,
    distanceKind,
    certificates: judged.certificates,
    stationary: judged.stationary,
  });
  if (written !== EXIT.ok) return written;
  const symbol = config.task === 'regression' ? '‖β̂ − β*‖/‖β*‖' : '1 − cos';
  io.stderr(
    judged.predictionError !== null
      ? `compare: ${trained.status}; no prediction: ${judged.predictionError.message} (${judged.predictionError.code})\n`
      : `compare: ${trained.status}; distance to the prediction (${symbol}) = ${
          judged.distance === null ? 'n/a' : judged.distance.toExponential(3)
        }\n`,
  );
  if (judged.stationary !== null)
    for (const line of describeStationary(judged.stationary)) io.stderr(`compare: ${line}\n`);
  if (trained.status !== 'converged') {
    io.stderr(statusLine('compare', trained));
    return EXIT.failed;
  }
  return judged.predictionError !== null ? EXIT.failed : EXIT.ok;
}

import type { Comparison } from '../compare-run.js';
import { judgeTrained } from '../compare-run.js';
import type { PointContext } from '../experiment.js';
import { PointInterruptedError } from '../experiment.js';
import { buildNetwork, initialParams, loadRunData } from '../resolve.js';
import { parseRunConfig } from '../run-config.js';
import { trainRun } from '../train.js';

/**
 * Wall-clock milliseconds per chunk of a point's solve when the suite can be stopped: between
 * chunks the solve yields to the event loop and checks the stop request, so Ctrl-C or SIGTERM
 * stops a point within about this long (the flow resumes each chunk exactly where it stopped).
 */
export const POINT_CHUNK_MS = 250;

/**
 * `compareRun` for a suite point: train the config (in short chunks that check
 * `ctx.shouldStop`), predict its limit and measure the distance. Throws
 * {@link PointInterruptedError} when stopped before the training finished.
 */
export async function comparePoint(json: unknown, ctx: PointContext): Promise<Comparison> {
  const config = parseRunConfig(json);
  const data = await loadRunData(config, '.');
  const network = buildNetwork(config, data.X.cols);
  const init = initialParams(config, network);
  const stop = ctx.shouldStop;
  const train = await trainRun(config, network, data, init, {
    backend: ctx.backend,
    ...(stop ? { shouldStop: stop, chunkMs: POINT_CHUNK_MS } : {}),
  });
  if (train === undefined) throw new PointInterruptedError();
  return {
    config,
    data,
    network,
    train,
    ...(await judgeTrained(config, network, data, init, train)),
  };
}

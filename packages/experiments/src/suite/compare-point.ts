import type { Comparison } from '../compare-run.js';
import { compareRun, TrainingInterrupted } from '../compare-run.js';
import type { PointContext } from '../experiment.js';
import { PointInterruptedError } from '../experiment.js';

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
  const stop = ctx.shouldStop;
  try {
    return await compareRun(
      json,
      ctx.backend,
      '.',
      stop ? { shouldStop: stop, chunkMs: POINT_CHUNK_MS } : {},
    );
  } catch (e) {
    if (e instanceof TrainingInterrupted) throw new PointInterruptedError();
    throw e;
  }
}

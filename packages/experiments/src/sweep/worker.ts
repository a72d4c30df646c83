/**
 * The piscina worker of a sweep: each task is one run ({@link ExecuteRunInput}), answered with
 * its {@link RunOutcome}. Loaded by file name from the built package (`dist/sweep/worker.js`).
 *
 * @packageDocumentation
 */
import { executeRun } from './execute.js';
import type { ExecuteRunInput, RunOutcome } from './execute.js';

/** Run one sweep run in this worker thread. */
export default function runTask(input: ExecuteRunInput): Promise<RunOutcome> {
  return executeRun(input);
}

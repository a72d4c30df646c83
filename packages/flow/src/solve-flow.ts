import type { FlowCheckpoint } from './checkpoint.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { startFlow } from './flow-run.js';

/**
 * Train every run of `problem` by gradient flow (docs/theory/tensor-formulation.md) until a stop condition holds:
 * `startFlow(problem, options)` advanced to the end in one call.
 *
 * Runs advance together (one batched backend evaluation per stage), each with its own step size,
 * controller and stop conditions; finished runs drop out of the batch. Numerical failures are
 * reported as statuses (`non-finite`, `stalled`, `stiff`, `max-steps`, `max-time`, `time-limit`;
 * see `FlowStatus`) unless `throwOnFailure` is set: a run is `converged` only when its own
 * stop rule held. Bad input throws `ImplicitBiasError` naming the field.
 */
export async function solveFlow(problem: FlowProblem, options: FlowOptions): Promise<FlowSolution> {
  return Promise.resolve(toEnd(problem, options, undefined));
}

/**
 * Continue a solve from `solution.checkpoint()` (or `FlowRun.checkpoint()`) with (possibly new)
 * options: `startFlow(problem, options, { from: checkpoint })` advanced to the end in one call.
 * With the same method and options the trajectory is the one an uninterrupted solve would follow
 * (bit for bit on a deterministic backend). Runs stopped by a condition are re-checked against
 * the new `until`.
 */
export async function resumeFlow(
  problem: FlowProblem,
  checkpoint: FlowCheckpoint,
  options: FlowOptions,
): Promise<FlowSolution> {
  return Promise.resolve(toEnd(problem, options, checkpoint));
}

function toEnd(
  problem: FlowProblem,
  options: FlowOptions,
  from: FlowCheckpoint | undefined,
): FlowSolution {
  const run = startFlow(problem, options, from === undefined ? {} : { from });
  try {
    run.advance();
    return run.solution();
  } finally {
    run.dispose();
  }
}

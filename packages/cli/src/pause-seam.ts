import { ImplicitBiasError } from '@implicit-bias/core';

/**
 * Test seam of `reproduce`: with `IMPLICIT_BIAS_PAUSE_AFTER_POINTS=N` (N ≥ 1) it prints
 * `reproduce: paused after N points, waiting for a signal` once N points are finished and waits
 * until SIGINT or SIGTERM arrives, then stops as on any interrupt.
 */
export const PAUSE_AFTER_POINTS_ENV = 'IMPLICIT_BIAS_PAUSE_AFTER_POINTS';

/**
 * Test seam of `sweep run`: with `IMPLICIT_BIAS_PAUSE_AFTER_RUNS=N` (N ≥ 1) it prints
 * `sweep: paused after N runs, waiting for a signal` once N runs are stored and starts no other
 * run until SIGINT or SIGTERM arrives (or the process is killed).
 */
export const PAUSE_AFTER_RUNS_ENV = 'IMPLICIT_BIAS_PAUSE_AFTER_RUNS';

/**
 * The pause count a seam variable asks for, or `undefined` when unset. These seams let a test
 * interrupt a run at a known place instead of racing the run's end.
 */
export function readPauseAfter(
  env: Readonly<Record<string, string | undefined>>,
  variable: string,
): number | undefined {
  const v = env[variable];
  if (v === undefined || v === '') return undefined;
  if (!/^[1-9][0-9]*$/.test(v.trim()))
    throw new ImplicitBiasError('INVALID_CONFIG', `must be a whole number ≥ 1, got '${v}'`, {
      path: variable,
    });
  return Number(v);
}

/** Wait until `signal` settles, keeping Node alive meanwhile (signal listeners alone do not). */
export async function waitForSignal(signal: Promise<void>): Promise<void> {
  const alive = setInterval(() => undefined, 60_000);
  try {
    await signal;
  } finally {
    clearInterval(alive);
  }
}

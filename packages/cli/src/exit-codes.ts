/**
 * Exit codes of `implicit-bias`: 0 success, 1 a run failed or did not converge, 2 bad usage or
 * input, 3 a file could not be read or written, 130 stopped by SIGINT, 143 stopped by SIGTERM.
 */
export const EXIT = {
  /** Success: the run converged by its own stop rule (and the prediction exists, for compare). */
  ok: 0,
  /**
   * The command ran and failed: a run ended with another status than `converged` (`max-steps`,
   * `time-limit`, `non-finite`, `stalled`, …; the status and its message are printed), the
   * predictor failed, a claim did not hold, a store refused.
   */
  failed: 1,
  /**
   * Bad usage or input: unknown option, malformed config or spec, unreadable, ragged, non-finite
   * or mismatched data, an output that would overwrite an input, an unusable checkpoint; the
   * message names the field or file.
   */
  usage: 2,
  /** A file could not be written or read (`ENOSPC`, `EACCES`, `EISDIR`, …): one line naming it. */
  fileSystem: 3,
  /** Interrupted by SIGINT (Ctrl-C) after saving finished work (128 + 2). */
  interrupted: 130,
  /** Stopped by SIGTERM (e.g. `timeout`, a scheduler) after saving finished work (128 + 15). */
  terminated: 143,
} as const;

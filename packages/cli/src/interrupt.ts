/** The signals that stop long work at its next safe point. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Exit code of a process stopped by `signal` after saving its work: 128 + the signal number. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** A Ctrl-C / SIGTERM latch: the first signal asks long work to stop at its next safe point. */
export interface Interrupt {
  /** True once a signal arrived. */
  readonly requested: () => boolean;
  /** The first signal that arrived, or undefined. */
  readonly signal: () => StopSignal | undefined;
  /** The exit code for the first signal: 130 for SIGINT, 143 for SIGTERM (130 when none). */
  readonly exitCode: () => number;
  /** Stop listening. */
  readonly dispose: () => void;
}

/**
 * Listen for SIGINT/SIGTERM until disposed. Long work must yield to the event loop (a macrotask,
 * e.g. `setImmediate`) for the handler to run. A second signal exits at once with its code.
 */
export function listenForInterrupt(onFirst: (signal: StopSignal) => void): Interrupt {
  let first: StopSignal | undefined;
  const on = (signal: StopSignal) => (): void => {
    if (first === undefined) {
      first = signal;
      onFirst(signal);
    } else process.exit(SIGNAL_EXIT[signal]);
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    requested: () => first !== undefined,
    signal: () => first,
    exitCode: () => SIGNAL_EXIT[first ?? 'SIGINT'],
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** A Ctrl-C latch: the first SIGINT asks long work to stop at its next safe point. */
export interface Interrupt {
  readonly requested: () => boolean;
  readonly dispose: () => void;
}

/** Listen for SIGINT/SIGTERM until disposed. A second signal exits at once. */
export function listenForInterrupt(onFirst: () => void): Interrupt {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) onFirst();
    else process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    requested: () => count > 0,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

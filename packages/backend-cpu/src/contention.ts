/**
 * When to stop handing work to worker threads for a while. Threads pay only when every one of
 * them gets a core: on a machine busy with other processes (several experiments at once, a
 * build) a worker may wait for a core while the calling thread waits for the worker, and a
 * threaded gradient measured several times slower than one thread. The guard compares, for
 * each threaded call, the time the calling thread waited for the workers after finishing its
 * own share with the time that share took: workers with cores of their own finish about when
 * it does. After {@link STRIKES} calls in a row that waited longer than the share took (plus
 * {@link SLACK_MS}), the next calls run on the calling thread alone, first
 * {@link FIRST_PAUSE} of them, doubling while the hand-offs that follow stay slow (up to
 * {@link MAX_PAUSE}) and halving back while they are fast. Results do not depend on it: threaded
 * and single-threaded gradients are equal bit for bit.
 */

/** Slow hand-offs in a row that pause the threads. */
export const STRIKES = 2;
/** Calls run on one thread after the first pause. */
export const FIRST_PAUSE = 16;
/** The longest pause, in calls. */
export const MAX_PAUSE = 4096;
/** Waiting this much longer than the calling thread's own share (ms) is not yet slow. */
export const SLACK_MS = 0.005;

/** The guard's state for one pool. */
export class ContentionGuard {
  private skip = 0;
  private strikes = 0;
  private pause = FIRST_PAUSE;

  /** Whether the next call may use the threads (false while paused; counts the paused call). */
  admit(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    return true;
  }

  /** Report a threaded call: its own share took `ownMs`, then it waited `waitedMs` for the workers. */
  record(ownMs: number, waitedMs: number): void {
    if (waitedMs <= ownMs + SLACK_MS) {
      this.strikes = 0;
      this.pause = Math.max(FIRST_PAUSE, this.pause / 2);
      return;
    }
    if (++this.strikes < STRIKES) return;
    this.strikes = 0;
    this.skip = this.pause;
    this.pause = Math.min(MAX_PAUSE, 2 * this.pause);
  }
}

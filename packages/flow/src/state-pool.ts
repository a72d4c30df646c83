import { STEPPERS } from './integrator.js';
import type { RunRecord } from './run-record.js';
import type { Stepper } from './stepper.js';

/** At most this many buffers are kept (a step needs one that no run holds). */
const POOL_SIZE = 4;

/**
 * The steppers that write their proposed states into `StepInput.out` and keep no reference to
 * their input or output in a row's state (so that the only holders of a state buffer are the
 * records' rows and event-search base points).
 */
const POOLED: ReadonlySet<Stepper> = new Set<Stepper>([STEPPERS.gd, STEPPERS.rk4, STEPPERS.dopri5]);

/**
 * Buffers for the states a step proposes (or for `F` at them: a second pool), reused instead of
 * allocated at every step. Rows keep views of the batch their step produced (see `stepRows`),
 * so a buffer is free once no record's row, and no event search's base point, holds a view of
 * it as its state or its `F`: {@link StatePool.take} checks that against every record (finished
 * runs keep their final point too). Snapshots, solutions and
 * checkpoints copy the vectors they keep, so nothing else holds a state buffer.
 */
export class StatePool {
  private readonly buffers: Float64Array[] = [];

  /** A pool for the records of a solve advanced by `stepper` (none for other steppers). */
  static for(stepper: Stepper, records: readonly RunRecord[]): StatePool | undefined {
    return POOLED.has(stepper) ? new StatePool(records) : undefined;
  }

  private constructor(private readonly records: readonly RunRecord[]) {}

  /** A buffer of `length` entries that no record holds, or undefined (then the step allocates). */
  take(length: number): Float64Array | undefined {
    const held = new Set<ArrayBufferLike>();
    for (const r of this.records) {
      held.add(r.row.y.buffer);
      held.add(r.row.f.buffer);
      if (r.locate !== undefined) {
        held.add(r.locate.base.y.buffer);
        held.add(r.locate.base.f.buffer);
      }
    }
    for (let i = 0; i < this.buffers.length; i++) {
      const b = this.buffers[i]!;
      if (held.has(b.buffer)) continue;
      if (b.length === length) return b;
      // a free buffer of another size (the batch shrank): replaced by one of this size
      return (this.buffers[i] = new Float64Array(length));
    }
    if (this.buffers.length >= POOL_SIZE) return undefined;
    const b = new Float64Array(length);
    this.buffers.push(b);
    return b;
  }
}

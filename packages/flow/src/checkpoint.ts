import type { EventQuantity } from './event-quantity.js';
import type { RowState } from './integrator.js';
import type { Stepper, StepperName } from './stepper.js';

/** Serialized integrator state of one run (plain JSON; numbers round-trip exactly). */
export interface RunCheckpoint {
  /** Current time. */
  readonly t: number;
  /** Current state (all layers packed). */
  readonly y: number[];
  /** The field `F(y)` at the current state. */
  readonly f: number[];
  /** Step size of the next attempt. */
  readonly h: number;
  /** PI controller memory (error norm of the last accepted step). */
  readonly errPrev: number;
  /** Stepper in use (`auto` may have switched to the stiff one). */
  readonly stepper: StepperName;
  /** `auto`: consecutive stiffness detections. */
  readonly stiffHits: number;
  /** `auto`: consecutive non-stiff steps since the last detection. */
  readonly nonStiffHits: number;
  /** Accepted steps so far (trial steps of event searches included). */
  readonly accepted: number;
  /** Rejected steps so far. */
  readonly rejected: number;
  /** Field evaluations so far. */
  readonly fieldEvals: number;
  /** Jacobian evaluations so far. */
  readonly jacobianEvals: number;
  /** radau5 continuation (collocation polynomial of the last step), or null. */
  readonly cont?: number[] | null;
  /** Step size of the step `cont` belongs to, or null. */
  readonly hOld?: number | null;
  /**
   * radau5: the point its kept Jacobian was evaluated at, or null. The Jacobian itself is not
   * stored: the resumed solve recomputes it there (bit for bit on a deterministic backend) without
   * counting it.
   */
  readonly jacAt?: number[] | null;
  /** radau5: the next step takes a fresh Jacobian. */
  readonly jacRefresh?: boolean;
  /**
   * The solve held the Jacobian at this point. Jacobians are not stored (they are `dim²`
   * numbers): the resumed solve recomputes them, bit for bit on a deterministic backend, without
   * counting them, so the work counters match an uninterrupted solve.
   */
  readonly jacobianKnown?: boolean;
  /** Consecutive rejected attempts (failure detection). */
  readonly rejectStreak?: number;
  /** `'running'` or the final status. */
  readonly status: string;
  /** The condition that stopped the run, or null. */
  readonly stoppedBy: string | null;
  /** The explanation of a failure status, or null. */
  readonly message: string | null;
  /** Largest field norm seen (stall detection). */
  readonly gMax: number;
  /** Layer-norm invariants at the original initialization. */
  readonly layerInv0: number[];
  /** Odeco invariants at the original initialization (null for other networks). */
  readonly odecoInv0: number[] | null;
  /** Largest layer-norm invariant drift so far. */
  readonly layerDrift: number;
  /** Largest odeco invariant drift so far. */
  readonly odecoDrift: number;
  /** Log-spaced saving: the next threshold time (null: save at the next step). */
  readonly nextSave: number | null;
  /** Log-spaced saving: ratio between consecutive thresholds. */
  readonly saveRatio: number;
  /** Explicit save times: index of the next one (absent in older checkpoints). */
  readonly saveTimesIndex?: number;
  /**
   * The event search in progress when the solve stopped (a wall-clock stop can interrupt it), or
   * null. It is an Illinois regula falsi on the size of the step from `base`; a resumed solve
   * continues it where it stopped instead of starting over, so chunked runs follow the
   * uninterrupted trajectory.
   */
  readonly locate?: {
    /** The stop condition (or monitored quantity) whose crossing is being located. */
    readonly reason: 'margin' | 'loss' | 'logLoss' | 'normalizedMargin';
    /**
     * A save level or event search (absent or null for a stop target): the monitor's index and
     * the side it crosses to. The base point's observation is recomputed on resume.
     */
    readonly monitor?: {
      /** Index of the save level or event monitor. */
      readonly index: number;
      /** Its side (±1) before the crossing. */
      readonly sign: number;
    } | null;
    /** Its target value (a resumed solve with another target drops the search). */
    readonly target: number;
    /** The accepted point before the crossing step (its `jacobianKnown` as for the run). */
    readonly base: Pick<
      RunCheckpoint,
      | 't'
      | 'y'
      | 'f'
      | 'h'
      | 'errPrev'
      | 'stepper'
      | 'stiffHits'
      | 'nonStiffHits'
      | 'cont'
      | 'hOld'
      | 'jacAt'
      | 'jacRefresh'
      | 'jacobianKnown'
    >;
    /** Step size from `base` known to fall short of the target. */
    readonly hLo: number;
    /** Event value after `hLo` (negative). */
    readonly gLo: number;
    /** Step size from `base` known to reach the target. */
    readonly hHi: number;
    /** Event value after `hHi` (non-negative). */
    readonly gHi: number;
    /** Side of the last bracket update (−1 low, 1 high, 0 none), for Illinois halving. */
    readonly side: number;
    /** Bracket updates so far. */
    readonly iterations: number;
    /** Step size the controller proposed after the crossing step, restored once located. */
    readonly afterH: number;
    /** Controller memory after the crossing step, restored once located. */
    readonly afterErrPrev: number;
  } | null;
  /** Side (±1) of each save level and event monitor at the current point. */
  readonly monitorSides?: number[];
  /** Event crossings so far (numbers that JSON cannot hold as strings: `'-Infinity'`). */
  readonly events?: EventCheckpoint[];
}

/** An event crossing as stored in a checkpoint. */
export interface EventCheckpoint {
  /** The event's name. */
  readonly name: string;
  /** The quantity it watches. */
  readonly on: EventQuantity;
  /** The level crossed. */
  readonly value: number;
  /** Which way it was crossed. */
  readonly direction: 'rising' | 'falling';
  /** The located time of the crossing. */
  readonly time: number;
  /** The loss there. */
  readonly loss: number | string;
  /** The log-loss there. */
  readonly logLoss: number | string;
  /** The margin there. */
  readonly margin: number | string;
  /** The normalized margin there. */
  readonly normalizedMargin: number | string;
  /** The parameter norm there. */
  readonly paramNorm: number | string;
  /** The accepted steps before it. */
  readonly step: number;
}

/** An event search as stored in a checkpoint. */
export type LocateCheckpoint = NonNullable<RunCheckpoint['locate']>;

/** The integrator state of a point as stored in a checkpoint (an event search's base). */
export type RowCheckpoint = LocateCheckpoint['base'];

/** The full, JSON-serializable state of a {@link solveFlow} call, for {@link resumeFlow}. */
export interface FlowCheckpoint {
  /** Format tag. */
  readonly format: 'implicit-bias/flow-checkpoint';
  /** Format version. */
  readonly version: 1;
  /** Method it was taken with (another method on resume restarts the stepper state). */
  readonly method: string;
  /** Time scale it was taken with (checked on resume). */
  readonly time: string;
  /** Packed state size (checked on resume). */
  readonly dim: number;
  /** Wall-clock milliseconds spent so far, over all resumes. */
  readonly wallMs: number;
  /** One entry per run. */
  readonly runs: RunCheckpoint[];
}

/** Serialize the integrator state of a row (without its work counters); `stepper` owns its state. */
export function rowPointToJson(r: RowState, stepper: Stepper): RowCheckpoint {
  const s = stepper.describe(r.state);
  return {
    t: r.t,
    y: Array.from(r.y),
    f: Array.from(r.f),
    h: r.h,
    errPrev: r.errPrev,
    stepper: s.stepper,
    stiffHits: s.stiffHits,
    nonStiffHits: s.nonStiffHits,
    cont: s.cont === undefined ? null : Array.from(s.cont),
    hOld: s.hOld ?? null,
    jacAt: s.jacAt === undefined ? null : Array.from(s.jacAt),
    ...(s.jacRefresh !== undefined ? { jacRefresh: s.jacRefresh } : {}),
    jacobianKnown: r.jacobian !== undefined,
  };
}

/** Serialize a row with its counters. */
export function rowToJson(
  r: RowState,
  stepper: Stepper,
): RowCheckpoint &
  Pick<RunCheckpoint, 'accepted' | 'rejected' | 'fieldEvals' | 'jacobianEvals' | 'rejectStreak'> {
  return {
    ...rowPointToJson(r, stepper),
    accepted: r.accepted,
    rejected: r.rejected,
    fieldEvals: r.fieldEvals,
    jacobianEvals: r.jacobianEvals,
    rejectStreak: r.rejectStreak,
  };
}

/**
 * Restore a row, its stepper state by `stepper`. Counters absent from `c` (an event-search base
 * point) start at 0. The Jacobian is not restored: `jacobianKnown` tells the caller to recompute
 * it.
 */
export function rowFromJson(
  c: RowCheckpoint &
    Partial<
      Pick<RunCheckpoint, 'accepted' | 'rejected' | 'fieldEvals' | 'jacobianEvals' | 'rejectStreak'>
    >,
  stepper: Stepper,
): RowState {
  return {
    t: c.t,
    y: Float64Array.from(c.y),
    f: Float64Array.from(c.f),
    h: c.h,
    errPrev: c.errPrev,
    state: stepper.restore({
      stepper: c.stepper,
      stiffHits: c.stiffHits,
      nonStiffHits: c.nonStiffHits,
      ...(c.cont !== undefined && c.cont !== null ? { cont: Float64Array.from(c.cont) } : {}),
      ...(c.hOld !== undefined && c.hOld !== null ? { hOld: c.hOld } : {}),
      ...(c.jacAt !== undefined && c.jacAt !== null ? { jacAt: Float64Array.from(c.jacAt) } : {}),
      ...(c.jacRefresh !== undefined ? { jacRefresh: c.jacRefresh } : {}),
    }),
    accepted: c.accepted ?? 0,
    rejected: c.rejected ?? 0,
    fieldEvals: c.fieldEvals ?? 0,
    jacobianEvals: c.jacobianEvals ?? 0,
    rejectStreak: c.rejectStreak ?? 0,
  };
}

import { ImplicitBiasError } from '@implicit-bias/core';
import type { RowState } from './integrator.js';
import type { StepperName } from './stepper.js';

/** The integrator state of a row as stored in a checkpoint (the point an event search steps from). */
export interface RowCheckpoint {
  readonly t: number;
  readonly y: number[];
  readonly f: number[];
  readonly h: number;
  readonly errPrev: number;
  readonly stepper: StepperName;
  readonly stiffHits: number;
  readonly nonStiffHits: number;
  /** radau5 continuation (collocation polynomial of the step that ended here) and its step. */
  readonly cont?: number[] | null;
  readonly hOld?: number | null;
  /**
   * The solve held the Jacobian at this point. Jacobians are not stored (they are `dim²`
   * numbers): the resumed solve recomputes them, bit for bit on a deterministic backend, without
   * counting them, so the work counters match an uninterrupted solve.
   */
  readonly jacobianKnown?: boolean;
}

/**
 * An event search in progress (Illinois regula falsi on the step from `base`): resuming
 * continues it where it stopped instead of starting over, so chunked runs follow the
 * uninterrupted trajectory.
 */
export interface LocateCheckpoint {
  /** The stop condition whose crossing is being located, and its target value. */
  readonly reason: 'margin' | 'loss' | 'logLoss';
  readonly target: number;
  /** The accepted point before the crossing step. */
  readonly base: RowCheckpoint;
  /** Bracket of step sizes from `base` with event values of opposite signs. */
  readonly hLo: number;
  readonly gLo: number;
  readonly hHi: number;
  readonly gHi: number;
  /** Side of the last update (Illinois halving), and updates so far. */
  readonly side: number;
  readonly iterations: number;
  /** Controller state after the crossing step, restored once the event is located. */
  readonly afterH: number;
  readonly afterErrPrev: number;
}

/** Serialized integrator state of one run (plain JSON; numbers round-trip exactly). */
export interface RunCheckpoint {
  readonly t: number;
  readonly y: number[];
  readonly f: number[];
  readonly h: number;
  readonly errPrev: number;
  readonly stepper: StepperName;
  readonly stiffHits: number;
  readonly nonStiffHits: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly fieldEvals: number;
  readonly jacobianEvals: number;
  /** radau5 continuation (collocation polynomial of the last step) and that step's size. */
  readonly cont?: number[] | null;
  readonly hOld?: number | null;
  /** The solve held the Jacobian at the current point (see {@link RowCheckpoint.jacobianKnown}). */
  readonly jacobianKnown?: boolean;
  /** Consecutive rejected attempts (failure detection). */
  readonly rejectStreak?: number;
  /** `'running'` or the final status and reason. */
  readonly status: string;
  readonly stoppedBy: string | null;
  readonly message: string | null;
  /** Largest field norm seen (stall detection). */
  readonly gMax: number;
  /** Invariants at the original initialization, and the drift so far. */
  readonly layerInv0: number[];
  readonly odecoInv0: number[] | null;
  readonly layerDrift: number;
  readonly odecoDrift: number;
  /** Log-spaced saving: next threshold time and ratio. */
  readonly nextSave: number | null;
  readonly saveRatio: number;
  /** Explicit save times: index of the next one (absent in older checkpoints). */
  readonly saveTimesIndex?: number;
  /** The event search in progress when the solve stopped (a wall-clock stop can interrupt it). */
  readonly locate?: LocateCheckpoint | null;
}

/** The full, JSON-serializable state of a {@link solveFlow} call, for {@link resumeFlow}. */
export interface FlowCheckpoint {
  readonly format: 'implicit-bias/flow-checkpoint';
  readonly version: 1;
  /** Method, time scale and packed state size it was taken with (checked on resume). */
  readonly method: string;
  readonly time: string;
  readonly dim: number;
  readonly wallMs: number;
  readonly runs: RunCheckpoint[];
}

/** Serialize the integrator state of a row (without its work counters). */
export function rowPointToJson(r: RowState): RowCheckpoint {
  return {
    t: r.t,
    y: Array.from(r.y),
    f: Array.from(r.f),
    h: r.h,
    errPrev: r.errPrev,
    stepper: r.stepper,
    stiffHits: r.stiffHits,
    nonStiffHits: r.nonStiffHits,
    cont: r.cont === undefined ? null : Array.from(r.cont),
    hOld: r.hOld ?? null,
    jacobianKnown: r.jacobian !== undefined,
  };
}

/** Serialize a row with its counters. */
export function rowToJson(
  r: RowState,
): RowCheckpoint &
  Pick<RunCheckpoint, 'accepted' | 'rejected' | 'fieldEvals' | 'jacobianEvals' | 'rejectStreak'> {
  return {
    ...rowPointToJson(r),
    accepted: r.accepted,
    rejected: r.rejected,
    fieldEvals: r.fieldEvals,
    jacobianEvals: r.jacobianEvals,
    rejectStreak: r.rejectStreak,
  };
}

/**
 * Restore a row. Counters absent from `c` (an event-search base point) start at 0. The Jacobian
 * is not restored: `jacobianKnown` tells the caller to recompute it.
 */
export function rowFromJson(
  c: RowCheckpoint &
    Partial<
      Pick<RunCheckpoint, 'accepted' | 'rejected' | 'fieldEvals' | 'jacobianEvals' | 'rejectStreak'>
    >,
): RowState {
  return {
    t: c.t,
    y: Float64Array.from(c.y),
    f: Float64Array.from(c.f),
    h: c.h,
    errPrev: c.errPrev,
    stepper: c.stepper,
    stiffHits: c.stiffHits,
    nonStiffHits: c.nonStiffHits,
    accepted: c.accepted ?? 0,
    rejected: c.rejected ?? 0,
    fieldEvals: c.fieldEvals ?? 0,
    jacobianEvals: c.jacobianEvals ?? 0,
    rejectStreak: c.rejectStreak ?? 0,
    ...(c.cont !== undefined && c.cont !== null ? { cont: Float64Array.from(c.cont) } : {}),
    ...(c.hOld !== undefined && c.hOld !== null ? { hOld: c.hOld } : {}),
  };
}

/** Check that a value looks like a checkpoint for this problem; errors name the field. */
export function validateCheckpoint(c: unknown, dim: number, runs: number): FlowCheckpoint {
  const fail = (path: string, msg: string): never => {
    throw new ImplicitBiasError('INVALID_CONFIG', msg, { path });
  };
  if (typeof c !== 'object' || c === null)
    return fail('checkpoint', 'must be an object from solution.checkpoint()');
  const cp = c as Partial<FlowCheckpoint>;
  if (cp.format !== 'implicit-bias/flow-checkpoint' || cp.version !== 1) {
    fail('checkpoint.format', 'not a version-1 flow checkpoint');
  }
  if (cp.dim !== dim)
    fail('checkpoint.dim', `state size ${String(cp.dim)} does not match the network (${dim})`);
  if (!Array.isArray(cp.runs) || cp.runs.length !== runs) {
    fail('checkpoint.runs', `expected ${runs} runs (one per problem.init entry)`);
  }
  cp.runs!.forEach((r, i) => {
    if (!Array.isArray(r.y) || r.y.length !== dim || !Array.isArray(r.f) || r.f.length !== dim) {
      fail(`checkpoint.runs[${i}].y`, `state must have ${dim} entries`);
    }
    if (!r.y.every(Number.isFinite)) fail(`checkpoint.runs[${i}].y`, 'state must be finite');
    const b = r.locate?.base;
    if (
      b !== undefined &&
      (!Array.isArray(b.y) || b.y.length !== dim || !Array.isArray(b.f) || b.f.length !== dim)
    ) {
      fail(`checkpoint.runs[${i}].locate.base.y`, `state must have ${dim} entries`);
    }
  });
  return cp as FlowCheckpoint;
}

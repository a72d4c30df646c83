import { ImplicitBiasError } from '@implicit-bias/core';
import type { RowState } from './integrator.js';
import type { StepperName } from './stepper.js';

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

/** Serialize a row. */
export function rowToJson(
  r: RowState,
): Pick<
  RunCheckpoint,
  | 't'
  | 'y'
  | 'f'
  | 'h'
  | 'errPrev'
  | 'stepper'
  | 'stiffHits'
  | 'nonStiffHits'
  | 'accepted'
  | 'rejected'
  | 'fieldEvals'
  | 'jacobianEvals'
  | 'cont'
  | 'hOld'
> {
  return {
    t: r.t,
    y: Array.from(r.y),
    f: Array.from(r.f),
    h: r.h,
    errPrev: r.errPrev,
    stepper: r.stepper,
    stiffHits: r.stiffHits,
    nonStiffHits: r.nonStiffHits,
    accepted: r.accepted,
    rejected: r.rejected,
    fieldEvals: r.fieldEvals,
    jacobianEvals: r.jacobianEvals,
    cont: r.cont === undefined ? null : Array.from(r.cont),
    hOld: r.hOld ?? null,
  };
}

/** Restore a row. */
export function rowFromJson(c: RunCheckpoint): RowState {
  return {
    t: c.t,
    y: Float64Array.from(c.y),
    f: Float64Array.from(c.f),
    h: c.h,
    errPrev: c.errPrev,
    stepper: c.stepper,
    stiffHits: c.stiffHits,
    nonStiffHits: c.nonStiffHits,
    accepted: c.accepted,
    rejected: c.rejected,
    fieldEvals: c.fieldEvals,
    jacobianEvals: c.jacobianEvals,
    rejectStreak: 0,
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
  });
  return cp as FlowCheckpoint;
}

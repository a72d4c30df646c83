import {
  errorNorm,
  piController,
  predictiveController,
  type ControllerSettings,
} from './controller.js';
import { allFinite } from './host-loss.js';
import { dopri5, gd, rk4 } from './explicit-steppers.js';
import { centralDifferenceJacobian } from './jacobian.js';
import { radau5 } from './radau5.js';
import { rodas4 } from './rodas4.js';
import { autoStepper, countingDopri5 } from './auto.js';
import type { DenseLu } from './radau5-linear.js';
import type { MethodName, Stepper, StepperName } from './stepper.js';
import { repeatRuns, type VectorField } from './vector-field.js';

export type { MethodName };

/** The built-in steppers by name. */
export const STEPPERS: Readonly<Record<StepperName, Stepper>> = {
  gd,
  rk4,
  dopri5,
  rodas4,
  radau5: radau5 as Stepper,
};

/** How {@link stepRows} advances rows. */
export interface IntegratorSettings {
  /** Requested method. */
  readonly method: MethodName;
  /** The stepper of the method (`auto` wraps dopri5 and radau5; see {@link methodStepper}). */
  readonly stepper: Stepper;
  /** Error-controlled steps (false: every step has the row's current `h`). */
  readonly adaptive: boolean;
  /** Tolerances and controller constants. */
  readonly controller: ControllerSettings;
  /** Largest step size. */
  readonly hMax: number;
  /** Dense LU factorizations for the implicit steppers (absent: flow's JavaScript ones). */
  readonly lu?: DenseLu | undefined;
}

/** What {@link methodStepper} needs besides the method. */
export interface MethodStepperSettings {
  /** `auto`: consecutive stiffness detections (`h·|λ| > 3.25`) before switching (Hairer: 15). */
  readonly stiffSwitch: number;
  /** `auto` may switch to radau5 (false: its Jacobians would not fit in memory). */
  readonly autoMaySwitch?: boolean;
  /** `dopri5`: count stiffness detections (an explicit run that stops when stiff). */
  readonly countStiffness?: boolean;
}

/** The stepper that integrates `method`. */
export function methodStepper(method: MethodName, s: MethodStepperSettings): Stepper {
  if (method === 'auto')
    return autoStepper({
      stiffSwitch: s.stiffSwitch,
      mayStiffen: s.autoMaySwitch !== false,
    }) as Stepper;
  if (method === 'dopri5' && s.countStiffness === true) return countingDopri5 as Stepper;
  return STEPPERS[method];
}

/** Step sizes never grow beyond this, so that `t + h` stays finite. */
const H_LIMIT = 1e300;

/** The complete integrator state of one row (run); plain data, so it serializes to JSON. */
export interface RowState {
  /** Current time. */
  t: number;
  /** Current state. */
  y: Float64Array;
  /** `F(y)`. */
  f: Float64Array;
  /** Step size for the next attempt. */
  h: number;
  /** PI controller memory (previous accepted error norm). */
  errPrev: number;
  /** The stepper's opaque state (see {@link Stepper.init}); immutable, replaced on acceptance. */
  state: unknown;
  /** Counters. */
  accepted: number;
  rejected: number;
  fieldEvals: number;
  jacobianEvals: number;
  /** Consecutive rejections (to detect failure). */
  rejectStreak: number;
  /**
   * Jacobian of `F` at `y` when known (not serialized: recomputed on demand). It is the field's
   * exact `jacobian` when it has one: central differences of the gradient-flow field are useless
   * at large margins, where a perturbation of `ε^{1/3}|θ|` moves the exponents of the softmax
   * weights by `ε^{1/3}‖Θ‖² ≫ 1`.
   */
  jacobian?: Float64Array | undefined;
  /**
   * The run this row integrates, passed to the field (which selects that run's data set when
   * every run has its own); not serialized (the run's index in the solve).
   */
  run?: number | undefined;
}

/** The runs of `rows` for `field.evaluate`, or undefined when no row names its run. */
export function runsOf(rows: readonly RowState[]): number[] | undefined {
  return rows.some((r) => r.run !== undefined) ? rows.map((r) => r.run ?? 0) : undefined;
}

/**
 * Jacobians `∂F/∂y` at the rows of `y` (`[rows, dim]`): the field's exact `jacobian` when it has
 * one, else central differences of `evaluate`.
 */
export function fieldJacobians(
  field: VectorField,
  y: Float64Array,
  rows: number,
  runs?: readonly number[],
): Float64Array {
  return field.jacobian
    ? field.jacobian(y, rows, runs)
    : centralDifferenceJacobian(field, y, rows, runs);
}

/**
 * Give every row without a known Jacobian the one at its current point (one batched call),
 * counted in `jacobianEvals` unless `count` is false (a resumed solve recomputing the Jacobians
 * the interrupted one held).
 */
export function ensureJacobians(field: VectorField, rows: readonly RowState[], count = true): void {
  const dim = field.dim;
  const missing = rows.filter((r) => r.jacobian === undefined);
  if (missing.length === 0) return;
  const jm = fieldJacobians(
    field,
    pack(missing, (r) => r.y, dim),
    missing.length,
    runsOf(missing),
  );
  missing.forEach((r, i) => {
    r.jacobian = jm.slice(i * dim * dim, (i + 1) * dim * dim);
    if (count) r.jacobianEvals += 1;
  });
}

/**
 * How {@link stepRows} evaluates `F` at accepted points when the step did not: `field.evaluate`
 * of the `rows` points, which are the rows `picks` of the batch (a caller may take more than `F`
 * from that evaluation).
 */
export type AcceptedEvaluation = (
  points: Float64Array,
  rows: number,
  runs: readonly number[] | undefined,
  picks: readonly number[],
  out?: Float64Array,
) => Float64Array;

/** What a caller of {@link stepRows} may add to a step. */
export interface StepHooks {
  /** Told, for each row `i` of the batch, that it got a Jacobian at its start point. */
  readonly onJacobian?: (row: number) => void;
  /**
   * Evaluates `F` at the accepted points whose step did not give it (gd, rk4), in one batched call
   * (default `field.evaluate`).
   */
  readonly evaluateAccepted?: AcceptedEvaluation;
  /** A `[rows, dim]` buffer no one reads any more, for the proposed states (`StepInput.out`). */
  readonly out?: Float64Array;
  /** Likewise, for `F` at the accepted points that the step did not give it (the field may use it). */
  readonly fOut?: Float64Array;
}

/** Outcome of one attempt for one row. */
export type AttemptOutcome = 'accepted' | 'rejected' | 'failed';

/**
 * Pack rows' vectors into one `[rows, dim]` array. Rows advanced together hold consecutive views
 * of the batch their step produced (see {@link stepRows}); when they still do, in order, that
 * batch is returned as it is (a view, read only by the callers) instead of a copy.
 */
export function pack(
  rows: readonly RowState[],
  pick: (r: RowState) => Float64Array,
  dim: number,
): Float64Array {
  const first = pick(rows[0]!);
  const n = rows.length;
  let contiguous = first.length === dim;
  for (let i = 1; i < n && contiguous; i++) {
    const v = pick(rows[i]!);
    contiguous =
      v.buffer === first.buffer &&
      v.length === dim &&
      v.byteOffset === first.byteOffset + i * dim * Float64Array.BYTES_PER_ELEMENT;
  }
  return contiguous
    ? new Float64Array(first.buffer, first.byteOffset, n * dim)
    : packCopy(rows, pick, dim);
}

/** Rows' vectors copied into a fresh `[rows, dim]` array (the caller may write it). */
function packCopy(
  rows: readonly RowState[],
  pick: (r: RowState) => Float64Array,
  dim: number,
): Float64Array {
  const out = new Float64Array(rows.length * dim);
  for (let i = 0; i < rows.length; i++) out.set(pick(rows[i]!), i * dim);
  return out;
}

/**
 * Attempt one step of `settings.stepper` for each row of `rows`, with the row's own step size
 * clipped so as not to pass the time target `targets[i]` (`Infinity` for none; a clipped step
 * lands on the target exactly). With `forced` the step is taken regardless of the error
 * estimate. Accepted rows are advanced in place (with the stepper's new state), rejected rows get
 * a smaller `h`. The stepper asks for Jacobians at the rows' points; they are computed once per
 * point, kept in `row.jacobian` and counted (see {@link StepHooks} for the rest). Returns the
 * outcome of each row.
 */
export function stepRows(
  field: VectorField,
  rows: readonly RowState[],
  settings: IntegratorSettings,
  targets: readonly number[],
  forced = false,
  hooks: StepHooks = {},
): AttemptOutcome[] {
  const { onJacobian, evaluateAccepted } = hooks;
  const dim = field.dim;
  const n = rows.length;
  if (n === 0) return [];
  const stepper = settings.stepper;
  const h = new Float64Array(n);
  const clipped: boolean[] = [];
  rows.forEach((r, i) => {
    const free = Math.min(r.h, settings.hMax);
    const lim = targets[i]! - r.t;
    // a target within a hair of the next step is hit exactly
    clipped.push(lim <= free * (1 + 1e-9));
    h[i] = clipped[i] ? lim : free;
  });
  const y = pack(rows, (r) => r.y, dim);
  const f = pack(rows, (r) => r.f, dim);
  const jacobian = (which: readonly number[]): Float64Array => {
    const asked = which.map((i) => rows[i]!);
    const fresh = which.filter((i) => rows[i]!.jacobian === undefined);
    ensureJacobians(field, asked);
    if (onJacobian) for (const i of fresh) onJacobian(i);
    return packCopy(asked, (r) => r.jacobian!, dim * dim);
  };
  const tolerance = { rtol: settings.controller.rtol, atol: settings.controller.atol };
  const runs = runsOf(rows);
  const out = stepper.step(
    field,
    {
      y,
      f,
      h,
      rows: n,
      runs,
      tolerance,
      ...(settings.lu !== undefined ? { lu: settings.lu } : {}),
      jacobian,
      steps: rows.map((r) => r.accepted),
      ...(hooks.out !== undefined && hooks.out.length === n * dim ? { out: hooks.out } : {}),
    },
    rows.map((r) => r.state),
  );
  const outcomes: AttemptOutcome[] = [];
  const needF: number[] = [];
  const yOut = out.y;
  const adaptive = settings.adaptive && stepper.errorOrder !== undefined && !forced;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    row.fieldEvals += out.perRow ? out.perRow.fieldEvals[i]! : out.fieldEvals / n;
    row.jacobianEvals += out.perRow ? out.perRow.jacobianEvals[i]! : (out.jacobianEvals ?? 0) / n;
    const off = i * dim;
    let finite = allFinite(yOut, off, off + dim);
    // an implicit stepper whose iterations did not converge reports a non-finite error estimate:
    // it has no solution to offer, even for a step taken without error control
    if (out.error && !Number.isFinite(out.error[off]!)) finite = false;
    let accept = finite;
    let hNext = row.h;
    let errPrev = row.errPrev;
    if (adaptive && out.error) {
      const en = finite
        ? errorNorm(
            out.error,
            y,
            out.y,
            off,
            dim,
            settings.controller.rtol,
            settings.controller.atol,
            settings.controller.errorScale === 'norm',
          )
        : NaN;
      const order = out.errorOrders ? out.errorOrders[i]! : stepper.errorOrder!;
      const hAcc = stepper.predictive?.(row.state);
      const d =
        hAcc === undefined
          ? piController(settings.controller, order, h[i]!, en, row.errPrev)
          : predictiveController(settings.controller, order, h[i]!, en, {
              errPrev: row.errPrev,
              // a step clipped to a target says nothing about the trend of the error
              hAcc: clipped[i] || !(hAcc > 0) ? undefined : hAcc,
              afterReject: row.rejectStreak > 0,
              newton:
                out.iterations !== undefined
                  ? { iterations: out.iterations[i]!, max: out.maxIterations ?? 0 }
                  : undefined,
            });
      accept = d.accept;
      hNext = d.h;
      errPrev = d.errPrev;
      // a step clipped to a target must not shrink the controller's step for the next one
      if (accept && clipped[i] && h[i]! < row.h) hNext = Math.max(hNext, row.h);
    }
    if (!accept) {
      row.rejected += 1;
      row.rejectStreak += 1;
      row.h = adaptive ? hNext : row.h;
      outcomes.push(!adaptive || row.rejectStreak > 60 || !(row.h > 0) ? 'failed' : 'rejected');
      continue;
    }
    row.rejectStreak = 0;
    row.accepted += 1;
    row.t = clipped[i] ? targets[i]! : row.t + h[i]!;
    // views of the step's output (never written after the step): no copy per row, and the
    // next step packs the rows that stay together without a copy either
    row.y = out.y.subarray(off, off + dim);
    row.jacobian = undefined;
    if (out.states) row.state = out.states[i];
    if (adaptive) {
      row.h = Math.min(hNext, H_LIMIT);
      // a stepper that keeps factorizations for h asks to hold h when the change would be small
      const hold = clipped[i] ? undefined : stepper.holdStep?.(row.state);
      if (hold !== undefined && row.h >= hold[0] * h[i]! && row.h <= hold[1] * h[i]!) row.h = h[i]!;
      row.errPrev = errPrev;
    }
    // a method switch: the controller starts over
    if (out.restart?.[i]) row.errPrev = 1e-4;
    if (out.f && (out.fKnown === undefined || out.fKnown[i]))
      row.f = out.f.subarray(off, off + dim);
    else needF.push(i);
    outcomes.push('accepted');
  }
  if (needF.length > 0) {
    const points = pack(
      needF.map((i) => rows[i]!),
      (r) => r.y,
      dim,
    );
    const needRuns = repeatRuns(runs, needF, 1);
    const fOut = hooks.fOut;
    const fy = evaluateAccepted
      ? evaluateAccepted(points, needF.length, needRuns, needF, fOut)
      : field.evaluate(points, needF.length, needRuns, fOut);
    needF.forEach((i, j) => {
      const row = rows[i]!;
      row.f = fy.subarray(j * dim, (j + 1) * dim);
      row.fieldEvals += 1;
    });
  }
  return outcomes;
}

/** A fresh row at `(t, y)` with `F(y)` already known, starting `stepper`. */
export function newRow(
  t: number,
  y: Float64Array,
  f: Float64Array,
  h: number,
  stepper: Stepper,
): RowState {
  return {
    t,
    y,
    f,
    h,
    errPrev: 1e-4,
    state: stepper.init(),
    accepted: 0,
    rejected: 0,
    fieldEvals: 0,
    jacobianEvals: 0,
    rejectStreak: 0,
  };
}

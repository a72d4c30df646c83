import { errorNorm, piController, type ControllerSettings } from './controller.js';
import { dopri5, gd, rk4 } from './explicit-steppers.js';
import { centralDifferenceJacobian } from './jacobian.js';
import { radau5 } from './radau5.js';
import { rodas4 } from './rodas4.js';
import type { Stepper, StepperName } from './stepper.js';
import { repeatRuns, type VectorField } from './vector-field.js';

/** Integration methods: the steppers plus `auto` (dopri5 that switches to radau5 when stiff). */
export type MethodName = StepperName | 'auto';

/** The built-in steppers by name. */
export const STEPPERS: Readonly<Record<StepperName, Stepper>> = { gd, rk4, dopri5, rodas4, radau5 };

/** How {@link stepRows} advances rows. */
export interface IntegratorSettings {
  /** Requested method. */
  readonly method: MethodName;
  /** Error-controlled steps (false: every step has the row's current `h`). */
  readonly adaptive: boolean;
  /** Tolerances and controller constants. */
  readonly controller: ControllerSettings;
  /** Largest step size. */
  readonly hMax: number;
  /** `auto`: the stepper it switches to when stiffness is detected. */
  readonly stiffStepper: StepperName;
  /** `auto` may switch to the stiff stepper (false: its Jacobians would not fit in memory). */
  readonly autoMaySwitch?: boolean;
  /** `auto`: consecutive stiffness detections (`h·|λ| > 3.25`) before switching (Hairer: 15). */
  readonly stiffSwitch: number;
  /**
   * Count dopri5's stiffness detections in `stiffHits` for a method other than `auto` too (an
   * explicit dopri5 run that stops when stiff), testing as Hairer's DOPRI5 does: every 1000th
   * accepted step, then every step while detections continue. Only `auto` switches steppers.
   */
  readonly countStiffness?: boolean;
}

/** An explicit dopri5 run tests stiffness every NSTIFF-th accepted step (Hairer's default). */
const NSTIFF = 1000;

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
  /** Current stepper (changes from dopri5 to the stiff stepper under `auto`). */
  stepper: StepperName;
  /** `auto`: current run of consecutive stiffness detections. */
  stiffHits: number;
  /** `auto`: consecutive non-stiff accepted steps since the last detection. */
  nonStiffHits: number;
  /** Counters. */
  accepted: number;
  rejected: number;
  fieldEvals: number;
  jacobianEvals: number;
  /** Consecutive rejections (to detect failure). */
  rejectStreak: number;
  /** radau5: divided differences of the last accepted step's collocation polynomial, and its step. */
  cont?: Float64Array | undefined;
  hOld?: number | undefined;
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

/** Outcome of one attempt for one row. */
export type AttemptOutcome = 'accepted' | 'rejected' | 'failed';

/** Pack rows' vectors into one `[rows, dim]` array. */
function pack(
  rows: readonly RowState[],
  pick: (r: RowState) => Float64Array,
  dim: number,
): Float64Array {
  const out = new Float64Array(rows.length * dim);
  rows.forEach((r, i) => out.set(pick(r), i * dim));
  return out;
}

/**
 * Attempt one step for each row of `rows` (all with the same stepper), with the row's own step
 * size clipped so as not to pass the time target `targets[i]` (`Infinity` for none; a clipped step
 * lands on the target exactly). With `forced`
 * the step is taken regardless of the error estimate. Accepted rows are advanced in place,
 * rejected rows get a smaller `h`. Returns the outcome of each row.
 */
export function stepRows(
  field: VectorField,
  rows: readonly RowState[],
  settings: IntegratorSettings,
  targets: readonly number[],
  forced = false,
): AttemptOutcome[] {
  const dim = field.dim;
  const n = rows.length;
  if (n === 0) return [];
  const stepper = STEPPERS[rows[0]!.stepper];
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
  let jacobian: Float64Array | undefined;
  if (stepper.needsJacobian) {
    ensureJacobians(field, rows);
    jacobian = pack(rows, (r) => r.jacobian!, dim * dim);
  }
  let previous: { cont: Float64Array; h: Float64Array } | undefined;
  if (stepper.name === 'radau5') {
    const cont = new Float64Array(n * 3 * dim);
    const hOld = new Float64Array(n);
    rows.forEach((r, i) => {
      if (r.cont !== undefined && r.hOld !== undefined) {
        cont.set(r.cont, i * 3 * dim);
        hOld[i] = r.hOld;
      }
    });
    previous = { cont, h: hOld };
  }
  const tolerance = { rtol: settings.controller.rtol, atol: settings.controller.atol };
  const runs = runsOf(rows);
  const out = stepper.step(field, {
    y,
    f,
    h,
    rows: n,
    runs,
    tolerance,
    ...(jacobian ? { jacobian } : {}),
    ...(previous ? { previous } : {}),
  });
  const perRowEvals = out.fieldEvals / n;
  const perRowJacobians = (out.jacobianEvals ?? 0) / n;
  const outcomes: AttemptOutcome[] = [];
  const needF: number[] = [];
  const adaptive = settings.adaptive && stepper.errorOrder !== undefined && !forced;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    row.fieldEvals += perRowEvals;
    row.jacobianEvals += perRowJacobians;
    const off = i * dim;
    let finite = true;
    for (let k = off; k < off + dim; k++) if (!Number.isFinite(out.y[k]!)) finite = false;
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
      const d = piController(settings.controller, stepper.errorOrder!, h[i]!, en, row.errPrev);
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
    row.y = out.y.slice(off, off + dim);
    row.jacobian = undefined;
    if (out.cont) {
      row.cont = out.cont.slice(i * 3 * dim, (i + 1) * 3 * dim);
      row.hOld = h[i]!;
    }
    if (adaptive) {
      row.h = Math.min(hNext, H_LIMIT);
      row.errPrev = errPrev;
    }
    if (out.f) row.f = out.f.slice(off, off + dim);
    else needF.push(i);
    const auto = settings.method === 'auto';
    // Hairer's DOPRI5 tests an explicit run every NSTIFF-th accepted step, and on every step
    // once a detection is pending; auto tests every step (it only switches steppers)
    const tested = auto || row.accepted % NSTIFF === 0 || row.stiffHits > 0;
    if ((auto || settings.countStiffness) && tested && row.stepper === 'dopri5' && out.stiffness) {
      if (out.stiffness[i]! > 3.25) {
        row.nonStiffHits = 0;
        row.stiffHits += 1;
        if (auto && settings.autoMaySwitch !== false && row.stiffHits >= settings.stiffSwitch) {
          row.stepper = settings.stiffStepper;
          row.errPrev = 1e-4;
        }
      } else {
        row.nonStiffHits += 1;
        if (row.nonStiffHits >= 6) row.stiffHits = 0;
      }
    }
    outcomes.push('accepted');
  }
  if (needF.length > 0) {
    const fy = field.evaluate(
      pack(
        needF.map((i) => rows[i]!),
        (r) => r.y,
        dim,
      ),
      needF.length,
      repeatRuns(runs, needF, 1),
    );
    needF.forEach((i, j) => {
      const row = rows[i]!;
      row.f = fy.slice(j * dim, (j + 1) * dim);
      row.fieldEvals += 1;
    });
  }
  return outcomes;
}

/**
 * Hairer's starting step size for a row of order-`p` method: `h0 = 0.01‖y‖/‖F(y)‖`, refined with
 * one extra evaluation so that `h^p · max(‖F‖, ‖F'‖) ≈ 0.01` (norms scaled by the tolerances).
 */
export function initialStepSizes(
  field: VectorField,
  rows: readonly RowState[],
  order: number,
  c: ControllerSettings,
  hMax: number,
): void {
  const dim = field.dim;
  const n = rows.length;
  if (n === 0) return;
  const h0 = new Float64Array(n);
  const d1s = new Float64Array(n);
  const y1 = new Float64Array(n * dim);
  rows.forEach((r, i) => {
    let d0 = 0;
    let d1 = 0;
    for (let k = 0; k < dim; k++) {
      const sc = c.atol + c.rtol * Math.abs(r.y[k]!);
      d0 += (r.y[k]! / sc) ** 2;
      d1 += (r.f[k]! / sc) ** 2;
    }
    d0 = Math.sqrt(d0 / dim);
    d1 = Math.sqrt(d1 / dim);
    const h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h0[i] = Math.min(h, hMax);
    d1s[i] = d1;
    for (let k = 0; k < dim; k++) y1[i * dim + k] = r.y[k]! + h0[i]! * r.f[k]!;
  });
  const f1 = field.evaluate(y1, n, runsOf(rows));
  rows.forEach((r, i) => {
    r.fieldEvals += 1;
    let d2 = 0;
    for (let k = 0; k < dim; k++) {
      const sc = c.atol + c.rtol * Math.abs(r.y[k]!);
      d2 += ((f1[i * dim + k]! - r.f[k]!) / sc) ** 2;
    }
    d2 = Math.sqrt(d2 / dim) / h0[i]!;
    const m = Math.max(d1s[i]!, d2);
    const h1 = m <= 1e-15 ? Math.max(1e-6, h0[i]! * 1e-3) : Math.pow(0.01 / m, 1 / order);
    r.h = Math.min(100 * h0[i]!, h1, hMax);
  });
}

/** A fresh row at `(t, y)` with `F(y)` already known. */
export function newRow(
  t: number,
  y: Float64Array,
  f: Float64Array,
  h: number,
  stepper: StepperName,
): RowState {
  return {
    t,
    y,
    f,
    h,
    errPrev: 1e-4,
    stepper,
    stiffHits: 0,
    nonStiffHits: 0,
    accepted: 0,
    rejected: 0,
    fieldEvals: 0,
    jacobianEvals: 0,
    rejectStreak: 0,
  };
}

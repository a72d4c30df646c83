import type { StopConditions } from './flow-types.js';
import type { RowState } from './integrator.js';
import {
  eventValue,
  illinoisStep,
  vecNorm,
  type LocateState,
  type RunObservation,
  type RunRecord,
} from './run-record.js';
import {
  maxStepsMessage,
  missedTargets,
  noExactFitMessage,
  nonFiniteMessage,
  stationaryMessage,
  stiffMessage,
  type MessageContext,
} from './stop-messages.js';

/** The time variable never goes beyond this (steps are clipped to land on it): status `max-time`. */
export const TIME_LIMIT = 1e300;

/** What the regression stall test knows about the data. */
export interface RegressionData {
  /** `½‖(I − P)y‖²`, the least-squares minimum over linear predictors (computed on first use). */
  readonly leastSquares: () => number;
  /** `½‖y‖²`. */
  readonly halfY2: number;
  /** X is all zeros (computed on first use). */
  readonly zeroX: () => boolean;
}

/** What the stop checks need to know about the solve. */
export interface StopContext extends MessageContext {
  readonly classification: boolean;
  readonly locateEvents: boolean;
  readonly locateTol: number;
  readonly stallTol: number;
  /** An explicit dopri5 run ends with status `stiff` after `stiffSwitch` stiffness detections. */
  readonly stiffStop: boolean;
  readonly stiffSwitch: number;
  /** dopri5's consecutive stiffness detections at a row (from its stepper state). */
  readonly stiffHits: (row: RowState) => number;
  /** The data of a run, for regression runs (undefined for classification). */
  readonly regression: ((run: number) => RegressionData) | undefined;
}

const EVENTS = ['margin', 'loss', 'logLoss'] as const;
const TARGETS = ['loss', 'logLoss', 'gradNorm', 'margin', 'normalizedMargin'] as const;

/** True when `until` holds a target (not only horizons `time`, `steps` and `wallMs`). */
export function hasTarget(until: StopConditions): boolean {
  return TARGETS.some((k) => until[k] !== undefined);
}

/**
 * `vecNorm(v) === 0`, stopping at the first entry whose square is not 0 (the norm is 0 exactly
 * when every square is: an underflowing square counts as 0 there too, a NaN one does not).
 */
function isZero(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i]! * v[i]! !== 0) return false;
  return true;
}

function converge(rec: RunRecord, reason: RunRecord['stoppedBy']): void {
  rec.status = 'converged';
  rec.stoppedBy = reason;
}

function fail(
  rec: RunRecord,
  status: RunRecord['status'],
  reason: RunRecord['stoppedBy'],
  message: string,
): void {
  rec.status = status;
  rec.stoppedBy = reason;
  rec.message = message;
}

/** Stop a run at the safety cap `options.maxSteps` (status `max-steps`). */
export function capStop(rec: RunRecord, ctx: StopContext): void {
  const gradNorm = vecNorm(rec.row.f);
  const missed = missedTargets(rec, ctx.until, gradNorm, normalizedMargin(rec, ctx));
  fail(rec, 'max-steps', 'maxSteps', maxStepsMessage(rec, ctx, missed));
}

function normalizedMargin(rec: RunRecord, ctx: StopContext): number {
  return rec.obs.margin / Math.pow(vecNorm(rec.row.y), ctx.depth);
}

/**
 * A horizon was reached: `converged` for a fixed-horizon run (no target given), else the target
 * was missed (`max-time` or `max-steps`).
 */
function horizon(rec: RunRecord, reason: 'time' | 'steps', ctx: StopContext, g: number): void {
  if (!hasTarget(ctx.until)) return converge(rec, reason);
  const missed = missedTargets(rec, ctx.until, g, normalizedMargin(rec, ctx));
  const t = rec.row.t;
  if (reason === 'time') {
    return fail(
      rec,
      'max-time',
      'time',
      `reached the horizon until.time = ${ctx.until.time} (step ${rec.row.accepted}) before ${missed}: raise until.time`,
    );
  }
  fail(
    rec,
    'max-steps',
    'steps',
    `ran until.steps = ${ctx.until.steps} accepted steps (t = ${t}) before ${missed}: raise ` +
      `until.steps (flow.until.steps in a run config; the safety cap is options.maxSteps, ` +
      `flow.maxSteps in a run config)`,
  );
}

/**
 * Apply the stop conditions to a run at its current (just accepted) point. `step` gives the point
 * before the step, so that a crossed margin/loss/log-loss target can be located by re-stepping;
 * without it (the initial point) targets are simply checked. Targets come first, then horizons,
 * stalls, stiffness and the step cap.
 */
export function checkStops(
  rec: RunRecord,
  step: { readonly before: RowState; readonly prevObs: RunObservation } | undefined,
  ctx: StopContext,
): void {
  const { until } = ctx;
  const row = rec.row;
  const gradNorm = vecNorm(row.f);
  const targets = hasTarget(until);
  // Θ = 0 is a stationary point for depth ≥ 2 (the loss-normalized field is 0·∞ there)
  const origin = ctx.depth >= 2 && isZero(row.y);
  // 𝓛 = e^{log 𝓛} may overflow while log 𝓛 is exact: only a non-finite log-loss (+∞ or NaN;
  // −∞ is an exact fit), gradient or state ends a run
  const ll = rec.obs.logLoss;
  if (!origin && (Number.isNaN(ll) || ll === Infinity || !Number.isFinite(gradNorm))) {
    return fail(rec, 'non-finite', 'non-finite', nonFiniteMessage(rec, ctx, gradNorm));
  }
  if (!origin) rec.gMax = Math.max(rec.gMax, gradNorm);
  for (const reason of EVENTS) {
    const target = until[reason];
    if (target === undefined) continue;
    const g = eventValue(reason, target, rec.obs);
    // at a point not reached by a step (the start, or a resumed run whose crossing was located
    // to within locateTol on either side) a target within locateTol counts as reached
    if (!(g >= (step === undefined && ctx.locateEvents ? -ctx.locateTol : 0))) continue;
    const g0 = step === undefined ? NaN : eventValue(reason, target, step.prevObs);
    if (ctx.locateEvents && step !== undefined && g0 < 0 && g > ctx.locateTol) {
      rec.locate = {
        reason,
        target,
        base: step.before,
        hLo: 0,
        gLo: g0,
        hHi: row.t - step.before.t,
        gHi: g,
        side: 0,
        iterations: 0,
        after: { h: row.h, errPrev: row.errPrev },
      };
      return;
    }
    return converge(rec, reason);
  }
  if (until.gradNorm !== undefined && gradNorm <= until.gradNorm) return converge(rec, 'gradNorm');
  if (until.normalizedMargin !== undefined && !origin) {
    if (normalizedMargin(rec, ctx) >= until.normalizedMargin)
      return converge(rec, 'normalizedMargin');
  }
  if (
    until.time !== undefined &&
    (ctx.adaptive ? row.t >= until.time : row.t > until.time - 0.5 * row.h)
  ) {
    return horizon(rec, 'time', ctx, gradNorm);
  }
  if (until.steps !== undefined && row.accepted >= until.steps)
    return horizon(rec, 'steps', ctx, gradNorm);
  if ((targets && gradNorm === 0) || origin) {
    return fail(
      rec,
      'stalled',
      'stationary',
      stationaryMessage(rec, ctx, ctx.regression?.(rec.index).zeroX() === true),
    );
  }
  if (
    ctx.classification &&
    rec.obs.margin <= 0 &&
    row.accepted > 10 &&
    gradNorm <= ctx.stallTol * rec.gMax
  ) {
    return fail(
      rec,
      'stalled',
      'stalled',
      `the loss stopped decreasing at t = ${row.t} (log-loss ${rec.obs.logLoss}, gradient norm ` +
        `${gradNorm.toExponential(2)}, ${(rec.gMax / Math.max(gradNorm, 1e-300)).toExponential(1)}× below its maximum) ` +
        `with margin ${rec.obs.margin} ≤ 0: the data look non-separable for this network, so the loss has a finite minimizer`,
    );
  }
  const reg = ctx.regression?.(rec.index);
  if (
    reg !== undefined &&
    targets &&
    step !== undefined &&
    row.accepted > 10 &&
    gradNorm <= ctx.stallTol * rec.gMax
  ) {
    // the flow has stopped moving; it has stalled when the loss is at the least-squares floor of
    // the data (no linear predictor does better), not at a saddle it may still leave
    const ls = reg.leastSquares();
    const floor = 1e-28 * reg.halfY2;
    if (rec.obs.loss <= ls * (1 + 1e-6) + floor) {
      const missed = missedTargets(rec, until, gradNorm, normalizedMargin(rec, ctx));
      return fail(
        rec,
        'stalled',
        'stalled',
        noExactFitMessage(rec, ls, reg.halfY2, ls <= floor, missed),
      );
    }
  }
  const stiffHits = ctx.stiffStop ? ctx.stiffHits(row) : 0;
  if (ctx.stiffStop && stiffHits >= ctx.stiffSwitch) {
    return fail(rec, 'stiff', 'stiff', stiffMessage(rec, stiffHits));
  }
  if (row.t >= TIME_LIMIT) {
    const missed = missedTargets(rec, until, gradNorm, normalizedMargin(rec, ctx));
    return fail(
      rec,
      'max-time',
      'time',
      `the time variable reached ${TIME_LIMIT} (step ${row.accepted})${missed ? ` before ${missed}` : ''}: ` +
        (ctx.time === 'physical'
          ? `in physical time classification margins grow like log t; use time: 'loss-normalized'`
          : 'the flow has (nearly) stopped moving'),
    );
  }
  if (row.accepted + row.rejected >= ctx.maxSteps) capStop(rec, ctx);
}

/**
 * One Illinois regula-falsi update of an event search after a trial step from `locate.base`:
 * finish when the event value is within `locateTol` (or the bracket cannot shrink), else keep the
 * bracket and return the row to the base point.
 */
export function advanceLocate(rec: RunRecord, ctx: StopContext): void {
  const l: LocateState = rec.locate!;
  const target = ctx.until[l.reason]!;
  const g = eventValue(l.reason as 'margin' | 'loss' | 'logLoss', target, rec.obs);
  if (illinoisStep(rec, g, ctx.locateTol)) {
    rec.status = 'converged';
    rec.stoppedBy = l.reason;
  }
}

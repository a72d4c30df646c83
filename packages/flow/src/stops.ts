import type { StopConditions } from './flow-types.js';
import type { RowState } from './integrator.js';
import {
  eventValue,
  restoreRow,
  vecNorm,
  type LocateState,
  type RunObservation,
  type RunRecord,
} from './run-record.js';

/** What the stop checks need to know about the solve. */
export interface StopContext {
  readonly until: StopConditions;
  readonly adaptive: boolean;
  readonly maxSteps: number;
  readonly classification: boolean;
  readonly locateEvents: boolean;
  readonly locateTol: number;
  readonly stallTol: number;
  readonly depth: number;
}

const EVENTS = ['margin', 'loss', 'logLoss'] as const;

function converge(rec: RunRecord, reason: RunRecord['stoppedBy']): void {
  rec.status = 'converged';
  rec.stoppedBy = reason;
}

/**
 * Apply the stop conditions to a run at its current (just accepted) point. `step` gives the point
 * before the step, so that a crossed margin/loss/log-loss target can be located by re-stepping;
 * without it (the initial point) targets are simply checked.
 */
export function checkStops(
  rec: RunRecord,
  step: { readonly before: RowState; readonly prevObs: RunObservation } | undefined,
  ctx: StopContext,
): void {
  const { until } = ctx;
  const row = rec.row;
  const gradNorm = vecNorm(row.f);
  if (!Number.isFinite(rec.obs.loss) || !Number.isFinite(gradNorm)) {
    rec.status = 'non-finite';
    rec.stoppedBy = 'non-finite';
    rec.message = `the loss or its gradient became non-finite at t = ${row.t} (step ${row.accepted}); lower options.stepSize or use an adaptive method`;
    return;
  }
  rec.gMax = Math.max(rec.gMax, gradNorm);
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
    converge(rec, reason);
    return;
  }
  if (
    until.time !== undefined &&
    (ctx.adaptive ? row.t >= until.time : row.t > until.time - 0.5 * row.h)
  ) {
    return converge(rec, 'time');
  }
  if (until.gradNorm !== undefined && gradNorm <= until.gradNorm) return converge(rec, 'gradNorm');
  if (until.normalizedMargin !== undefined) {
    const nm = rec.obs.margin / Math.pow(vecNorm(row.y), ctx.depth);
    if (nm >= until.normalizedMargin) return converge(rec, 'normalizedMargin');
  }
  if (until.steps !== undefined && row.accepted >= until.steps) return converge(rec, 'steps');
  if (
    ctx.classification &&
    rec.obs.margin <= 0 &&
    row.accepted > 10 &&
    gradNorm <= ctx.stallTol * rec.gMax
  ) {
    rec.status = 'stalled';
    rec.stoppedBy = 'stalled';
    rec.message =
      `the loss stopped decreasing at t = ${row.t} (log-loss ${rec.obs.logLoss}, gradient norm ` +
      `${gradNorm.toExponential(2)}, ${(rec.gMax / Math.max(gradNorm, 1e-300)).toExponential(1)}× below its maximum) ` +
      `with margin ${rec.obs.margin} ≤ 0: the data look non-separable for this network, so the loss has a finite minimizer`;
    return;
  }
  if (row.accepted + row.rejected >= ctx.maxSteps) {
    rec.status = 'max-steps';
    rec.stoppedBy = 'maxSteps';
    rec.message = `reached options.maxSteps = ${ctx.maxSteps} at t = ${row.t}`;
  }
}

/**
 * One Illinois regula-falsi update of an event search after a trial step from `locate.base`:
 * finish when the event value is within `locateTol` (or the bracket cannot shrink), else keep the
 * bracket and return the row to the base point.
 */
export function advanceLocate(rec: RunRecord, ctx: StopContext): void {
  const l: LocateState = rec.locate!;
  const target = ctx.until[l.reason]!;
  const g = eventValue(l.reason, target, rec.obs);
  const h = rec.row.t - l.base.t;
  l.iterations += 1;
  const tiny = l.hHi - l.hLo <= 4e-16 * Math.max(Math.abs(rec.row.t), l.hHi);
  if (Number.isFinite(g) && (Math.abs(g) <= ctx.locateTol || l.iterations >= 60 || tiny)) {
    rec.locate = undefined;
    rec.row.h = l.after.h;
    rec.row.errPrev = l.after.errPrev;
    rec.status = 'converged';
    rec.stoppedBy = l.reason;
    return;
  }
  if (!(g >= 0)) {
    l.hLo = h;
    l.gLo = Number.isFinite(g) ? g : l.gLo;
    if (l.side === -1) l.gHi /= 2;
    l.side = -1;
  } else {
    l.hHi = h;
    l.gHi = g;
    if (l.side === 1) l.gLo /= 2;
    l.side = 1;
  }
  restoreRow(rec.row, l.base);
}

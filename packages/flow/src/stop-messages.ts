import type { StopConditions } from './flow-types.js';
import type { LossName } from './losses.js';
import type { TimeScale } from './network-field.js';
import type { RunRecord } from './run-record.js';
import type { Stepper } from './stepper.js';

/** What the messages of failure statuses need to know about the solve. */
export interface MessageContext {
  readonly until: StopConditions;
  readonly loss: LossName;
  readonly time: TimeScale;
  readonly adaptive: boolean;
  readonly maxSteps: number;
  readonly depth: number;
}

const fmt = (v: number): string =>
  Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);

/** Where a run is: `at the initialization` or `at t = … (step k)`. */
export function whereText(rec: RunRecord): string {
  const r = rec.row;
  return r.accepted === 0 && r.t === 0
    ? 'at the initialization'
    : `at t = ${fmt(r.t)} (step ${r.accepted})`;
}

/** The targets of `until` with the run's current values: "until.loss = 1e-20 (now 0.5)". */
export function missedTargets(
  rec: RunRecord,
  until: StopConditions,
  gradNorm: number,
  normalizedMargin: number,
): string {
  const o = rec.obs;
  const parts: string[] = [];
  const add = (name: string, target: number | undefined, now: number): void => {
    if (target !== undefined) parts.push(`until.${name} = ${fmt(target)} (now ${fmt(now)})`);
  };
  add('loss', until.loss, o.loss);
  add('logLoss', until.logLoss, o.logLoss);
  add('gradNorm', until.gradNorm, gradNorm);
  add('margin', until.margin, o.margin);
  add('normalizedMargin', until.normalizedMargin, normalizedMargin);
  return parts.join(' or ');
}

/** The message of the safety cap `options.maxSteps`. */
export function maxStepsMessage(rec: RunRecord, ctx: MessageContext, missed: string): string {
  return (
    `reached the cap of ${ctx.maxSteps} attempted steps (options.maxSteps; flow.maxSteps in a ` +
    `run config) at t = ${fmt(rec.row.t)}${missed ? ` before ${missed}` : ''}: raise the cap` +
    (ctx.adaptive ? ', or use method: "auto" if the problem is stiff' : ' or the step size')
  );
}

/**
 * Why a run became non-finite, saying what overflowed and what to do. `logLoss` may be finite
 * while `𝓛 = e^{log 𝓛}` overflows: only a non-finite log-loss, gradient or state ends a run.
 */
export function nonFiniteMessage(rec: RunRecord, ctx: MessageContext, gradNorm: number): string {
  const where = whereText(rec);
  const ll = rec.obs.logLoss;
  const stateFinite = rec.row.y.every(Number.isFinite);
  const lossOverflow = ll === Infinity || (Number.isFinite(ll) && ll > Math.log(Number.MAX_VALUE));
  const what = !stateFinite
    ? 'the parameters are non-finite'
    : lossOverflow
      ? `the ${ctx.loss} loss overflows: log 𝓛 = ${fmt(ll)} > log(Number.MAX_VALUE) ≈ 709.8`
      : Number.isFinite(gradNorm)
        ? `log 𝓛 is ${fmt(ll)}`
        : `the gradient overflows although log 𝓛 = ${fmt(ll)} is finite`;
  const scaleDown = 'scale the data or the initialization down';
  if (where === 'at the initialization' && stateFinite) {
    if (ctx.loss === 'squared') {
      return `the run is non-finite at the initialization (${what}; residuals beyond ~1e154): ${scaleDown}, or the targets y`;
    }
    const fix =
      ctx.time === 'physical'
        ? `use time: 'loss-normalized' (it works with log 𝓛 and normalized weights), or ${scaleDown}`
        : scaleDown;
    return (
      `the run is non-finite at the initialization (${what}): with margins about ` +
      `${fmt(rec.obs.margin)}, 𝓛 and its gradient are beyond float64: ${fix}`
    );
  }
  return ctx.adaptive
    ? `the run became non-finite ${where} (${what}): tighten options.rtol or ${scaleDown}`
    : `the run became non-finite ${where} (${what}): the fixed step options.stepSize = ${fmt(rec.row.h)} is beyond the stability limit; lower it or use an adaptive method`;
}

/** The message of a regression run stalled at the least-squares minimum of the data. */
export function noExactFitMessage(
  rec: RunRecord,
  leastSquares: number,
  halfY2: number,
  roundingFloor: boolean,
  missed: string,
): string {
  const loss = fmt(rec.obs.loss);
  if (roundingFloor) {
    return (
      `the loss stopped decreasing at 𝓛 = ${loss} ${whereText(rec)}, the float64 rounding level of ` +
      `data with ½‖y‖² = ${fmt(halfY2)}: the data are fit to machine precision and ${missed} is ` +
      `below what float64 resolves`
    );
  }
  return (
    `the data have no exact fit for this network: the loss stalls at 𝓛 = ${loss} ${whereText(rec)}, ` +
    `the least-squares residual ½‖(I − P)y‖² = ${fmt(leastSquares)} of the normal equations ` +
    `(P projects onto the column space of X: y is not a linear function of the rows of X, for ` +
    `example duplicate rows with different targets), so ${missed} cannot be reached`
  );
}

/** The message of a run whose gradient is exactly zero (a stationary point). */
export function stationaryMessage(rec: RunRecord, ctx: MessageContext, zeroX: boolean): string {
  const at = whereText(rec);
  const subject =
    at === 'at the initialization'
      ? 'the gradient is zero at the initialization'
      : `the gradient is zero ${at}`;
  if (zeroX) {
    return (
      `${subject}: X is all zeros, so every linear predictor outputs 0 and the loss stays at ` +
      `𝓛 = ${fmt(rec.obs.loss)} = ½‖y‖², the least-squares residual (the data have no exact fit): ` +
      `give data with a nonzero entry`
    );
  }
  return (
    `${subject} (𝓛 = ${fmt(rec.obs.loss)}): the parameters are a stationary point of the loss ` +
    (ctx.depth >= 2
      ? `(for depth ≥ 2, Θ = 0 and initializations with two zero layers are saddles the flow never leaves): initialize with a nonzero scale`
      : `, so the flow never moves from it`)
  );
}

/** The message of an explicit dopri5 run bound by stability. */
export function stiffMessage(rec: RunRecord, hits: number): string {
  return (
    `dopri5 is limited by stability, not accuracy ${whereText(rec)}: its stiffness test ` +
    `h·ρ > 3.25 (ρ ≈ ‖k₇ − k₆‖/‖y₇ − y₆‖) held on ${hits} consecutive accepted steps, so an ` +
    `explicit method crawls (step size ${fmt(rec.row.h)}). Use method: 'auto' (switches to radau5 ` +
    `when stiff) or 'radau5'; set options.stiffness (flow.stiffness in a run config) to 'ignore' to keep integrating with dopri5`
  );
}

/** Why a step of a run failed: an event search's trial step, a collapsed or an unstable step. */
export function stepFailureMessage(rec: RunRecord, adaptive: boolean, stepper: Stepper): string {
  const row = rec.row;
  return rec.locate
    ? `a trial step of the ${rec.locate.reason} event search from t = ${rec.locate.base.t} failed (non-finite, or the implicit iterations did not converge); set options.locateEvents to false or tighten options.rtol`
    : adaptive
      ? `the step size collapsed at t = ${row.t} (step ${row.accepted}): the solution became non-finite or the ${stepper.describe(row.state).stepper} step was rejected ${row.rejectStreak} times in a row; tighten options.rtol or use method: 'auto'`
      : `the solution became non-finite at t = ${row.t} (step ${row.accepted}): the fixed step options.stepSize = ${row.h} is beyond the stability limit; lower it or use an adaptive method`;
}

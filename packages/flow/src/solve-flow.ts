import { ImplicitBiasError } from '@implicit-bias/core';
import type { FlowCheckpoint } from './checkpoint.js';
import { validateCheckpoint } from './checkpoint-validate.js';
import { DEFAULT_CONTROLLER } from './controller.js';
import { defaultTolerances, defaultWarn, FLOW_DEFAULTS, rtolWarning } from './defaults.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import {
  ensureJacobians,
  STEPPERS,
  stepRows,
  type IntegratorSettings,
  type RowState,
} from './integrator.js';
import { isClassificationLoss } from './losses.js';
import { networkField, type DataSet } from './network-field.js';
import type { Arr } from '@implicit-bias/backend';
import { freshRecords, resumedRecords } from './records.js';
import { buildSolution, throwFailure } from './solution.js';
import {
  restoreRow,
  snapshotOf,
  updateDrift,
  type RunObservation,
  type RunRecord,
} from './run-record.js';
import { maybeSave, nextSaveTime } from './saving.js';
import type { StepperName } from './stepper.js';
import { leastSquaresMinimum } from './least-squares.js';
import {
  advanceLocate,
  capStop,
  checkStops,
  TIME_LIMIT,
  type RegressionData,
  type StopContext,
} from './stops.js';
import { checkStiffMemory } from './stiff-memory.js';
import {
  advanceMonitorLocate,
  checkCrossings,
  initialSides,
  monitorsOf,
  type CrossingContext,
} from './crossings.js';
import { checkOptions, checkProblem } from './validate.js';

/**
 * Train every run of `problem` by gradient flow (docs/theory/tensor-formulation.md) until a stop condition holds.
 *
 * Runs advance together (one batched backend evaluation per stage), each with its own step size,
 * controller and stop conditions; finished runs drop out of the batch. Numerical failures are
 * reported as statuses (`non-finite`, `stalled`, `stiff`, `max-steps`, `max-time`, `time-limit`;
 * see `FlowStatus`) unless `throwOnFailure` is set: a run is `converged` only when its own
 * stop rule held. Bad input throws `ImplicitBiasError` naming the field.
 */
export async function solveFlow(problem: FlowProblem, options: FlowOptions): Promise<FlowSolution> {
  return Promise.resolve(run(problem, options, undefined));
}

/**
 * Continue a solve from `solution.checkpoint()` with (possibly new) options. With the same method
 * and options the trajectory is the one an uninterrupted solve would follow (bit for bit on a
 * deterministic backend). Runs stopped by a condition are re-checked against the new `until`.
 */
export async function resumeFlow(
  problem: FlowProblem,
  checkpoint: FlowCheckpoint,
  options: FlowOptions,
): Promise<FlowSolution> {
  return Promise.resolve(run(problem, options, checkpoint));
}

const ORDER: readonly StepperName[] = ['gd', 'rk4', 'dopri5', 'rodas4', 'radau5'];

function run(
  problem: FlowProblem,
  options: FlowOptions,
  checkpoint: FlowCheckpoint | undefined,
): FlowSolution {
  const p = checkProblem(problem);
  checkOptions(options, problem.loss);
  const clock = options.clock ?? Date.now;
  const start = clock();
  const net = problem.network;
  const be = problem.backend;
  const method = options.method ?? FLOW_DEFAULTS.method;
  const time = options.time ?? FLOW_DEFAULTS.time;
  const tols = defaultTolerances(be.precision);
  const rtol = options.rtol ?? tols.rtol;
  const warn = options.onWarning ?? defaultWarn;
  const rtolText = adaptiveMethod(method) ? rtolWarning(rtol, be.id, be.precision) : undefined;
  if (rtolText !== undefined) warn(rtolText);
  const adaptive = adaptiveMethod(method);
  if (checkpoint !== undefined) {
    validateCheckpoint(checkpoint, p.dim, p.init.length);
    if (checkpoint.time !== time) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the checkpoint was taken with time '${checkpoint.time}'`,
        {
          path: 'options.time',
        },
      );
    }
  }
  // before anything is allocated: stiff Jacobians that cannot fit refuse the solve
  const memory = checkStiffMemory(
    method,
    checkpoint !== undefined && checkpoint.method === method
      ? checkpoint.runs.map((r) => r.stepper)
      : [],
    p.dim,
    p.init.length,
    options.memoryBudget,
  );
  const controller = {
    ...DEFAULT_CONTROLLER,
    rtol,
    atol: options.atol ?? tols.atol,
    errorScale:
      options.errorScale ??
      (time === 'loss-normalized' ? ('norm' as const) : ('componentwise' as const)),
  };
  const settings: IntegratorSettings = {
    method,
    adaptive,
    controller,
    hMax: options.maxStepSize ?? Infinity,
    stiffSwitch: options.stiffSwitch ?? FLOW_DEFAULTS.stiffSwitch,
    stiffStepper: 'radau5',
    autoMaySwitch: memory.autoMaySwitch,
    countStiffness:
      method === 'dopri5' && (options.stiffness ?? FLOW_DEFAULTS.stiffness) === 'stop',
  };
  const until = options.until;
  const saveTimes = options.save?.times;
  const saveCount = options.save?.count ?? FLOW_DEFAULTS.saveCount;
  const maxSteps = options.maxSteps ?? FLOW_DEFAULTS.maxSteps;
  // each data set once on the backend (one shared, or one per run)
  const sets: DataSet[] = [];
  const uploaded: Arr[] = [];
  try {
    for (const d of p.data) {
      const X = be.fromHost(d.X.data, [d.X.rows, d.X.cols]);
      uploaded.push(X);
      const y = be.fromHost(d.y, [d.y.length]);
      uploaded.push(y);
      sets.push({ X, y, labels: d.y });
    }
    const field = networkField({
      network: net,
      backend: be,
      ...sets[0]!,
      loss: problem.loss,
      time,
      ...(p.perRun ? { perRun: sets } : {}),
    });
    const offsets = field.offsets;
    const records =
      checkpoint === undefined
        ? freshRecords(field, net, p.init, options, settings)
        : resumedRecords(field, net, checkpoint, options);
    const classification = isClassificationLoss(problem.loss);
    // the regression stall floor of each data set (computed on first use)
    const regressionData = p.data.map((d): RegressionData => {
      let leastSquares: number | undefined;
      return {
        leastSquares: () => (leastSquares ??= leastSquaresMinimum(d.X, d.y)),
        halfY2: 0.5 * d.y.reduce((a, v) => a + v * v, 0),
        zeroX: d.X.data.every((v) => v === 0),
      };
    });
    const regression = classification
      ? undefined
      : (run: number): RegressionData => regressionData[p.perRun ? run : 0]!;
    const ctx: StopContext = {
      until,
      adaptive,
      maxSteps,
      loss: problem.loss,
      time,
      classification,
      locateEvents: options.locateEvents ?? FLOW_DEFAULTS.locateEvents,
      locateTol: options.locateTol ?? tols.locateTol,
      stallTol: options.stallTol ?? FLOW_DEFAULTS.stallTol,
      depth: net.depth,
      stiffStop: settings.countStiffness === true,
      stiffSwitch: settings.stiffSwitch,
      regression,
    };
    const slack = (r: RowState): number => (adaptive ? 0 : 0.5 * r.h);
    const save = (rec: RunRecord): void =>
      maybeSave(rec.saves, rec.save, rec.row.t, saveTimes, saveCount, slack(rec.row), () =>
        snapshotOf(rec, net, offsets),
      );
    const cross: CrossingContext = {
      monitors: monitorsOf(options),
      net,
      offsets,
      locateEvents: ctx.locateEvents,
      locateTol: ctx.locateTol,
      stops: (['margin', 'loss', 'logLoss'] as const)
        .filter((k) => until[k] !== undefined)
        .map((k) => ({ reason: k, target: until[k]! })),
      onEvent: options.onEvent,
    };
    for (const rec of records) {
      // sides of the monitors: fresh, or a checkpoint of a solve watching other ones
      if (rec.sides.length !== cross.monitors.length) rec.sides = initialSides(rec, cross);
    }
    // a point just reached by a step from `before` (or located): monitors, saving, stops
    const reached = (rec: RunRecord, step: { before: RowState; prevObs: RunObservation }): void => {
      if (checkCrossings(rec, step, cross)) return;
      save(rec);
      checkStops(rec, step, ctx);
    };
    for (const rec of records) {
      if (rec.status !== 'running') continue;
      rec.saves.push(snapshotOf(rec, net, offsets));
      // a resumed event search goes on where it stopped
      if (rec.locate === undefined) checkStops(rec, undefined, ctx);
    }
    // runs whose auto switch to radau5 the memory budget prevented
    const blocked = new Set<number>();
    let lastProgress = start;
    const throttle = options.progressThrottleMs ?? FLOW_DEFAULTS.progressThrottleMs;
    for (;;) {
      const active = records.filter((r) => r.status === 'running');
      if (active.length === 0) break;
      if (until.wallMs !== undefined && clock() - start >= until.wallMs) {
        for (const rec of active) {
          // an event search in progress stays in the record (and the checkpoint), with the row
          // at the search's base point, so that a resumed solve continues it
          if (rec.locate) restoreRow(rec.row, rec.locate.base);
          rec.status = 'time-limit';
          rec.stoppedBy = 'wallMs';
          rec.message = `stopped after ${until.wallMs} ms of wall-clock time at t = ${rec.row.t}`;
        }
        // those rows are back at their base point: report its loss and margin, not the last trial's
        const searching = active.filter((r) => r.locate !== undefined);
        if (searching.length > 0) {
          const pts = new Float64Array(searching.length * p.dim);
          searching.forEach((r, i) => pts.set(r.row.y, i * p.dim));
          const o = field.observe(
            pts,
            searching.length,
            searching.map((r) => r.index),
          );
          searching.forEach((r, i) => {
            r.obs = { loss: o.loss[i]!, logLoss: o.logLoss[i]!, margin: o.margin[i]! };
          });
        }
        break;
      }
      const stepped: { rec: RunRecord; before: RowState; prevObs: RunObservation }[] = [];
      for (const name of ORDER) {
        for (const locating of [false, true]) {
          const group = active.filter(
            (r) => r.row.stepper === name && (r.locate !== undefined) === locating,
          );
          if (group.length === 0) continue;
          // Jacobians first, so that an event search's base point keeps the one at its start
          if (STEPPERS[name].needsJacobian) {
            if (locating) for (const r of group) restoreRow(r.row, r.locate!.base);
            ensureJacobians(
              field,
              group.map((r) => r.row),
            );
            if (locating) for (const r of group) r.locate!.base.jacobian = r.row.jacobian;
          }
          const before = group.map((r) => ({ ...r.row }));
          let targets: number[];
          if (locating) {
            targets = group.map(() => Infinity);
            for (const r of group) r.row.h = trialStep(r);
          } else {
            targets = group.map((r) =>
              adaptive
                ? Math.min(until.time ?? Infinity, nextSaveTime(saveTimes, r.save), TIME_LIMIT)
                : Infinity,
            );
          }
          const outcomes = stepRows(
            field,
            group.map((r) => r.row),
            settings,
            targets,
            locating,
          );
          group.forEach((rec, i) => {
            const o = outcomes[i]!;
            if (o === 'accepted') stepped.push({ rec, before: before[i]!, prevObs: rec.obs });
            else if (o === 'failed') {
              rec.status = 'non-finite';
              rec.stoppedBy = 'non-finite';
              rec.message = rec.locate
                ? `a trial step of the ${rec.locate.reason} event search from t = ${rec.locate.base.t} failed (non-finite, or the implicit iterations did not converge); set options.locateEvents to false or tighten options.rtol`
                : adaptive
                  ? `the step size collapsed at t = ${rec.row.t} (step ${rec.row.accepted}): the solution became non-finite or the ${rec.row.stepper} step was rejected ${rec.row.rejectStreak} times in a row; tighten options.rtol or use method: 'auto'`
                  : `the solution became non-finite at t = ${rec.row.t} (step ${rec.row.accepted}): the fixed step options.stepSize = ${rec.row.h} is beyond the stability limit; lower it or use an adaptive method`;
            } else if (rec.row.accepted + rec.row.rejected >= maxSteps) capStop(rec, ctx);
          });
        }
      }
      if (stepped.length > 0) {
        const packed = new Float64Array(stepped.length * p.dim);
        stepped.forEach((s, i) => packed.set(s.rec.row.y, i * p.dim));
        const obs = field.observe(
          packed,
          stepped.length,
          stepped.map((s) => s.rec.index),
        );
        stepped.forEach((s, i) => {
          const rec = s.rec;
          rec.obs = { loss: obs.loss[i]!, logLoss: obs.logLoss[i]!, margin: obs.margin[i]! };
          if (!memory.autoMaySwitch && rec.row.stiffHits >= settings.stiffSwitch)
            blocked.add(rec.index);
          updateDrift(rec, net, offsets);
          if (rec.locate?.monitor !== undefined) {
            const located = advanceMonitorLocate(rec, cross);
            if (located !== undefined) reached(rec, located);
            return;
          }
          if (rec.locate) {
            advanceLocate(rec, ctx);
            if (rec.status !== 'running') save(rec);
            return;
          }
          reached(rec, { before: s.before, prevObs: s.prevObs });
        });
      }
      const now = clock();
      if (options.onProgress && now - lastProgress >= throttle) {
        lastProgress = now;
        options.onProgress({
          elapsedMs: now - start,
          activeRuns: records.filter((r) => r.status === 'running').length,
          accepted: records.reduce((a, r) => a + r.row.accepted, 0),
          time: records.map((r) => r.row.t),
          logLoss: records.map((r) => r.obs.logLoss),
        });
      }
    }
    if (memory.autoNote !== undefined) {
      // auto kept dopri5 where it would have switched: say so in the run's message
      for (const rec of records) {
        if (!blocked.has(rec.index)) continue;
        rec.message =
          rec.message === undefined ? memory.autoNote : `${rec.message}; ${memory.autoNote}`;
      }
    }
    const wallMs = (checkpoint?.wallMs ?? 0) + (clock() - start);
    const solution = buildSolution(records, field, net, wallMs, method, time);
    if (options.throwOnFailure && solution.status !== 'converged')
      throwFailure(solution, classification);
    return solution;
  } finally {
    be.dispose(uploaded);
  }
}

function adaptiveMethod(method: string): boolean {
  return method !== 'gd' && method !== 'rk4';
}

/** The next trial step of a run that is locating an event. */
function trialStep(rec: RunRecord): number {
  const l = rec.locate!;
  restoreRow(rec.row, l.base);
  let h = l.hLo - (l.gLo * (l.hHi - l.hLo)) / (l.gHi - l.gLo);
  if (!(h > l.hLo && h < l.hHi)) h = 0.5 * (l.hLo + l.hHi);
  return h;
}

import type { Arr, Backend } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import { validateCheckpoint } from './checkpoint-validate.js';
import { DEFAULT_CONTROLLER } from './controller.js';
import { monitorsOf, initialSides, type CrossingContext } from './crossings.js';
import { defaultTolerances, defaultWarn, FLOW_DEFAULTS, rtolWarning } from './defaults.js';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { methodStepper, type IntegratorSettings } from './integrator.js';
import { leastSquaresMinimum } from './least-squares.js';
import { isClassificationLoss } from './losses.js';
import { networkField, type DataSet, type NetworkField } from './network-field.js';
import { freshRecords, resumedRecords } from './records.js';
import { snapshotOf, type RunRecord } from './run-record.js';
import { checkStiffMemory, type StiffMemory } from './stiff-memory.js';
import { checkStops, type RegressionData, type StopContext } from './stops.js';
import { checkOptions, checkProblem } from './validate.js';

/** Everything a {@link FlowRun} needs between `advance` calls (built once by {@link setUpFlow}). */
export interface FlowEngine {
  readonly options: FlowOptions;
  readonly clock: () => number;
  /** Clock reading when the run was started (before the set-up). */
  readonly origin: number;
  /** Wall-clock milliseconds of the checkpoints resumed from. */
  readonly wallMsBefore: number;
  readonly net: LinearTensorNetwork;
  readonly dim: number;
  readonly field: NetworkField;
  readonly records: RunRecord[];
  readonly settings: IntegratorSettings;
  readonly memory: StiffMemory;
  readonly ctx: StopContext;
  readonly cross: CrossingContext;
  readonly classification: boolean;
  /** The backend the data lives on. */
  readonly backend: Backend;
  /** Backend arrays of the data (disposed when the run is done or disposed). */
  readonly uploaded: Arr[];
}

/**
 * Validate the problem and options (and the checkpoint), upload the data, build the field, the
 * run records (fresh or resumed) and the stop and crossing contexts, and take the first snapshot
 * of every running run. Bad input throws `ImplicitBiasError` naming the field; nothing stays
 * allocated on the backend when it throws.
 */
export function setUpFlow(
  problem: FlowProblem,
  options: FlowOptions,
  checkpoint: FlowCheckpoint | undefined,
): FlowEngine {
  const p = checkProblem(problem);
  checkOptions(options, problem.loss);
  const clock = options.clock ?? Date.now;
  const origin = clock();
  const net = problem.network;
  const be = problem.backend;
  const method = options.method ?? FLOW_DEFAULTS.method;
  const time = options.time ?? FLOW_DEFAULTS.time;
  const tols = defaultTolerances(be.precision);
  const rtol = options.rtol ?? tols.rtol;
  const warn = options.onWarning ?? defaultWarn;
  const adaptive = method !== 'gd' && method !== 'rk4';
  const rtolText = adaptive ? rtolWarning(rtol, be.id, be.precision) : undefined;
  if (rtolText !== undefined) warn(rtolText);
  if (checkpoint !== undefined) {
    validateCheckpoint(checkpoint, p.dim, p.init.length);
    if (checkpoint.time !== time) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the checkpoint was taken with time '${checkpoint.time}'`,
        { path: 'options.time' },
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
  const stiffSwitch = options.stiffSwitch ?? FLOW_DEFAULTS.stiffSwitch;
  const countStiffness =
    method === 'dopri5' && (options.stiffness ?? FLOW_DEFAULTS.stiffness) === 'stop';
  const settings: IntegratorSettings = {
    method,
    stepper: methodStepper(method, {
      stiffSwitch,
      autoMaySwitch: memory.autoMaySwitch,
      countStiffness,
    }),
    adaptive,
    controller,
    hMax: options.maxStepSize ?? Infinity,
  };
  const until = options.until;
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
    const records =
      checkpoint === undefined
        ? freshRecords(field, net, p.init, options, settings)
        : resumedRecords(field, net, checkpoint, options, settings.stepper);
    const classification = isClassificationLoss(problem.loss);
    // the regression stall floor of each data set (computed on first use)
    const regressionData = p.data.map((d): RegressionData => {
      let leastSquares: number | undefined;
      let zeroX: boolean | undefined;
      return {
        leastSquares: () => (leastSquares ??= leastSquaresMinimum(d.X, d.y)),
        halfY2: 0.5 * d.y.reduce((a, v) => a + v * v, 0),
        zeroX: () => (zeroX ??= d.X.data.every((v) => v === 0)),
      };
    });
    const ctx: StopContext = {
      until,
      adaptive,
      maxSteps: options.maxSteps ?? FLOW_DEFAULTS.maxSteps,
      loss: problem.loss,
      time,
      classification,
      locateEvents: options.locateEvents ?? FLOW_DEFAULTS.locateEvents,
      locateTol: options.locateTol ?? tols.locateTol,
      stallTol: options.stallTol ?? FLOW_DEFAULTS.stallTol,
      depth: net.depth,
      stiffStop: countStiffness,
      stiffSwitch,
      stiffHits: (row) => settings.stepper.describe(row.state).stiffHits,
      regression: classification
        ? undefined
        : (run: number): RegressionData => regressionData[p.perRun ? run : 0]!,
    };
    const cross: CrossingContext = {
      monitors: monitorsOf(options),
      net,
      offsets: field.offsets,
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
    for (const rec of records) {
      if (rec.status !== 'running') continue;
      rec.saves.push(snapshotOf(rec, net, field.offsets));
      // a resumed event search goes on where it stopped
      if (rec.locate === undefined) checkStops(rec, undefined, ctx);
    }
    return {
      options,
      clock,
      origin,
      wallMsBefore: checkpoint?.wallMs ?? 0,
      net,
      dim: p.dim,
      field,
      records,
      settings,
      memory,
      ctx,
      cross,
      classification,
      backend: be,
      uploaded,
    };
  } catch (e) {
    be.dispose(uploaded);
    throw e;
  }
}

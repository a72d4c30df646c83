import { cpuHostKernels } from './host-kernels.js';
import type { Backend } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { Dataset } from '@implicit-bias/datasets';
import { FLOW_DEFAULTS, integrate, limitTolerances } from '@implicit-bias/flow';
import type { FlowOptions } from '@implicit-bias/flow';
import { layerNormInvariants, odecoInvariants } from '@implicit-bias/networks';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { reducedFlowField } from '@implicit-bias/theory';
import type { ReducedFlowField } from '@implicit-bias/theory';
import { DEFAULT_MAX_STEPS } from './run-config.js';
import type { RunConfig } from './run-config.js';
import {
  DEFAULT_CHECKPOINT_MS,
  readTrainCheckpoint,
  removeStaleTemps,
  writeTrainCheckpoint,
} from './train-checkpoint.js';
import type { ExactCheckpoint, TrainHistory } from './train-checkpoint.js';

/** The exact flow runs in float64 on the host: its tolerances unless the config sets them. */
const LIMIT = limitTolerances('float64');

// train.ts dispatches here; this file does not import train.ts (no import cycle), so the result
// is declared structurally below and checked against TrainResult/TrainOutcome where train.ts
// returns it.

/** Reported points per decade of time (the flow's log-spaced history saves 10 per decade). */
const PER_DECADE = 10;
/** Consecutive reported points without any change of the state after which the run has stalled. */
const STALL_POINTS = 20;
/** Largest time the run reaches (as the full-network flow's time limit). */
const TIME_LIMIT = 1e300;

/**
 * Why `flow.method: 'exact'` cannot solve a run, or `null` when it can: the exact reduced flow
 * (docs/theory/q-potential.md) needs squared-loss regression in physical time on a real odeco
 * network started from the odeco initialization.
 */
export function exactUnsupported(cfg: RunConfig, net: LinearTensorNetwork): string | null {
  if (cfg.task !== 'regression' || cfg.loss !== 'squared')
    return `it solves squared-loss regression only (task is '${cfg.task}', loss '${cfg.loss}')`;
  if ((cfg.flow.time ?? 'physical') !== 'physical')
    return `it integrates physical time (flow.time is '${String(cfg.flow.time)}'); remove flow.time`;
  const dec = net.odeco();
  if ('notOdeco' in dec) return `the network has no odeco decomposition (${dec.notOdeco})`;
  if (dec.complex)
    return 'the network is complex odeco (a full-filter convolution), where the reduced flow is not exact';
  if (cfg.init.scheme !== 'odeco')
    return `it needs the odeco initialization (init.scheme is '${cfg.init.scheme}'); set init.scheme to 'odeco'`;
  return null;
}

/**
 * Whether a run is solved by the exact reduced flow: `flow.method: 'exact'`, or `'auto'` where
 * the exact flow applies (odeco regression with the odeco initialization). Throws
 * `INVALID_CONFIG` naming `flow.method` when `'exact'` is asked for where it does not apply.
 */
export function usesExactMethod(cfg: RunConfig, net: LinearTensorNetwork): boolean {
  const method: string = cfg.flow.method;
  if (method !== 'exact' && method !== 'auto') return false;
  const why = exactUnsupported(cfg, net);
  if (why === null) return true;
  if (method === 'exact') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `method 'exact' (the exact reduced flow) does not apply here: ${why}, or use method 'auto' to integrate the full network`,
      { path: 'flow.method' },
    );
  }
  return false;
}

/** The fields of `TrainResult` (train.ts), declared structurally (see the note at the top). */
interface ExactResult {
  readonly status: string;
  readonly solver: 'exact';
  readonly message: string | null;
  readonly stoppedBy: string;
  readonly beta: number[];
  readonly params: number[][];
  readonly time: number;
  readonly timeScale: 'physical';
  readonly steps: number;
  readonly loss: number;
  readonly logLoss: number;
  readonly margin: number;
  readonly normalizedMargin: number;
  readonly invariantDrift: { readonly layerNorm: number; readonly odeco?: number };
  readonly stats: { accepted: number; rejected: number; fieldEvals: number; jacobianEvals: number };
  readonly history: TrainHistory;
}

/** The options of `runTraining` (train.ts) that an exact run uses. */
interface ExactTrainOptions {
  readonly backend: Pick<Backend, 'id' | 'precision'>;
  readonly checkpointFile?: string;
  readonly restart?: boolean;
  readonly restartHint?: string;
  readonly shouldStop?: () => boolean;
  readonly onProgress?: (info: { time: number; logLoss: number; steps: number }) => void;
  readonly onResume?: (info: { steps: number; time: number; finished: boolean }) => void;
  readonly checkpointMs?: number;
  readonly clock?: () => number;
}

/** What train.ts hands over: the run's checkpoint key, its flow options and history thinning. */
export interface ExactRunContext {
  /** `runKey(cfg, data, init)`. */
  readonly key: string;
  /** `flowOptions(cfg, 'float64')`: tolerances, stop conditions, step cap (the run is float64). */
  readonly flow: FlowOptions;
  /** `thinHistory` of train.ts. */
  readonly thin: (h: TrainHistory) => TrainHistory;
}

/** Loss and margin quantities of one state, and the full network's layers there. */
interface Observed {
  readonly beta: Float64Array;
  readonly params: Float64Array[];
  readonly loss: number;
  readonly margin: number;
  readonly normalizedMargin: number;
}

function observe(
  field: ReducedFlowField,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  state: Float64Array,
): Observed {
  const beta = field.beta(state);
  const params = field.layers(state, init);
  const { rows: n, cols: d, data: X } = data.X;
  let loss = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let k = 0; k < d; k++) f += X[i * d + k]! * beta[k]!;
    const r = f - data.y[i]!;
    loss += 0.5 * r * r;
    worst = Math.max(worst, Math.abs(r));
  }
  let theta2 = 0;
  for (const p of params) for (const v of p) theta2 += v * v;
  const margin = -worst;
  return {
    beta,
    params,
    loss,
    margin,
    normalizedMargin: margin / Math.pow(Math.sqrt(theta2), net.depth),
  };
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * The first reported time: a thousandth of the fastest initial time scale `1/‖J(0)‖` (bounded
 * by the trace of the negative semidefinite Jacobian), so the history starts before anything moves.
 */
function firstTime(field: ReducedFlowField): number {
  const n = field.dim;
  const J = field.jacobian!(new Float64Array(n), 1);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.abs(J[i * n + i]!);
  return trace > 0 && Number.isFinite(trace) ? 1e-3 / trace : 1e-6;
}

/**
 * Train one run with the exact reduced flow (docs/theory/q-potential.md): the n-dimensional ODE
 * of the scaled dual, integrated by rodas4 with its exact Jacobian on the host in float64
 * (whatever the backend), reported at 10 log-spaced times per decade. At each reported time the
 * stop conditions are checked on the full network's loss and margin, whose layers are rebuilt
 * exactly from the reduced state; the run is `converged` only when a stop condition held there.
 * With a checkpoint file the run is written at its reported points every `checkpointMs` and when
 * stopped, and resumes from the last written point on the identical trajectory (each reporting
 * interval restarts the integrator from the state reached); a finished result is kept in the
 * checkpoint file like a full-network run's.
 */
export async function runExactTraining(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  o: ExactTrainOptions,
  ctx: ExactRunContext,
): Promise<
  | { readonly kind: 'finished'; readonly result: ExactResult }
  | {
      readonly kind: 'interrupted';
      readonly steps: number;
      readonly time: number;
      readonly checkpointFile: string | undefined;
    }
> {
  const backend = { id: o.backend.id, precision: o.backend.precision };
  const file = o.checkpointFile;
  let resumed: { exact: ExactCheckpoint; history: TrainHistory } | undefined;
  if (file !== undefined) {
    removeStaleTemps(file);
    const saved = o.restart
      ? undefined
      : readTrainCheckpoint<ExactResult>(file, ctx.key, backend, o.restartHint);
    if (saved?.state === 'finished') {
      o.onResume?.({ steps: saved.result.steps, time: saved.result.time, finished: true });
      return { kind: 'finished', result: saved.result };
    }
    if (saved?.state === 'running-exact') resumed = saved;
  }
  const i = cfg.init;
  if (i.scheme !== 'odeco') throw new ImplicitBiasError('INTERNAL', 'not an odeco init');
  const field = reducedFlowField(
    {
      network: net,
      X: data.X,
      y: data.y,
      alpha: i.scale,
      ...(i.shape === 'ones' ? {} : { eta: i.shape }),
    },
    { kernels: cpuHostKernels() },
  );
  const until = ctx.flow.until ?? {};
  const cap = ctx.flow.maxSteps ?? DEFAULT_MAX_STEPS;
  const hasTarget = until.loss !== undefined || until.margin !== undefined;
  const from = resumed?.exact;
  let state: Float64Array = from ? Float64Array.from(from.state) : new Float64Array(field.dim);
  let t = from?.t ?? 0;
  const total = from
    ? { ...from.total }
    : { accepted: 0, rejected: 0, fieldEvals: 0, jacobianEvals: 0 };
  const history: TrainHistory = resumed?.history ?? {
    time: [],
    loss: [],
    logLoss: [],
    margin: [],
    normalizedMargin: [],
  };
  const layer0 = layerNormInvariants(init);
  const odeco0 = odecoInvariants(net, init);
  const drift = from ? { ...from.drift } : { layerNorm: 0, odeco: 0 };
  if (from) o.onResume?.({ steps: total.accepted, time: t, finished: false });
  let obs = observe(field, net, data, init, state);
  const finish = (status: string, stoppedBy: string, message: string | null) => {
    const result: ExactResult = {
      status,
      solver: 'exact',
      message,
      stoppedBy,
      beta: Array.from(obs.beta),
      params: obs.params.map((p) => Array.from(p)),
      time: t,
      timeScale: 'physical',
      steps: total.accepted,
      loss: obs.loss,
      logLoss: Math.log(obs.loss),
      margin: obs.margin,
      normalizedMargin: obs.normalizedMargin,
      invariantDrift: odeco0 ? { ...drift } : { layerNorm: drift.layerNorm },
      stats: { ...total },
      history: ctx.thin(history),
    };
    if (file !== undefined)
      writeTrainCheckpoint(file, { key: ctx.key, backend, state: 'finished', result });
    return { kind: 'finished' as const, result };
  };
  const capped = () =>
    finish(
      'max-steps',
      'maxSteps',
      `reached the step cap of ${cap} attempted steps at t = ${t} before the stop conditions; raise flow.maxSteps in the run config (now ${cap}) to allow more steps`,
    );
  const t0 = firstTime(field);
  let k = from?.k ?? 0;
  let meanStep = from?.meanStep ?? ctx.flow.stepSize ?? 0;
  let still = from?.still ?? 0;
  const clock = o.clock ?? Date.now;
  let lastWrite = clock();
  const save = (): void => {
    if (file === undefined) return;
    const exact: ExactCheckpoint = {
      state: Array.from(state),
      t,
      k,
      meanStep,
      still,
      total: { ...total },
      drift: { ...drift },
    };
    writeTrainCheckpoint(file, { key: ctx.key, backend, state: 'running-exact', exact, history });
    lastWrite = clock();
  };
  for (;;) {
    const target = Math.min(t0 * Math.pow(10, k++ / PER_DECADE), until.time ?? Infinity);
    const used = total.accepted + total.rejected;
    if (used >= cap) return capped();
    const res = integrate(field, [state], {
      method: FLOW_DEFAULTS.exactStepper,
      tEnd: target - t,
      rtol: ctx.flow.rtol ?? LIMIT.rtol,
      atol: ctx.flow.atol ?? LIMIT.atol,
      maxSteps: cap - used,
      ...(meanStep > 0 ? { stepSize: Math.min(meanStep, target - t) } : {}),
    });
    const st = res.stats[0]!;
    total.accepted += st.accepted;
    total.rejected += st.rejected;
    total.fieldEvals += st.fieldEvals;
    total.jacobianEvals += st.jacobianEvals;
    const next = res.y[0]!;
    const moved = next.some((v, j) => v !== state[j]);
    if (next.every(Number.isFinite)) {
      meanStep = st.accepted > 0 ? res.t[0]! / st.accepted : meanStep;
      t += res.t[0]!;
      state = next;
      obs = observe(field, net, data, init, state);
    }
    if (!Number.isFinite(obs.loss) || !next.every(Number.isFinite) || res.status[0] === 'failed') {
      return finish(
        'non-finite',
        'non-finite',
        `the exact reduced flow left its domain or failed to step at t = ${t} (step ${total.accepted}); use method 'auto' to integrate the full network`,
      );
    }
    history.time.push(t);
    history.loss.push(obs.loss);
    history.logLoss.push(Math.log(obs.loss));
    history.margin.push(obs.margin);
    history.normalizedMargin.push(obs.normalizedMargin);
    drift.layerNorm = Math.max(
      drift.layerNorm,
      maxAbsDiff(layerNormInvariants(obs.params), layer0),
    );
    if (odeco0)
      drift.odeco = Math.max(drift.odeco, maxAbsDiff(odecoInvariants(net, obs.params)!, odeco0));
    if (res.status[0] === 'max-steps') return capped();
    if (until.loss !== undefined && obs.loss <= until.loss)
      return finish('converged', 'loss', null);
    if (until.margin !== undefined && obs.margin >= until.margin)
      return finish('converged', 'margin', null);
    const missed = `the loss reached ${obs.loss.toExponential(3)}`;
    if (until.time !== undefined && t >= until.time) {
      return hasTarget
        ? finish(
            'max-time',
            'time',
            `reached the horizon until.time = ${until.time} (step ${total.accepted}) when ${missed}: raise until.time`,
          )
        : finish('converged', 'time', null);
    }
    if (until.steps !== undefined && total.accepted >= until.steps) {
      return hasTarget
        ? finish(
            'max-steps',
            'steps',
            `ran until.steps = ${until.steps} accepted steps (t = ${t}) when ${missed}: raise flow.until.steps`,
          )
        : finish('converged', 'steps', null);
    }
    if (t >= TIME_LIMIT) {
      return finish(
        'max-time',
        'time',
        `the time reached ${TIME_LIMIT} (step ${total.accepted}) when ${missed}: the flow has (nearly) stopped moving; raise until.loss`,
      );
    }
    still = moved ? 0 : still + 1;
    if (still >= STALL_POINTS) {
      return finish(
        'stalled',
        'stalled',
        `the exact reduced flow stopped moving at t = ${t} (${STALL_POINTS} reported points without change) when ${missed}: the stop target is below what float64 resolves for these data; raise until.loss`,
      );
    }
    o.onProgress?.({ time: t, logLoss: Math.log(obs.loss), steps: total.accepted });
    if (clock() - lastWrite >= (o.checkpointMs ?? DEFAULT_CHECKPOINT_MS)) save();
    if (o.shouldStop !== undefined) {
      // a macrotask turn: signal handlers run here
      await new Promise<void>((r) => setImmediate(r));
      if (o.shouldStop()) {
        save();
        return { kind: 'interrupted', steps: total.accepted, time: t, checkpointFile: file };
      }
    }
  }
}

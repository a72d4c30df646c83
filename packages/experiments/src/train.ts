import { createHash } from 'node:crypto';
import type { Backend } from '@implicit-bias/backend';
import type { Precision } from '@implicit-bias/core';
import type { Dataset } from '@implicit-bias/datasets';
import { limitTolerances, startFlow } from '@implicit-bias/flow';
import type {
  FlowCheckpoint,
  FlowOptions,
  FlowSolution,
  StopConditions,
} from '@implicit-bias/flow';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { DEFAULT_MAX_STEPS, type RunConfig } from './run-config.js';
import { runExactTraining, usesExactMethod } from './train-exact.js';
import {
  readTrainCheckpoint,
  removeStaleTemps,
  removeTrainCheckpoint,
  writeTrainCheckpoint,
} from './train-checkpoint.js';
import type { TrainCheckpointBody, TrainHistory } from './train-checkpoint.js';
import { DEFAULT_CHECKPOINT_MS } from './train-checkpoint.js';

export { DEFAULT_CHECKPOINT_MS };
import { accumulateHistory, emptyHistory, HISTORY_POINTS, thinHistory } from './train-history.js';

export { accumulateHistory, HISTORY_POINTS, thinHistory };

/** The JSON result of `implicit-bias train`. */
export interface TrainResult {
  /**
   * How the run ended: `converged` (its own stop rule held) or a failure status of the flow
   * (`max-steps`, `max-time`, `time-limit`, `non-finite`, `stalled`, `stiff`), explained by
   * `message`.
   */
  readonly status: string;
  /**
   * What integrated it: `'exact'` (the exact reduced flow, float64 on the host whatever the
   * backend: `flow.method` `'exact'`, or `'auto'` on odeco regression with the odeco
   * initialization) or `'network'` (the full network's flow on the chosen backend).
   */
  readonly solver: 'exact' | 'network';
  /** A sentence explaining a failure status; `null` when converged. */
  readonly message: string | null;
  /** The stop condition that ended the run (`loss`, `margin`, `steps`, …). */
  readonly stoppedBy: string;
  /** Trained end-to-end vector β, length d. */
  readonly beta: number[];
  /** Trained parameters, one array per layer (`params[l].length = k_{l+1}`). */
  readonly params: number[][];
  /** Final time, in the run's time variable (`timeScale`). */
  readonly time: number;
  /** Physical time t, or σ of the loss-normalized time change. */
  readonly timeScale: 'physical' | 'loss-normalized';
  /** Accepted integrator steps. */
  readonly steps: number;
  /** Final loss 𝓛 (a sum over samples; underflows to 0 at large margins, see `logLoss`). */
  readonly loss: number;
  /** Final `log 𝓛`, exact at any margin. */
  readonly logLoss: number;
  /** `min_i y_i f(x_i)` (classification) or `−max_i |f(x_i) − y_i|` (regression). */
  readonly margin: number;
  /** `margin / ‖Θ‖^L`. */
  readonly normalizedMargin: number;
  /** Largest drift of the conserved quantities over the run (a measure of integration error). */
  readonly invariantDrift: {
    /** Of the layer-norm invariants `‖v_l‖² − ‖v_L‖²`. */
    readonly layerNorm: number;
    /** Of the per-coordinate odeco invariants (real odeco networks only). */
    readonly odeco?: number;
  };
  /** Integrator work. */
  readonly stats: {
    /** Accepted steps. */
    accepted: number;
    /** Rejected steps (error too large). */
    rejected: number;
    /** Evaluations of the vector field (batched forward + gradient). */
    fieldEvals: number;
    /** Jacobian evaluations (implicit steppers only). */
    jacobianEvals: number;
  };
  /**
   * Values at the run's saved points, for plots: log-spaced in time (at most
   * {@link HISTORY_POINTS}, the first and final points included), the same however the run was
   * cut into chunks or resumed.
   */
  readonly history: {
    /** Times. */
    time: number[];
    /** Losses 𝓛. */
    loss: number[];
    /** `log 𝓛`. */
    logLoss: number[];
    /** Margins. */
    margin: number[];
    /** Normalized margins. */
    normalizedMargin: number[];
  };
}

/** Wall-clock milliseconds of one chunk of a resumable run (it yields to the event loop between). */
export const DEFAULT_CHUNK_MS = 200;

/**
 * The stop conditions of a config: those it gives, else the default target of its task
 * (regression: `𝓛 ≤ 1e−20` or `t = 1e12`; classification: margin 1e3). The step cap is not a
 * stop condition but the flow option `maxSteps` (see {@link flowOptions}), so that a run reaching
 * it is reported as `max-steps`.
 */
export function defaultUntil(cfg: RunConfig): StopConditions {
  const u = cfg.flow.until;
  const given: StopConditions = {
    ...(u.loss !== undefined ? { loss: u.loss } : {}),
    ...(u.margin !== undefined ? { margin: u.margin } : {}),
    ...(u.time !== undefined ? { time: u.time } : {}),
    ...(u.steps !== undefined ? { steps: u.steps } : {}),
  };
  if (Object.keys(given).length > 0) return given;
  return cfg.task === 'regression' ? { loss: 1e-20, time: 1e12 } : { margin: 1e3 };
}

/**
 * Flow options for a config on a backend of `precision` (the step cap is `flow.maxSteps`, default
 * {@link DEFAULT_MAX_STEPS}; tolerances not given default by the precision, `limitTolerances`).
 */
export function flowOptions(cfg: RunConfig, precision: Precision = 'float64'): FlowOptions {
  const f = cfg.flow;
  const tol = limitTolerances(precision);
  return {
    method: f.method === 'exact' ? 'auto' : f.method, // 'exact' runs never reach the flow
    rtol: f.rtol ?? tol.rtol,
    atol: f.atol ?? tol.atol,
    ...(f.stepSize !== undefined ? { stepSize: f.stepSize } : {}),
    time: f.time ?? (cfg.task === 'classification' ? 'loss-normalized' : 'physical'),
    until: defaultUntil(cfg),
    maxSteps: f.maxSteps ?? DEFAULT_MAX_STEPS,
    ...(f.stiffness !== undefined ? { stiffness: f.stiffness } : {}),
    // thresholds are reached, not pinned down: locating a crossing re-takes the last step up
    // to 60 times (expensive for the implicit steppers) and the experiments need no exact
    // event times (the flow's checkpoints do carry a search in progress, so chunking is safe)
    locateEvents: false,
    // every log-spaced point is kept (10 per decade of time) and thinned at the end, so that the
    // history does not depend on how the run was cut into chunks (see accumulateHistory)
    save: { count: Number.MAX_SAFE_INTEGER },
  };
}

/** Options of {@link runTraining} and {@link trainRun}. */
export interface TrainOptions {
  /** The backend the flow runs on. */
  readonly backend: Backend;
  /**
   * Checkpoint file: written every `checkpointMs` and when stopped, resumed from when it belongs
   * to the same config, data and init (another backend is refused), holding the finished result
   * until the caller removes it with `removeTrainCheckpoint`.
   */
  readonly checkpointFile?: string;
  /** Ignore (and overwrite) an existing checkpoint instead of resuming from it. */
  readonly restart?: boolean;
  /** How the user starts over, for error messages about a checkpoint (default: delete it). */
  readonly restartHint?: string;
  /** Checked between chunks; when true the run stops, keeping its checkpoint. */
  readonly shouldStop?: () => boolean;
  /**
   * Milliseconds (of `clock`) per chunk; the run yields to the event loop between chunks, so
   * signal handlers run. Default {@link DEFAULT_CHUNK_MS} when there is a checkpoint file or a
   * `shouldStop`, else one chunk.
   */
  readonly chunkMs?: number;
  /** Milliseconds (of `clock`) between checkpoint writes (default {@link DEFAULT_CHECKPOINT_MS}). */
  readonly checkpointMs?: number;
  /** Milliseconds clock for chunks and checkpoint writes (default `Date.now`; inject for tests). */
  readonly clock?: () => number;
  /** Called after every chunk with the run's time, `log 𝓛` and accepted steps. */
  readonly onProgress?: (info: { time: number; logLoss: number; steps: number }) => void;
  /** Called once when the run continues from a checkpoint (`finished`: nothing left to do). */
  readonly onResume?: (info: { steps: number; time: number; finished: boolean }) => void;
}

/** How {@link runTraining} ended: finished (any status), or interrupted with its work saved. */
export type TrainOutcome =
  | {
      /** The run ended by a stop condition or a failure status (see `result.status`). */
      readonly kind: 'finished';
      /** The result; a checkpoint file, when given, holds it until `removeTrainCheckpoint`. */
      readonly result: TrainResult;
    }
  | {
      /** `shouldStop` stopped the run between chunks; its work is in the checkpoint. */
      readonly kind: 'interrupted';
      /** Accepted steps done (kept in the checkpoint). */
      readonly steps: number;
      /** Time reached. */
      readonly time: number;
      /** Where the work is kept, or undefined without a checkpoint file. */
      readonly checkpointFile: string | undefined;
    };

/** Key of a config + data + init, so a checkpoint is never resumed for a different run. */
export function runKey(cfg: RunConfig, data: Dataset, init: readonly Float64Array[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(cfg));
  h.update(new Uint8Array(data.X.data.buffer, data.X.data.byteOffset, data.X.data.byteLength));
  h.update(new Uint8Array(data.y.buffer, data.y.byteOffset, data.y.byteLength));
  for (const p of init) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return h.digest('hex');
}

/**
 * Train one run of a config, resumably. With a checkpoint file or `shouldStop` it works in
 * chunks of `chunkMs`, yielding to the event loop between chunks (so SIGINT/SIGTERM handlers
 * run) and writing the checkpoint every `checkpointMs`; a stopped run keeps its checkpoint and
 * resumes on the identical trajectory, with the identical history. A finished run's result is
 * written into the checkpoint too: remove it with `removeTrainCheckpoint` once the result is
 * safely stored, so a failed write loses nothing.
 */
export async function runTraining(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  o: TrainOptions,
): Promise<TrainOutcome> {
  const ctx = { key: runKey(cfg, data, init), flow: flowOptions(cfg), thin: thinHistory };
  if (usesExactMethod(cfg, net)) return runExactTraining(cfg, net, data, init, o, ctx);
  const problem = {
    network: net,
    X: data.X,
    y: data.y,
    loss: cfg.loss,
    init: [init],
    backend: o.backend,
  };
  const base = flowOptions(cfg, o.backend.precision);
  const timeScale = base.time ?? 'physical';
  const key = ctx.key;
  const backend = { id: o.backend.id, precision: o.backend.precision };
  const file = o.checkpointFile;
  let checkpoint: FlowCheckpoint | undefined;
  let history = emptyHistory();
  if (file !== undefined) {
    removeStaleTemps(file);
    const saved = o.restart
      ? undefined
      : readTrainCheckpoint<TrainResult>(file, key, backend, o.restartHint);
    if (saved?.state === 'finished') {
      o.onResume?.({ steps: saved.result.steps, time: saved.result.time, finished: true });
      return { kind: 'finished', result: saved.result };
    }
    if (saved?.state === 'running') {
      checkpoint = saved.flow;
      history = saved.history;
      const r = checkpoint.runs[0]!;
      o.onResume?.({ steps: r.accepted, time: r.t, finished: false });
    }
  }
  const save = (body: TrainCheckpointBody<TrainResult>): void => {
    if (file !== undefined) writeTrainCheckpoint(file, body);
  };
  const chunked = file !== undefined || o.shouldStop !== undefined || o.chunkMs !== undefined;
  const chunkMs = o.chunkMs ?? (chunked ? DEFAULT_CHUNK_MS : Infinity);
  const clock = o.clock ?? Date.now;
  // the history of earlier processes (from the checkpoint), then this one's saved points
  const from = checkpoint?.runs[0]?.t;
  const historyNow = (sol: FlowSolution, done: boolean): TrainHistory => {
    const h = structuredClone(history);
    accumulateHistory(h, sol.history[0]!, from, sol.checkpoint().runs[0]!.saveRatio, done);
    return h;
  };
  const flow = startFlow(problem, { ...base, clock }, checkpoint ? { from: checkpoint } : {});
  try {
    let lastWrite = clock();
    for (;;) {
      const progress = flow.advance(Number.isFinite(chunkMs) ? { wallMs: chunkMs } : {});
      const run = progress.runs[0]!; // the problem has one run
      if (progress.done) {
        const sol = flow.solution();
        const maxSteps = base.maxSteps ?? DEFAULT_MAX_STEPS;
        const result = toResult(sol, historyNow(sol, true), timeScale, maxSteps);
        save({ key, backend, state: 'finished', result });
        return { kind: 'finished', result };
      }
      o.onProgress?.({ time: run.time, logLoss: run.logLoss, steps: run.steps });
      // a macrotask turn: signal handlers (and other I/O) run here, not only microtasks
      await new Promise<void>((r) => setImmediate(r));
      const stop = o.shouldStop?.() ?? false;
      if (stop || clock() - lastWrite >= (o.checkpointMs ?? DEFAULT_CHECKPOINT_MS)) {
        const sol = flow.solution();
        const history = historyNow(sol, false);
        save({ key, backend, state: 'running', flow: sol.checkpoint(), history });
        lastWrite = clock();
      }
      if (stop)
        return { kind: 'interrupted', steps: run.steps, time: run.time, checkpointFile: file };
    }
  } finally {
    flow.dispose();
  }
}

/**
 * Train one run of a config (see {@link runTraining}); a finished run's checkpoint is removed.
 * Returns `undefined` when stopped before finishing (the checkpoint is kept).
 */
export async function trainRun(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  o: TrainOptions,
): Promise<TrainResult | undefined> {
  const outcome = await runTraining(cfg, net, data, init, o);
  if (outcome.kind === 'interrupted') return undefined;
  if (o.checkpointFile !== undefined) removeTrainCheckpoint(o.checkpointFile);
  return outcome.result;
}

function toResult(
  sol: FlowSolution,
  history: TrainHistory,
  timeScale: 'physical' | 'loss-normalized',
  maxSteps: number,
): TrainResult {
  const r = sol.runs[0]!;
  const message =
    r.stoppedBy === 'maxSteps'
      ? `${r.message ?? 'reached the step cap'}; raise flow.maxSteps in the run config (now ${maxSteps}) to allow more steps`
      : (r.message ?? null);
  return {
    status: r.status,
    solver: 'network',
    message,
    stoppedBy: r.stoppedBy,
    beta: Array.from(r.beta),
    params: r.params.map((p) => Array.from(p)),
    time: r.time,
    timeScale,
    steps: r.steps,
    loss: r.loss,
    logLoss: r.logLoss,
    margin: r.margin,
    normalizedMargin: r.normalizedMargin,
    invariantDrift: { ...r.invariantDrift },
    // wall time is left out so that the same config gives byte-identical JSON
    stats: {
      accepted: sol.stats.accepted,
      rejected: sol.stats.rejected,
      fieldEvals: sol.stats.fieldEvals,
      jacobianEvals: sol.stats.jacobianEvals,
    },
    history: thinHistory(history),
  };
}

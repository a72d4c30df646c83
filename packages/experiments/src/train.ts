import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Backend } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { Dataset } from '@implicit-bias/datasets';
import { resumeFlow, solveFlow } from '@implicit-bias/flow';
import type {
  FlowCheckpoint,
  FlowOptions,
  FlowSolution,
  StopConditions,
} from '@implicit-bias/flow';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { writeFileAtomic } from './point-store.js';
import type { RunConfig } from './run-config.js';

/** The JSON result of `implicit-bias train`. */
export interface TrainResult {
  /** How the run ended: `converged`, `max-steps`, `time-limit`, `non-finite` or `stalled`. */
  readonly status: string;
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
  /** Values at the run's saved points, for plots. */
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

/** Accepted steps after which a run stops when the config sets no `until.steps`. */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** Default stop conditions when a config gives none (a step cap always applies). */
export function defaultUntil(cfg: RunConfig): StopConditions {
  const u = cfg.flow.until;
  const given: StopConditions = {
    ...(u.loss !== undefined ? { loss: u.loss } : {}),
    ...(u.margin !== undefined ? { margin: u.margin } : {}),
    ...(u.time !== undefined ? { time: u.time } : {}),
    ...(u.steps !== undefined ? { steps: u.steps } : {}),
  };
  // a step cap always applies (it counts across resumes), so no run can go on forever
  const cap = { steps: u.steps ?? DEFAULT_MAX_STEPS };
  if (Object.keys(given).length > 0) return { ...given, ...cap };
  return cfg.task === 'regression' ? { loss: 1e-20, time: 1e12, ...cap } : { margin: 1e3, ...cap };
}

/** Flow options for a config. */
export function flowOptions(cfg: RunConfig): FlowOptions {
  const f = cfg.flow;
  return {
    method: f.method,
    rtol: f.rtol,
    atol: f.atol,
    ...(f.stepSize !== undefined ? { stepSize: f.stepSize } : {}),
    time: f.time ?? (cfg.task === 'classification' ? 'loss-normalized' : 'physical'),
    until: defaultUntil(cfg),
    // thresholds are reached, not pinned down: locating a crossing re-takes the last step up
    // to 60 times (expensive for the implicit steppers) and the experiments need no exact
    // event times (the flow's checkpoints do carry a search in progress, so chunking is safe)
    locateEvents: false,
  };
}

/** Options of {@link trainRun}. */
export interface TrainOptions {
  /** The backend the flow runs on. */
  readonly backend: Backend;
  /** Checkpoint file: written every chunk, resumed from when it matches the config. */
  readonly checkpointFile?: string;
  /** Checked between chunks; when true the run stops, keeping its checkpoint. */
  readonly shouldStop?: () => boolean;
  /** Wall-clock milliseconds per chunk between checkpoints (default 2000). */
  readonly chunkMs?: number;
  /** Called after every chunk with the run's time, `log 𝓛` and accepted steps. */
  readonly onProgress?: (info: { time: number; logLoss: number; steps: number }) => void;
}

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
 * Train one run of a config. Works in chunks of `chunkMs` wall time, writing a checkpoint after
 * each, so an interrupted run (`shouldStop`) resumes on the identical trajectory.
 * Returns `undefined` when stopped before finishing.
 */
export async function trainRun(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  o: TrainOptions,
): Promise<TrainResult | undefined> {
  const problem = {
    network: net,
    X: data.X,
    y: data.y,
    loss: cfg.loss,
    init: [init],
    backend: o.backend,
  };
  const base = flowOptions(cfg);
  const key = runKey(cfg, data, init);
  let checkpoint: FlowCheckpoint | undefined;
  if (o.checkpointFile !== undefined && existsSync(o.checkpointFile)) {
    try {
      const saved = JSON.parse(readFileSync(o.checkpointFile, 'utf8')) as {
        key: string;
        checkpoint: FlowCheckpoint;
      };
      if (saved.key === key) checkpoint = saved.checkpoint;
    } catch {
      checkpoint = undefined; // unreadable: start over
    }
  }
  // chunks only matter when there is somewhere to save progress or a way to stop
  const chunked = o.checkpointFile !== undefined || o.shouldStop !== undefined;
  let chunkMs = o.chunkMs ?? (chunked ? 2000 : Infinity);
  let lastSteps = -1;
  for (;;) {
    const options: FlowOptions = Number.isFinite(chunkMs)
      ? { ...base, until: { ...base.until, wallMs: chunkMs } }
      : base;
    const sol: FlowSolution = checkpoint
      ? await resumeFlow(problem, checkpoint, options)
      : await solveFlow(problem, options);
    const run = sol.runs[0];
    if (run === undefined)
      throw new ImplicitBiasError('INTERNAL', 'the flow returned no run', { path: 'flow' });
    if (run.stoppedBy !== 'wallMs') {
      if (o.checkpointFile !== undefined) rmSync(o.checkpointFile, { force: true });
      return toResult(sol, base.time ?? 'physical');
    }
    // a chunk shorter than the solver's set-up time makes no progress: lengthen it
    if (run.steps === lastSteps) chunkMs *= 2;
    lastSteps = run.steps;
    checkpoint = sol.checkpoint();
    if (o.checkpointFile !== undefined)
      writeFileAtomic(o.checkpointFile, JSON.stringify({ key, checkpoint }));
    o.onProgress?.({ time: run.time, logLoss: run.logLoss, steps: run.steps });
    if (o.shouldStop?.()) return undefined;
  }
}

function toResult(sol: FlowSolution, timeScale: 'physical' | 'loss-normalized'): TrainResult {
  const r = sol.runs[0]!;
  const h = sol.history[0]!;
  return {
    status: r.status,
    message: r.message ?? null,
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
    history: {
      time: [...h.time],
      loss: [...h.loss],
      logLoss: [...h.logLoss],
      margin: [...h.margin],
      normalizedMargin: [...h.normalizedMargin],
    },
  };
}

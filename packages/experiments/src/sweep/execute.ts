import { performance } from 'node:perf_hooks';
import { selectBackend } from '@implicit-bias/backend';
import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { judgeTrained } from '../compare-run.js';
import { PointInterruptedError } from '../experiment.js';
import type { PredictionJson } from '../predict.js';
import type { RunConfig } from '../run-config.js';
import { POINT_CHUNK_MS } from '../suite/compare-point.js';
import { trainRun } from '../train.js';
import { prepareRun } from '../resolve.js';

/**
 * Where a backend plug-in lives, so that worker threads (which cannot receive plug-in objects)
 * can import it: the module specifier and the name of its export.
 */
export interface PluginRef {
  /** Module specifier, e.g. `'@implicit-bias/backend-tfjs'`. */
  readonly module: string;
  /** Export name, e.g. `'tfjsCpuPlugin'`. */
  readonly export: string;
}

/** The judged metrics of a finished run, stored as its result summary. */
export interface RunSummary {
  /** How the flow ended (`converged`, `max-steps`, …). */
  readonly flowStatus: string;
  /** Which stop condition ended the run (`loss`, `time`, `steps`, …). */
  readonly stoppedBy: string;
  /** The solver's message when the run did not converge cleanly. */
  readonly message: string | null;
  /** Accepted solver steps. */
  readonly steps: number;
  /** Flow time reached. */
  readonly time: number;
  /** The time scale `time` is measured in. */
  readonly timeScale: 'physical' | 'loss-normalized';
  /** Final training loss. */
  readonly loss: number;
  /** Natural logarithm of the final loss. */
  readonly logLoss: number;
  /** Final minimum margin (classification; for regression, of the residual convention). */
  readonly margin: number;
  /** Final margin divided by ‖β‖ raised to the depth. */
  readonly normalizedMargin: number;
  /** Drift of the flow's conserved quantities (a solver accuracy check). */
  readonly invariantDrift: {
    /** Largest drift of the layer-norm differences, conserved by gradient flow. */
    readonly layerNorm: number;
    /** Drift of the odeco invariant, where the network has one. */
    readonly odeco?: number;
  };
  /** The end-to-end linear predictor β the run reached. */
  readonly beta: number[];
  /** Relative distance (regression) or 1 − cos (classification) to the prediction; null without one. */
  readonly distance: number | null;
  /** The theory's prediction, or why there is none for this config. */
  readonly prediction:
    | PredictionJson
    | {
        /** Why the theory predicts nothing for this config. */
        readonly notSupported: string;
      };
  /** Solver-free certificates of the trained point (see `judgeTrained`). */
  readonly certificates: Record<string, number>;
}

/** Wall-clock timings of a run in milliseconds (never part of its identity or its results). */
export interface RunTimings {
  /** ISO time the run started. */
  readonly startedAt: string;
  /** ISO time the run finished. */
  readonly finishedAt: string;
  /** Milliseconds spent training. */
  readonly trainMs: number;
  /** Milliseconds spent predicting and judging. */
  readonly judgeMs: number;
  /** Milliseconds in all. */
  readonly totalMs: number;
}

/** The outcome of one sweep run, as a worker returns it and the store keeps it. */
export interface RunOutcome {
  /** `done` when the run trained and was judged, `failed` when it threw. */
  readonly status: 'done' | 'failed';
  /** The judged metrics (null for a failed run). */
  readonly summary: RunSummary | null;
  /** Final parameters, one array per layer. */
  readonly params: number[][] | null;
  /** The error message of a failed run. */
  readonly error: string | null;
  /** Wall-clock timings. */
  readonly timings: RunTimings;
}

/** Input of {@link executeRun}. */
export interface ExecuteRunInput {
  /** The validated run config. */
  readonly config: RunConfig;
  /** Directory that relative `data.file` paths resolve against (the spec file's directory). */
  readonly baseDir: string;
  /** Extra backend plug-ins (the CPU one is always available). */
  readonly plugins?: readonly PluginRef[];
}

const pluginCache = new Map<string, BackendPlugin>();

async function loadPlugins(refs: readonly PluginRef[]): Promise<BackendPlugin[]> {
  const out: BackendPlugin[] = [cpuPlugin];
  for (const r of refs) {
    const key = `${r.module}#${r.export}`;
    let p = pluginCache.get(key);
    if (p === undefined) {
      const mod = (await import(r.module)) as Record<string, unknown>;
      p = mod[r.export] as BackendPlugin;
      pluginCache.set(key, p);
    }
    if (p.id !== 'cpu') out.push(p);
  }
  return out;
}

/**
 * Train one sweep run to the end (no checkpoints: a run is the unit of work) and judge it
 * against the theory. Never throws for a problem of the run itself: that becomes a `failed`
 * outcome with the error message, so one bad run does not stop a sweep. Throws
 * {@link PointInterruptedError} only when `control.shouldStop` stopped it.
 */
export async function executeRun(
  input: ExecuteRunInput,
  control: {
    /**
     * In-thread runs only: checked between short chunks of the solve, which yields to the event
     * loop in between; when true the run stops and {@link PointInterruptedError} is thrown.
     */
    readonly shouldStop?: () => boolean;
  } = {},
): Promise<RunOutcome> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  let trainMs = 0;
  try {
    const { config } = input;
    const { data, network, init } = await prepareRun(config, input.baseDir);
    const backend = await selectBackend(config.backend, {
      plugins: await loadPlugins(input.plugins ?? []),
      env: {},
    });
    let train;
    try {
      const stop = control.shouldStop;
      train = await trainRun(config, network, data, init, {
        backend,
        ...(stop ? { shouldStop: stop, chunkMs: POINT_CHUNK_MS } : {}),
      });
    } finally {
      await backend.close();
    }
    if (train === undefined) throw new PointInterruptedError('the sweep run');
    trainMs = performance.now() - t0;
    const judged = await judgeTrained(config, network, data, init, train);
    const total = performance.now() - t0;
    return {
      status: 'done',
      summary: {
        flowStatus: train.status,
        stoppedBy: train.stoppedBy,
        message: train.message,
        steps: train.steps,
        time: train.time,
        timeScale: train.timeScale,
        loss: train.loss,
        logLoss: train.logLoss,
        margin: train.margin,
        normalizedMargin: train.normalizedMargin,
        invariantDrift: train.invariantDrift,
        beta: train.beta,
        distance: judged.distance,
        prediction: judged.prediction,
        certificates: judged.certificates,
      },
      params: train.params,
      error: null,
      timings: {
        startedAt,
        finishedAt: new Date().toISOString(),
        trainMs,
        judgeMs: total - trainMs,
        totalMs: total,
      },
    };
  } catch (e) {
    if (e instanceof PointInterruptedError) throw e; // not an outcome: the run did not finish
    const total = performance.now() - t0;
    return {
      status: 'failed',
      summary: null,
      params: null,
      error: e instanceof Error ? e.message : String(e),
      timings: {
        startedAt,
        finishedAt: new Date().toISOString(),
        trainMs: trainMs || total,
        judgeMs: trainMs ? total - trainMs : 0,
        totalMs: total,
      },
    };
  }
}

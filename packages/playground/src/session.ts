import type { Backend } from '@implicit-bias/backend';
import { ImplicitBiasError, oneMinusCos, relativeDistance, tolerance } from '@implicit-bias/core';
import type { Precision } from '@implicit-bias/core';
import { gaussianRegression, separableClassification } from '@implicit-bias/datasets';
import type { Dataset, Task } from '@implicit-bias/datasets';
import { FLOW_DEFAULTS, startFlow, TOLERANCE_PRESETS } from '@implicit-bias/flow';
import type { FlowOptions, FlowSolution, LossName } from '@implicit-bias/flow';
import { convolutional, diagonal, fullyConnected, initialize } from '@implicit-bias/networks';
import type { InitSpec, LinearTensorNetwork } from '@implicit-bias/networks';
import { predictClassification, predictRegression } from '@implicit-bias/theory';

/** The networks the playground offers. */
export type NetworkKind = 'diagonal' | 'fully-connected' | 'convolutional';

/** Where the data of a run comes from. */
export type DataSource =
  | {
      /** A generated set: Gaussian regression (3-sparse planted β) or separable classification. */
      readonly source: 'generated';
      /** Number of samples. */
      readonly n: number;
      /** Number of features. */
      readonly d: number;
      /** Integer seed. */
      readonly seed: number;
    }
  | {
      /** A dataset pasted as CSV (read with `readPastedData`). */
      readonly source: 'pasted';
      /** The parsed dataset; its task must be the run's task. */
      readonly dataset: Dataset;
    };

/** What the user picked in the playground's form. */
export interface PlaygroundSettings {
  /** Network architecture. */
  readonly network: NetworkKind;
  /** Depth L (number of layers, ≥ 1). */
  readonly depth: number;
  /** Initialization scale α (> 0). */
  readonly alpha: number;
  /** Regression (squared loss) or classification (exponential loss). */
  readonly task: Task;
  /** The data. */
  readonly data: DataSource;
}

/** The theory's prediction for a run, or why there is none. */
export type PlaygroundPrediction =
  | {
      /** The predicted limit β (regression) or direction (classification). */
      readonly beta: Float64Array;
      /** Whether the theorem is exact for this network (false: a reference point only). */
      readonly exact: boolean;
      /** What was computed, e.g. `argmin Q` or `max-margin`. */
      readonly reference: string;
    }
  | { readonly notSupported: string };

/** A run ready to integrate: network, data, initial parameters, loss and prediction. */
export interface PreparedRun {
  /** The settings it was made from. */
  readonly settings: PlaygroundSettings;
  /** The network. */
  readonly network: LinearTensorNetwork;
  /** The data. */
  readonly dataset: Dataset;
  /** Initial parameters, one vector per layer. */
  readonly init: Float64Array[];
  /** Squared loss for regression, exponential loss for classification. */
  readonly loss: LossName;
  /** The theory's prediction. */
  readonly prediction: PlaygroundPrediction;
}

/** A saved point of the trajectory, for plotting. */
export interface TrajectoryPoint {
  /** Flow time. */
  readonly time: number;
  /** Training loss. */
  readonly loss: number;
  /** Normalized margin. */
  readonly normalizedMargin: number;
  /** Distance to the prediction (as in {@link RunFrame}); undefined without a prediction. */
  readonly distance: number | undefined;
}

/** One live update of a running flow. */
export interface RunFrame {
  /** Flow time reached (physical time for regression, loss-normalized for classification). */
  readonly time: number;
  /** Accepted integrator steps so far. */
  readonly steps: number;
  /** Training loss. */
  readonly loss: number;
  /** Normalized margin `min_i y_i f(x_i) / ‖Θ‖^L` (regression: `−max|f − y|` normalized). */
  readonly normalizedMargin: number;
  /** The end-to-end vector β. */
  readonly beta: Float64Array;
  /**
   * Distance to the prediction: relative `‖β − β*‖/‖β*‖` (regression) or `1 − cos(β, β*)`
   * (classification); undefined without a prediction.
   */
  readonly distance: number | undefined;
  /**
   * The trajectory since the previous frame, oldest first: the flow's saved snapshots
   * (log-spaced within each chunk), the first frame starting at t = 0.
   */
  readonly points: readonly TrajectoryPoint[];
  /** True for the last frame. */
  readonly done: boolean;
  /** The flow's status (`converged`, `max-steps`, …); `running` until done. */
  readonly status: string;
  /** Why the run ended badly, when it did. */
  readonly message?: string;
}

/** Options of {@link runPlayground}. */
export interface RunPlaygroundOptions {
  /** Called after every chunk with the current state (and once at the end with `done`). */
  readonly onFrame?: (frame: RunFrame) => void;
  /** Milliseconds of integration between frames, read on {@link RunPlaygroundOptions.clock} (default 100). */
  readonly chunkMs?: number;
  /**
   * The milliseconds clock that measures `chunkMs` (default `Date.now`), passed to the flow as
   * its `clock`. Inject a deterministic one (e.g. one that advances by 1 per call) to cut a run
   * into reproducible chunks independent of the machine's speed.
   */
  readonly clock?: () => number;
  /**
   * Awaited between chunks so that a page can repaint (default: a zero-delay timer, which lets
   * the browser handle input and paint).
   */
  readonly pause?: () => Promise<void>;
  /** Checked between chunks; returning true ends the run early (status `stopped`). */
  readonly shouldStop?: () => boolean;
}

/** Largest depth, dimension and sample count the playground accepts (it runs in a page). */
export const PLAYGROUND_LIMITS = { depth: 6, d: 64, n: 64 } as const;

/**
 * The distance to the prediction below which the page reports agreement on a backend of
 * `precision`: the backend's rounding amplified over ~1000 operations (`tolerance(precision,
 * 1000)`, the bound the flow's cross-backend tests use), but never below 1e-6, the accuracy
 * the float64 integrator and stopping rule reach (the RQ1 experiment's threshold).
 */
export function distanceTolerance(precision: Precision): number {
  return Math.max(tolerance(precision, 1000).rtol, 1e-6);
}

function checkInt(v: number, lo: number, hi: number, path: string): number {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer from ${lo} to ${hi}, got ${String(v)}`,
      { path },
    );
  }
  return v;
}

function makeNetwork(kind: NetworkKind, d: number, depth: number): LinearTensorNetwork {
  switch (kind) {
    case 'diagonal':
      return diagonal({ dim: d, depth });
    case 'convolutional':
      return convolutional({ dim: d, depth });
    case 'fully-connected':
      return fullyConnected({ inputDim: d, hidden: Array.from({ length: depth - 1 }, () => d) });
    default:
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `unknown network ${JSON.stringify(kind)}; choose diagonal, fully-connected or convolutional`,
        { path: 'network' },
      );
  }
}

function makeData(settings: PlaygroundSettings): Dataset {
  const data = settings.data;
  if (data.source === 'pasted') {
    if (data.dataset.task !== settings.task) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `the pasted data was read for ${data.dataset.task}, but the task is ${settings.task}; paste it again`,
        { path: 'data' },
      );
    }
    checkInt(data.dataset.meta.n, 1, PLAYGROUND_LIMITS.n, 'data.n');
    checkInt(data.dataset.meta.d, 1, PLAYGROUND_LIMITS.d, 'data.d');
    return data.dataset;
  }
  const n = checkInt(data.n, 1, PLAYGROUND_LIMITS.n, 'data.n');
  const d = checkInt(data.d, 1, PLAYGROUND_LIMITS.d, 'data.d');
  if (settings.task === 'regression') {
    return gaussianRegression({ n, d, seed: data.seed, sparsity: Math.min(3, d) });
  }
  return separableClassification({ n, d, seed: data.seed, separator: 'dense', margin: 0.1 });
}

/**
 * Build a run from the form's settings: the network, the data, the theorem's initialization
 * (odeco networks: `|U_lᵀv_l| = α`, last layer 0; fully connected: i.i.d. Gaussian layers of
 * scale α/√d) and the theory's prediction (regression: argmin Q for odeco networks, min-ℓ2 for
 * fully connected; classification: the max-margin direction). Bad settings throw
 * `ImplicitBiasError` naming the field.
 */
export async function prepareRun(settings: PlaygroundSettings): Promise<PreparedRun> {
  const depth = checkInt(settings.depth, 1, PLAYGROUND_LIMITS.depth, 'depth');
  if (!(Number.isFinite(settings.alpha) && settings.alpha > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a finite number > 0, got ${String(settings.alpha)}`,
      { path: 'alpha' },
    );
  }
  if (settings.task !== 'regression' && settings.task !== 'classification') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `unknown task ${JSON.stringify(settings.task)}; choose regression or classification`,
      { path: 'task' },
    );
  }
  const dataset = makeData(settings);
  const d = dataset.X.cols;
  const network = makeNetwork(settings.network, d, depth);
  const spec: InitSpec =
    settings.network === 'fully-connected'
      ? { scheme: 'gaussian', scale: settings.alpha / Math.sqrt(d), seed: 1 }
      : { scheme: 'odeco', scale: settings.alpha, shape: 'ones', seed: 1 };
  const init = initialize(network, spec)[0]!;
  const data = { X: dataset.X, y: dataset.y };
  const raw =
    settings.task === 'regression'
      ? predictRegression(network, data, { alpha: settings.alpha })
      : await predictClassification(network, data);
  const prediction: PlaygroundPrediction =
    'notSupported' in raw
      ? { notSupported: raw.notSupported }
      : {
          beta: raw.beta,
          // fully connected regression starts from Gaussian layers, so min-ℓ2 is only the
          // α → 0 reference point; a predictor that did not converge is no exact limit either
          exact:
            raw.exact &&
            !(settings.network === 'fully-connected' && settings.task === 'regression') &&
            !('status' in raw && raw.status !== 'converged'),
          reference: raw.reference,
        };
  return {
    settings,
    network,
    dataset,
    init,
    loss: settings.task === 'regression' ? 'squared' : 'exponential',
    prediction,
  };
}

/**
 * Integration settings of a prepared run on a backend of `precision`. Regression integrates
 * physical time until the loss reaches what the precision can resolve (1e-20 in float64,
 * 1e-11 in float32, where residuals bottom out near 1e-7); classification integrates the
 * loss-normalized time until the margin reaches 20 (convergence in direction is only
 * logarithmic, so the gap to the max-margin direction stays visible).
 */
export function flowSettings(run: PreparedRun, precision: Precision): FlowOptions {
  const f32 = precision === 'float32';
  const method = FLOW_DEFAULTS.interactiveMethod;
  if (run.settings.task === 'regression') {
    return {
      method,
      ...TOLERANCE_PRESETS.regressionLimit[precision],
      until: { loss: f32 ? 1e-11 : 1e-20, time: 1e9, steps: 20_000 },
      locateEvents: false,
      save: { count: 16 },
    };
  }
  return {
    method,
    ...TOLERANCE_PRESETS.interactiveClassification[precision],
    time: 'loss-normalized',
    until: { margin: 20, steps: 20_000 },
    locateEvents: false,
    save: { count: 16 },
  };
}

function distanceOf(run: PreparedRun, beta: ArrayLike<number>): number | undefined {
  const p = run.prediction;
  if ('notSupported' in p) return undefined;
  return run.settings.task === 'regression'
    ? relativeDistance(beta, p.beta)
    : oneMinusCos(beta, p.beta);
}

function frameOf(run: PreparedRun, sol: FlowSolution, done: boolean, after: number): RunFrame {
  const r = sol.runs[0];
  if (r === undefined) {
    throw new ImplicitBiasError('INTERNAL', 'the flow returned no run', { path: 'flow' });
  }
  const distance = distanceOf(run, r.beta);
  const points = (sol.saved[0] ?? [])
    .filter((s) => s.time > after)
    .map((s) => ({
      time: s.time,
      loss: s.loss,
      normalizedMargin: s.normalizedMargin,
      distance: distanceOf(run, s.beta),
    }));
  return {
    time: r.time,
    steps: r.steps,
    loss: r.loss,
    normalizedMargin: r.normalizedMargin,
    beta: r.beta,
    distance,
    points,
    done,
    status: done ? r.status : 'running',
    ...(done && r.message !== undefined ? { message: r.message } : {}),
  };
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Integrate a prepared run on `backend` with `startFlow`, advancing it in chunks of `chunkMs` on
 * `options.clock` (wall time by default; the chunks do not change the trajectory, which is the
 * one uninterrupted solve), calling `onFrame` after each chunk so a page can plot the flow live.
 * Resolves with the last frame.
 */
export async function runPlayground(
  run: PreparedRun,
  backend: Backend,
  options: RunPlaygroundOptions = {},
): Promise<RunFrame> {
  const base = flowSettings(run, backend.precision);
  const chunkMs = options.chunkMs ?? 100;
  const pause = options.pause ?? nextTask;
  const problem = {
    network: run.network,
    X: run.dataset.X,
    y: run.dataset.y,
    loss: run.loss,
    init: [run.init],
    backend,
  };
  const flow = startFlow(problem, {
    ...base,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  try {
    let after = -Infinity;
    for (;;) {
      const { done } = flow.advance({ wallMs: chunkMs });
      const frame = frameOf(run, flow.solution(), done, after);
      after = frame.time;
      options.onFrame?.(frame);
      if (done) return frame;
      if (options.shouldStop?.() === true) {
        const stopped = { ...frame, points: [], done: true, status: 'stopped' };
        options.onFrame?.(stopped);
        return stopped;
      }
      await pause();
    }
  } finally {
    flow.dispose();
  }
}

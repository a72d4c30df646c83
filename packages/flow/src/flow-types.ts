import type { Backend } from '@implicit-bias/backend';
import type { HostMatrix } from '@implicit-bias/core';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import type { MethodName } from './stepper.js';
import type { LossName } from './losses.js';
import type { TimeScale } from './network-field.js';
import type { FlowCheckpoint } from './checkpoint.js';
import type { EventQuantity } from './event-quantity.js';

export type { EventQuantity };

/** A data matrix `[n, d]`: a HostMatrix or an array of rows. */
export type DataMatrix = HostMatrix | readonly (readonly number[])[];

/** A vector of labels or targets. */
export type DataVector = Float64Array | readonly number[];

/** A gradient-flow problem: a network, data, a loss, initial parameters of every run, a backend. */
export interface FlowProblem {
  /** The linear tensor network to train. */
  readonly network: LinearTensorNetwork;
  /**
   * Data `[n, d]`, rows are samples, shared by every run; or one data set per run
   * (`[X_0, …, X_{B−1}]`, B = `init.length`, each `[n, d]` with the same n), in which case the
   * runs still advance together in one batched evaluation.
   */
  readonly X: DataMatrix | readonly DataMatrix[];
  /**
   * Labels (±1 for classification losses) or regression targets, length n: one vector for every
   * run, or (only with one X per run) one vector per run `[y_0, …, y_{B−1}]`.
   */
  readonly y: DataVector | readonly DataVector[];
  /** Loss. */
  readonly loss: LossName;
  /** Initial parameters `[run][layer]` (as returned by `initialize` of `@implicit-bias/networks`). */
  readonly init: readonly (readonly (Float64Array | readonly number[])[])[];
  /** Backend that evaluates the network. */
  readonly backend: Backend;
}

/**
 * When a run stops: any condition met stops it (combinable). Targets (`loss`, `logLoss`,
 * `gradNorm`, `margin`, `normalizedMargin`) are checked after every accepted step; `margin`,
 * `loss` and `logLoss` crossings are located to `locateTol` by re-stepping. Horizons (`time`,
 * `steps`) end a run as `converged` only when no target is given (a fixed-horizon run); with a
 * target, reaching a horizon first is `max-time` or `max-steps`.
 */
export interface StopConditions {
  /**
   * Horizon: integrate to this time (steps land on it exactly for adaptive methods). Status
   * `converged` when it is the only kind of condition, else `max-time` (a target was not reached).
   */
  readonly time?: number;
  /**
   * Horizon: stop after this many accepted steps in total (counting across resumes). Status
   * `converged` when no target is given, else `max-steps`.
   */
  readonly steps?: number;
  /** Stop when `𝓛 ≤ loss`. */
  readonly loss?: number;
  /** Stop when `log 𝓛 ≤ logLoss`. */
  readonly logLoss?: number;
  /** Stop when the norm of the integrated field `‖dΘ/dt‖` (`‖∇𝓛‖` in physical time) is at most this. */
  readonly gradNorm?: number;
  /** Stop when the margin `min_i y_i f(x_i)` reaches this (classification). */
  readonly margin?: number;
  /** Stop when the normalized margin `min_i y_i f(x_i) / ‖Θ‖^L` reaches this (classification). */
  readonly normalizedMargin?: number;
  /** Stop every run after this much wall-clock time (status `time-limit`). */
  readonly wallMs?: number;
}

/** Which snapshots to keep. */
export interface SaveOptions {
  /**
   * At most this many snapshots per run (default 100): taken at log-spaced times (the first
   * accepted step at or after each), thinned to every other one when full. The initial and final
   * points are always kept.
   */
  readonly count?: number;
  /** Exact times to save at instead (adaptive steps are clipped to land on them). */
  readonly times?: readonly number[];
  /**
   * Also save where the margin `min_i y_i f(x_i)` first reaches each of these values
   * (classification): located to `locateTol` by re-stepping when `locateEvents` is on, else the
   * first accepted step at or past it. Tagged `savedFor` in `saved`; never thinned.
   */
  readonly margins?: readonly number[];
  /** Also save where the loss `𝓛` first falls to each of these values (any loss), like `margins`. */
  readonly losses?: readonly number[];
}

/**
 * A non-terminal event: every crossing of `on` through `value` is recorded in
 * `solution.events[run]` (and passed to `onEvent`) without stopping the run.
 */
export interface FlowEvent {
  /** Name, copied into the records. */
  readonly name: string;
  /** Quantity watched (`margin` and `normalizedMargin` need a classification loss). */
  readonly on: EventQuantity;
  /** Level (`loss`: > 0). */
  readonly value: number;
  /** Crossings to record: the quantity `'rising'` or `'falling'` through the level, or `'either'` (default). */
  readonly direction?: 'rising' | 'falling' | 'either';
}

/** A recorded crossing of a {@link FlowEvent}: where it happened and the run's state there. */
export interface EventRecord {
  /** The event's name. */
  readonly name: string;
  /** Quantity watched. */
  readonly on: EventQuantity;
  /** Its level. */
  readonly value: number;
  /** Which way the quantity crossed. */
  readonly direction: 'rising' | 'falling';
  /** Time of the crossing (located to `locateTol` when `locateEvents` is on). */
  readonly time: number;
  /** `𝓛` there. */
  readonly loss: number;
  /** `log 𝓛` there. */
  readonly logLoss: number;
  /** Margin there (see {@link Snapshot.margin}). */
  readonly margin: number;
  /** Normalized margin there. */
  readonly normalizedMargin: number;
  /** `‖Θ‖` there. */
  readonly paramNorm: number;
  /** Accepted steps of the run when it was recorded. */
  readonly step: number;
}

/** What `onProgress` receives. */
export interface ProgressInfo {
  /** Wall-clock milliseconds in this call. */
  readonly elapsedMs: number;
  /** Runs still advancing. */
  readonly activeRuns: number;
  /** Accepted steps of all runs. */
  readonly accepted: number;
  /** Current time of each run. */
  readonly time: readonly number[];
  /** Current log-loss of each run. */
  readonly logLoss: readonly number[];
}

/** Options of {@link solveFlow}. */
export interface FlowOptions {
  /** Integration method (default `'auto'`: dopri5 switching to `radau5` when stiff; see `FLOW_DEFAULTS`). */
  readonly method?: MethodName;
  /**
   * Relative tolerance, in (0, 1]. Default by the backend's precision (`defaultTolerances`):
   * 1e-8 on float64, 1e-5 on float32. A value below `10·ε` of the precision is kept but warned
   * about once per solve (see `onWarning`).
   */
  readonly rtol?: number;
  /** Absolute tolerance, finite and > 0 (default 1e-12 on float64, 1e-8 on float32). */
  readonly atol?: number;
  /**
   * Receives warnings (a requested `rtol` below what the backend's precision can deliver).
   * Default: `process.emitWarning` where it exists, else `console.warn`.
   */
  readonly onWarning?: (message: string) => void;
  /** Fixed step for `gd` and `rk4` (required there); the first step for adaptive methods. */
  readonly stepSize?: number;
  /**
   * Error scale of the step-size controller: `'componentwise'` (each parameter relative to itself)
   * or `'norm'` (relative to the size of the whole parameter vector of the run). Default: `'norm'`
   * under the loss-normalized time (parameters grow without bound while some decay), else
   * `'componentwise'`.
   */
  readonly errorScale?: 'componentwise' | 'norm';
  /** Largest step for adaptive methods (default unlimited). */
  readonly maxStepSize?: number;
  /** Physical time `dΘ/dt = −∇𝓛` (default) or the time change `dΘ/dσ = −‖Θ‖^{2−L}∇ log 𝓛`. */
  readonly time?: TimeScale;
  /** Stop conditions (at least one is required). */
  readonly until: StopConditions;
  /** Snapshots. */
  readonly save?: SaveOptions;
  /** Non-terminal events, recorded in `solution.events` (see {@link FlowEvent}). */
  readonly events?: readonly FlowEvent[];
  /** Called with each event crossing as it is recorded (not again for those of a checkpoint). */
  readonly onEvent?: (event: EventRecord, run: number) => void;
  /** Called at most every `progressThrottleMs` while runs advance. */
  readonly onProgress?: (info: ProgressInfo) => void;
  /** Minimum milliseconds between `onProgress` calls (default 250). */
  readonly progressThrottleMs?: number;
  /** Throw an `ImplicitBiasError` instead of returning a failed status. */
  readonly throwOnFailure?: boolean;
  /**
   * Safety cap on attempted (accepted + rejected) steps per run, counting across resumes (default
   * 1,000,000; status `max-steps`, stopped by `maxSteps`). The run config field is `flow.maxSteps`.
   */
  readonly maxSteps?: number;
  /**
   * Milliseconds clock for `until.wallMs`, the `onProgress` throttle and `stats.wallMs` (default
   * `Date.now`). Inject a deterministic one to cut a solve into reproducible chunks.
   */
  readonly clock?: () => number;
  /**
   * Locate `margin`/`loss`/`logLoss` crossings by re-stepping (default true). A search cut by a
   * `wallMs` stop is part of the checkpoint and continues on resume.
   */
  readonly locateEvents?: boolean;
  /** Relative accuracy of located crossings (default 1e-12 on float64, 1e-6 on float32). */
  readonly locateTol?: number;
  /**
   * Consecutive stiffness detections of dopri5 (Hairer's test `h·ρ > 3.25`, `ρ ≈ ‖k₇ − k₆‖/‖y₇ − y₆‖`)
   * before `auto` switches to radau5, or before an explicit `dopri5` run stops with status `stiff`
   * (default 15, as in Hairer's DOPRI5).
   */
  readonly stiffSwitch?: number;
  /**
   * What an explicit `dopri5` run does when its step size is bound by stability rather than
   * accuracy (see `stiffSwitch`): `'stop'` (default) ends it with status `stiff` and a message
   * suggesting `method: 'auto'` or `'radau5'`; `'ignore'` keeps integrating (to reproduce
   * fixed-budget runs). Other methods ignore it (`auto` switches to radau5 instead).
   */
  readonly stiffness?: 'stop' | 'ignore';
  /**
   * Memory budget in bytes for the stiff steppers' Jacobians (default: `memoryBudget()` of
   * `@implicit-bias/networks`: `IMPLICIT_BIAS_MEMORY_BUDGET`, else 4 GiB). `radau5`/`rodas4`
   * whose Jacobians (15 or 4 dense `dim × dim` matrices per run) exceed it are refused with
   * `INVALID_CONFIG` at `options.method`; `auto` then stays with dopri5 and says so in the run's
   * message.
   */
  readonly memoryBudget?: number;
  /**
   * Stall threshold (default 1e-8). Classification: stalled when the field norm falls below this
   * fraction of its maximum with margin ≤ 0. Regression (squared loss): stalled when the field
   * norm falls below this fraction of its maximum while the loss is at the least-squares minimum
   * `½‖(I − P)y‖²` of the data (no exact fit), within `1e-6` of it relative.
   */
  readonly stallTol?: number;
}

/**
 * Status of a run or of the whole solve (each failure status has its own message):
 * - `converged`: the run's own stop rule held: a target was reached, or (with no target given) a
 *   horizon `until.time` / `until.steps`.
 * - `max-steps`: a step cap came first: `until.steps` while a target was given (stopped by
 *   `steps`), or the safety cap `options.maxSteps` (run config `flow.maxSteps`; stopped by
 *   `maxSteps`).
 * - `max-time`: the horizon `until.time` came before a target (stopped by `time`), or the time
 *   variable outgrew `1e300`.
 * - `time-limit`: `until.wallMs` of wall-clock time passed (a chunk; resumable).
 * - `stiff`: an explicit `dopri5` run is limited by stability, not accuracy (`options.stiffness`).
 * - `stalled`: the loss stopped decreasing above the target: non-separable classification data,
 *   regression data without an exact fit, or a zero gradient (stopped by `stationary`).
 * - `non-finite`: the loss, its logarithm, the gradient or the state overflowed or became NaN.
 * - `running`: only in `FlowRun.solution()` between `advance` calls: the run has not stopped yet
 *   (stopped by `paused`); never the result of `solveFlow`.
 */
export type FlowStatus =
  | 'converged'
  | 'max-steps'
  | 'max-time'
  | 'time-limit'
  | 'stiff'
  | 'non-finite'
  | 'stalled'
  | 'running';

/** Which condition stopped a run. */
export type StopReason =
  | 'time'
  | 'steps'
  | 'loss'
  | 'logLoss'
  | 'gradNorm'
  | 'margin'
  | 'normalizedMargin'
  | 'wallMs'
  | 'maxSteps'
  | 'stiff'
  | 'non-finite'
  | 'stalled'
  | 'stationary'
  | 'paused';

/** A point of a run's trajectory. */
export interface Snapshot {
  /** Time of the point (physical time, or σ under the loss-normalized time). */
  readonly time: number;
  /** Parameters per layer. */
  readonly params: Float64Array[];
  /** End-to-end vector β. */
  readonly beta: Float64Array;
  /** `𝓛` (underflows to 0 at large margins; see `logLoss`). */
  readonly loss: number;
  /** `log 𝓛`, exact at any margin for the classification losses. */
  readonly logLoss: number;
  /** `min_i y_i f(x_i)` (classification) or `−max_i |f(x_i) − y_i|` (regression). */
  readonly margin: number;
  /** `margin / ‖Θ‖^L`. */
  readonly normalizedMargin: number;
  /** The `save.margins` / `save.losses` level this snapshot was taken for, if any. */
  readonly savedFor?: {
    /** The quantity whose level was reached. */
    readonly on: 'margin' | 'loss';
    /** The level. */
    readonly value: number;
  };
}

/** Max `|I(t) − I(0)|` of the conserved quantities (docs/theory/tensor-formulation.md) over accepted steps. */
export interface InvariantDrift {
  /** Layer-norm invariants `‖v_l‖² − ‖v_L‖²`. */
  readonly layerNorm: number;
  /** Per-coordinate odeco invariants (real odeco networks only). */
  readonly odeco?: number;
}

/** Final state and outcome of one run. */
export interface RunResult extends Snapshot {
  /** How the run ended. */
  readonly status: FlowStatus;
  /** The condition that stopped the run. */
  readonly stoppedBy: StopReason;
  /** A sentence explaining a failure status. */
  readonly message?: string;
  /** `‖dΘ/dt‖` of the integrated field at the end. */
  readonly gradNorm: number;
  /** Accepted steps so far. */
  readonly steps: number;
  /** Stepper in use at the end (`auto` may have switched to radau5). */
  readonly stepper: string;
  /** Drift of the conserved quantities over the run. */
  readonly invariantDrift: InvariantDrift;
}

/** Loss and margin history of a run at its saved points. */
export interface RunHistory {
  /** Times of the saved points. */
  readonly time: number[];
  /** `𝓛` at the saved points. */
  readonly loss: number[];
  /** `log 𝓛` at the saved points. */
  readonly logLoss: number[];
  /** Margins at the saved points (see {@link Snapshot.margin}). */
  readonly margin: number[];
  /** Normalized margins at the saved points. */
  readonly normalizedMargin: number[];
}

/** Work counters, summed over runs. */
export interface FlowStats {
  /** Accepted steps (trial steps of event searches included). */
  readonly accepted: number;
  /** Rejected steps. */
  readonly rejected: number;
  /** Field evaluations (one per run per evaluation), excluding those inside Jacobians. */
  readonly fieldEvals: number;
  /**
   * Jacobians of the field for the stiff steppers. They are exact (`networkJacobian`: one forward
   * pass and two batched gradient calls of `n` and `Σk_l` rows), not differences of the field.
   */
  readonly jacobianEvals: number;
  /** Wall-clock milliseconds (cumulative across resumes). */
  readonly wallMs: number;
}

/** Result of {@link solveFlow}. */
export interface FlowSolution {
  /** `converged` when every run converged, else the most severe run status. */
  readonly status: FlowStatus;
  /** Final state and outcome of each run. */
  readonly runs: RunResult[];
  /** Snapshots `[run][k]`. */
  readonly saved: Snapshot[][];
  /** Loss and margin history of each run at its saved points. */
  readonly history: RunHistory[];
  /** Event crossings `[run][k]` in time order, including those of the checkpoints resumed from. */
  readonly events: EventRecord[][];
  /** Work counters, cumulative across resumes. */
  readonly stats: FlowStats;
  /** Worst drift over runs. */
  readonly invariantDrift: InvariantDrift;
  /** The full integrator state, JSON-serializable, for {@link resumeFlow}. */
  checkpoint(): FlowCheckpoint;
}

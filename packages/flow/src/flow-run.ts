import type { FlowCheckpoint } from './checkpoint.js';
import { advanceMonitorLocate, checkCrossings } from './crossings.js';
import { FLOW_DEFAULTS } from './defaults.js';
import type { FlowOptions, FlowProblem, FlowSolution, FlowStatus } from './flow-types.js';
import { setUpFlow, type FlowEngine } from './flow-setup.js';
import { pack, stepRows, type RowState } from './integrator.js';
import {
  evaluateObservedOf,
  observationAt,
  observingEvaluation,
  type EvaluateObserved,
} from './observed-evaluate.js';
import { StatePool } from './state-pool.js';
import { stepFailureMessage } from './stop-messages.js';
import {
  restoreRow,
  snapshotOf,
  driftMeter,
  type DriftMeter,
  type RunObservation,
  type RunRecord,
} from './run-record.js';
import { maybeSave, nextSaveTime } from './saving.js';
import { buildSolution, throwFailure } from './solution.js';
import { advanceLocate, capStop, checkStops, TIME_LIMIT } from './stops.js';

/** How far one {@link FlowRun.advance} call may go (both limits apply; none: to the end). */
export interface AdvanceLimit {
  /** Iterations of the engine: in each, every unfinished run attempts one step. */
  readonly steps?: number;
  /** Milliseconds of the run's clock (`options.clock`) this call may take. */
  readonly wallMs?: number;
}

/** Where one run stands after {@link FlowRun.advance} (for progress bars). */
export interface RunProgress {
  /** `'running'` while unfinished, else its final status. */
  readonly status: 'running' | FlowStatus;
  /** Accepted steps so far (across resumes). */
  readonly steps: number;
  /** Its current time. */
  readonly time: number;
  /** Its current `log 𝓛`. */
  readonly logLoss: number;
}

/** What {@link FlowRun.advance} returns. */
export interface AdvanceResult {
  /** Every run has stopped: the solve is finished. */
  readonly done: boolean;
  /** Milliseconds of the run's clock since `startFlow` (plus those of the checkpoints resumed from). */
  readonly wallMs: number;
  /** Where each run stands. */
  readonly runs: readonly RunProgress[];
}

/**
 * A solve in progress, advanced in chunks (scipy's `OdeSolver.step`, diffrax's `init`/`step`):
 * `advance` integrates synchronously until its limit or until every run has stopped, `solution`
 * and `checkpoint` report the state at any point between chunks. Chunks do not change the
 * trajectory: any sequence of `advance` calls gives, bit for bit, the solve of one call.
 */
export interface FlowRun {
  /** Every run has stopped (by a condition, a failure or `until.wallMs`). */
  readonly done: boolean;
  /** Advance every unfinished run until `limit` or until all have stopped. */
  advance(limit?: AdvanceLimit): AdvanceResult;
  /**
   * The solution so far. A run that has not stopped has status `'running'`, `stoppedBy:
   * 'paused'` and a message saying so (never `converged`); a run in the middle of an event
   * search reports the search's base point. Once `done`, exactly what `solveFlow` returns (and,
   * with `throwOnFailure`, throws as it does).
   */
  solution(): FlowSolution;
  /** The JSON-serializable state, for `startFlow(problem, options, { from })` / `resumeFlow`. */
  checkpoint(): FlowCheckpoint;
  /** Release the data held on the backend (done automatically once `done`). */
  dispose(): void;
}

/** Where {@link startFlow} starts. */
export interface StartFrom {
  /** Continue this checkpoint (see `resumeFlow`) instead of starting from `problem.init`. */
  readonly from?: FlowCheckpoint;
}

/**
 * Start a gradient-flow solve of `problem` without integrating yet: validates the input (bad
 * input throws `ImplicitBiasError` naming the field), uploads the data and evaluates the initial
 * points. Drive it with {@link FlowRun.advance}; `start.from` continues a checkpoint.
 */
export function startFlow(
  problem: FlowProblem,
  options: FlowOptions,
  start: StartFrom = {},
): FlowRun {
  return new Run(setUpFlow(problem, options, start.from));
}

class Run implements FlowRun {
  private lastRead: number;
  private lastProgress: number;
  private disposed = false;
  private finished = false;
  /** Runs whose auto switch to radau5 the memory budget prevented. */
  private readonly blocked = new Set<number>();
  private readonly drift: DriftMeter;
  /** The field's evaluation that observes the points too (then they need no `observe`). */
  private readonly evaluateObserved: EvaluateObserved | undefined;
  /** Buffers for the steps' proposed states (steppers that take them). */
  private readonly pool: StatePool | undefined;
  private readonly fPool: StatePool | undefined;

  constructor(private readonly e: FlowEngine) {
    this.evaluateObserved = evaluateObservedOf(e.field);
    this.pool = StatePool.for(e.settings.stepper, e.records);
    this.fPool = StatePool.for(e.settings.stepper, e.records);
    this.lastRead = e.origin;
    this.lastProgress = e.origin;
    this.drift = driftMeter(e.net, e.field.offsets);
    if (this.done) this.finish();
  }

  get done(): boolean {
    return this.e.records.every((r) => r.status !== 'running');
  }

  advance(limit: AdvanceLimit = {}): AdvanceResult {
    const e = this.e;
    const t0 = limit.wallMs !== undefined ? e.clock() : 0;
    const maxIterations = limit.steps ?? Infinity;
    let iterations = 0;
    while (!this.done && iterations < maxIterations) {
      const now = this.iterate();
      iterations += 1;
      if (limit.wallMs !== undefined && now - t0 >= limit.wallMs) break;
    }
    if (!this.finished) this.lastRead = e.clock();
    if (this.done) this.finish();
    else this.pause();
    return {
      done: this.done,
      wallMs: this.wallMs(),
      runs: e.records.map((r) => ({
        status: r.status,
        steps: r.row.accepted,
        time: r.row.t,
        logLoss: r.obs.logLoss,
      })),
    };
  }

  solution(): FlowSolution {
    const s = this.solution0();
    if (this.done && this.e.options.throwOnFailure && s.status !== 'converged')
      throwFailure(s, this.e.classification);
    return s;
  }

  checkpoint(): FlowCheckpoint {
    return this.solution0().checkpoint();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // the field's cached per-run data stacks, then the uploaded data
    this.e.field.dispose();
    this.e.backend.dispose(this.e.uploaded);
  }

  private solution0(): FlowSolution {
    const e = this.e;
    return buildSolution(
      e.records,
      e.field,
      e.net,
      this.wallMs(),
      e.settings.method,
      e.options.time ?? FLOW_DEFAULTS.time,
      e.settings.stepper,
    );
  }

  private wallMs(): number {
    return this.e.wallMsBefore + (this.lastRead - this.e.origin);
  }

  /** All runs stopped: say where auto kept dopri5, release the data. */
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const note = this.e.memory.autoNote;
    if (note !== undefined) {
      for (const rec of this.e.records) {
        if (!this.blocked.has(rec.index)) continue;
        rec.message = rec.message === undefined ? note : `${rec.message}; ${note}`;
      }
    }
    this.dispose();
  }

  /**
   * Between chunks: a run in the middle of an event search goes back to the search's base point
   * (which its next trial step starts from anyway), with that point's observation, so that the
   * solution and the checkpoint report a point before the crossing.
   */
  private pause(): void {
    this.toBase(this.e.records.filter((r) => r.status === 'running'));
  }

  /** Rows of `recs` in an event search go back to its base point, with its observation. */
  private toBase(recs: readonly RunRecord[]): void {
    const e = this.e;
    const searching = recs.filter((r) => r.locate !== undefined);
    if (searching.length === 0) return;
    for (const r of searching) restoreRow(r.row, r.locate!.base);
    const pts = new Float64Array(searching.length * e.dim);
    searching.forEach((r, i) => pts.set(r.row.y, i * e.dim));
    const o = e.field.observe(
      pts,
      searching.length,
      searching.map((r) => r.index),
    );
    searching.forEach((r, i) => {
      r.obs = { loss: o.loss[i]!, logLoss: o.logLoss[i]!, margin: o.margin[i]! };
    });
  }

  /** `until.wallMs` passed: every running run stops with `time-limit`. */
  private timeLimit(active: readonly RunRecord[], wallMs: number): void {
    // an event search in progress stays in the record (and the checkpoint), with the row at the
    // search's base point (and its loss and margin, not the last trial's), so that a resumed
    // solve continues it
    this.toBase(active);
    for (const rec of active) {
      rec.status = 'time-limit';
      rec.stoppedBy = 'wallMs';
      rec.message = `stopped after ${wallMs} ms of wall-clock time at t = ${rec.row.t}`;
    }
  }

  /** One iteration: every running run attempts one step. Returns the clock reading after it. */
  private iterate(): number {
    const e = this.e;
    const { records, settings, ctx, cross, field, net, dim } = e;
    const offsets = field.offsets;
    const until = e.options.until;
    const adaptive = settings.adaptive;
    const saveTimes = e.options.save?.times;
    const saveCount = e.options.save?.count ?? FLOW_DEFAULTS.saveCount;
    const active = records.filter((r) => r.status === 'running');
    if (until.wallMs !== undefined) {
      const read = e.clock();
      if (read - e.origin >= until.wallMs) {
        this.timeLimit(active, until.wallMs);
        return read;
      }
    }
    const slack = (r: RowState): number => (adaptive ? 0 : 0.5 * r.h);
    const save = (rec: RunRecord): void =>
      maybeSave(rec.saves, rec.save, rec.row.t, saveTimes, saveCount, slack(rec.row), () =>
        snapshotOf(rec, net, offsets),
      );
    // a point just reached by a step from `before` (or located): monitors, saving, stops
    const reached = (rec: RunRecord, step: { before: RowState; prevObs: RunObservation }): void => {
      if (checkCrossings(rec, step, cross)) return;
      save(rec);
      checkStops(rec, step, ctx);
    };
    const stepped: {
      rec: RunRecord;
      before: RowState;
      prevObs: RunObservation;
      /** The new point's observation when the evaluation of `F` there gave it. */
      obs: RunObservation | undefined;
    }[] = [];
    const byProduct = this.evaluateObserved;
    for (const locating of [false, true]) {
      const group = active.filter((r) => (r.locate !== undefined) === locating);
      if (group.length === 0) continue;
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
      const before = group.map((r) => ({ ...r.row }));
      // the step's start point (and an event search's base point) keeps the Jacobian computed
      // there, so that a search starting from it, or going on from it, does not recompute it
      const onJacobians = (i: number): void => {
        const j = group[i]!.row.jacobian;
        before[i]!.jacobian = j;
        if (locating) group[i]!.locate!.base.jacobian = j;
      };
      // observations of the new points that the evaluation of F there gives (by group row)
      const observed: (RunObservation | undefined)[] = [];
      // a pooled buffer for the steps from accepted points only: the rows of an event search
      // step from their base points, and must not reuse a buffer that the `before` points of the
      // other group (possible base points) still hold
      const out = locating ? undefined : this.pool?.take(group.length * dim);
      // and one for F at the new points (rows hold views of F as of their states)
      const fOut = locating ? undefined : this.fPool?.take(group.length * dim);
      const outcomes = stepRows(
        field,
        group.map((r) => r.row),
        settings,
        targets,
        locating,
        {
          onJacobian: onJacobians,
          ...(byProduct ? { evaluateAccepted: observingEvaluation(byProduct, observed) } : {}),
          ...(out ? { out } : {}),
          ...(fOut ? { fOut } : {}),
        },
      );
      group.forEach((rec, i) => {
        const o = outcomes[i]!;
        if (o === 'accepted')
          stepped.push({ rec, before: before[i]!, prevObs: rec.obs, obs: observed[i] });
        else if (o === 'failed') {
          rec.status = 'non-finite';
          rec.stoppedBy = 'non-finite';
          rec.message = stepFailureMessage(rec, adaptive, settings.stepper);
        } else if (rec.row.accepted + rec.row.rejected >= ctx.maxSteps) capStop(rec, ctx);
      });
    }
    // the new points not observed by the evaluation of F there (rows stepped together are views
    // of one batch: observed without a copy)
    const unobserved = stepped.filter((s) => s.obs === undefined);
    if (unobserved.length > 0) {
      const packed = pack(
        unobserved.map((s) => s.rec.row),
        (r) => r.y,
        dim,
      );
      const obs = field.observe(
        packed,
        unobserved.length,
        unobserved.map((s) => s.rec.index),
      );
      unobserved.forEach((s, i) => (s.obs = observationAt(obs, i)));
    }
    if (stepped.length > 0) {
      stepped.forEach((s) => {
        const rec = s.rec;
        rec.obs = s.obs!;
        if (
          !e.memory.autoMaySwitch &&
          settings.stepper.describe(rec.row.state).stiffHits >= ctx.stiffSwitch
        )
          this.blocked.add(rec.index);
        this.drift(rec);
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
    const now = e.clock();
    const onProgress = e.options.onProgress;
    const throttle = e.options.progressThrottleMs ?? FLOW_DEFAULTS.progressThrottleMs;
    if (onProgress && now - this.lastProgress >= throttle) {
      this.lastProgress = now;
      onProgress({
        elapsedMs: now - e.origin,
        activeRuns: records.filter((r) => r.status === 'running').length,
        accepted: records.reduce((a, r) => a + r.row.accepted, 0),
        time: records.map((r) => r.row.t),
        logLoss: records.map((r) => r.obs.logLoss),
      });
    }
    return now;
  }
}

/** The next trial step of a run that is locating an event. */
function trialStep(rec: RunRecord): number {
  const l = rec.locate!;
  restoreRow(rec.row, l.base);
  let h = l.hLo - (l.gLo * (l.hHi - l.hLo)) / (l.gHi - l.gLo);
  if (!(h > l.hLo && h < l.hHi)) h = 0.5 * (l.hLo + l.hHi);
  return h;
}

import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ImplicitBiasError } from '@implicit-bias/core';
import { PointInterruptedError } from '../experiment.js';
import { RunClaims } from './claims.js';
import { executeRun } from './execute.js';
import type { ExecuteRunInput, PluginRef, RunOutcome } from './execute.js';
import { shardRuns, storeFileName } from './shard.js';
import type { Shard } from './shard.js';
import { expandSweep, sweepHashOf } from './spec.js';
import type { SweepRun, SweepSpec } from './spec.js';
import { SweepStore } from './store.js';
import type { StoreMeta } from './store.js';

/** Progress of a sweep, reported after every change (start, run finished). */
export interface SweepProgress {
  /** Runs of this shard. */
  readonly total: number;
  /** Runs of this shard stored (by this or an earlier invocation), failed ones included. */
  readonly done: number;
  /** Runs in flight now. */
  readonly running: number;
  /** Stored runs that failed. */
  readonly failed: number;
  /** Runs found stored when the sweep started (skipped). */
  readonly skipped: number;
  /** The run that just finished, if any. */
  readonly last?: {
    /** Its run id. */
    readonly id: string;
    /** Whether it finished or failed. */
    readonly status: 'done' | 'failed';
    /** Its error message when it failed. */
    readonly error: string | null;
  };
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Directory of the store files; the shard's file is created there when missing. */
  readonly storeDir: string;
  /** Directory that relative `data.file` paths resolve against (the spec file's directory). */
  readonly baseDir: string;
  /** The slice to run (default: the whole sweep, `0/1`). */
  readonly shard?: Shard;
  /**
   * Worker threads (default: one per core, at most one per pending run). `0` runs in this
   * thread, one run after another.
   */
  readonly workers?: number;
  /** Backend plug-ins beyond the CPU one, importable by worker threads. */
  readonly plugins?: readonly PluginRef[];
  /** Forget stored failed runs first, so they run again. */
  readonly retryFailed?: boolean;
  /** Called at the start and after each finished run. */
  readonly onProgress?: (p: SweepProgress) => void;
  /**
   * Checked before each run starts; when true no new run starts. Runs in worker threads finish;
   * a run in this thread (`workers: 0`) checks it between short chunks of its solve (yielding
   * to the event loop in between, so a signal handler can set it) and is dropped unfinished.
   */
  readonly shouldStop?: () => boolean;
  /** The worker script (default: the built `dist/sweep/worker.js` of this package). */
  readonly workerFile?: string;
  /**
   * Awaited by each lane before it starts its next run (after the event loop had its turn), with
   * the progress so far: lets a caller pause between runs at a known place (the CLI's test seam).
   */
  readonly betweenRuns?: (p: SweepProgress) => Promise<void>;
}

/** Outcome of {@link runSweep}. */
export interface SweepRunResult {
  /** The store file of the shard. */
  readonly storeFile: string;
  /** Runs in this shard. */
  readonly total: number;
  /** Runs found stored (at the start, or stored meanwhile by another process) and skipped. */
  readonly skipped: number;
  /** Runs executed and stored now. */
  readonly ran: number;
  /** Stored failed runs (of this and earlier invocations). */
  readonly failed: number;
  /** True when stopped by `shouldStop` before every run was stored. */
  readonly interrupted: boolean;
  /**
   * Runs left to other live processes (or runners) that had claimed them: not stored yet, and
   * not run here. Each is listed with its claimer.
   */
  readonly claimedElsewhere: readonly {
    /** The run id. */
    readonly id: string;
    /** Its claimer's pid and host, when its claim file could be read. */
    readonly by?: {
      /** The claimer's process id. */
      readonly pid: number;
      /** The claimer's host name. */
      readonly host: string;
    };
  }[];
}

/**
 * The built worker script. Next to this module when running the built package; when this
 * module runs from its TypeScript sources (tests), the package's built `dist` copy.
 */
export function defaultWorkerFile(): string {
  const here = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(
    /([\\/])src([\\/])sweep([\\/])worker\.js$/,
    '$1dist$2sweep$3worker.js',
  );
  if (built !== here && existsSync(built)) return built;
  throw new ImplicitBiasError(
    'INTERNAL',
    `the sweep worker script ${here} is missing; build the package (npx nx run experiments:build) or pass workers: 0`,
    { path: 'workerFile' },
  );
}

/** The meta data a sweep's store for a shard records. */
export function storeMetaFor(spec: SweepSpec, runs: readonly SweepRun[], shard: Shard): StoreMeta {
  return {
    sweep: spec.name,
    sweepHash: sweepHashOf(runs),
    spec: JSON.stringify(spec),
    totalRuns: runs.length,
    shardCount: shard.count,
    shards: [shard.index],
  };
}

/**
 * Open the store of a shard, creating it when missing; refuses a store of another sweep or shard.
 */
export function openShardStore(
  storeDir: string,
  spec: SweepSpec,
  runs: readonly SweepRun[],
  shard: Shard,
): SweepStore {
  mkdirSync(storeDir, { recursive: true });
  const file = join(storeDir, storeFileName(shard));
  const meta = storeMetaFor(spec, runs, shard);
  const store = SweepStore.openOrCreate(file, meta);
  const m = store.meta;
  if (
    m.sweepHash !== meta.sweepHash ||
    m.shardCount !== shard.count ||
    m.shards.length !== 1 ||
    m.shards[0] !== shard.index
  ) {
    store.close();
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `this store holds sweep '${m.sweep}' (${m.sweepHash}, shards ${m.shards.join(',')} of ${m.shardCount}), not '${meta.sweep}' (${meta.sweepHash}, shard ${shard.index} of ${shard.count}): the spec changed since it was written; use a new --store directory`,
      { path: file },
    );
  }
  return store;
}

/**
 * Run a sweep (or one shard of it) into its store, skipping runs stored by earlier invocations.
 * Runs execute on a piscina worker pool; each finished run is committed in its own transaction
 * as soon as it arrives, so killing the process loses only the runs in flight, and running the
 * same command again completes the sweep with the identical results.
 */
export async function runSweep(spec: SweepSpec, o: RunSweepOptions): Promise<SweepRunResult> {
  const runs = expandSweep(spec);
  const shard = o.shard ?? { index: 0, count: 1 };
  const mine = shardRuns(runs, shard);
  const store = openShardStore(o.storeDir, spec, runs, shard);
  const claims = new RunClaims(store.file);
  let pool: Piscina | undefined;
  try {
    if (o.retryFailed) store.forgetFailed();
    const stored = store.ids();
    const todo = mine.filter((r) => !stored.has(r.id));
    let skipped = mine.length - todo.length;
    let failed = store.counts().failed;
    let done = skipped;
    let running = 0;
    let ran = 0;
    const report = (last?: SweepProgress['last']): void =>
      o.onProgress?.({
        total: mine.length,
        done,
        running,
        failed,
        skipped,
        ...(last ? { last } : {}),
      });
    const workers = Math.min(o.workers ?? availableParallelism(), todo.length);
    // in this thread, a run checks the stop request between chunks of its solve
    let execute = (input: ExecuteRunInput): Promise<RunOutcome> =>
      executeRun(input, o.shouldStop ? { shouldStop: o.shouldStop } : {});
    if (workers > 0 && o.workers !== 0) {
      pool = new Piscina({
        filename: o.workerFile ?? defaultWorkerFile(),
        minThreads: workers,
        maxThreads: workers,
        concurrentTasksPerWorker: 1,
        idleTimeout: 60_000,
      });
      const p = pool;
      execute = (input) => p.run(input) as Promise<RunOutcome>;
    }
    const slots = Math.max(1, workers);
    report();
    let next = 0;
    let interrupted = false;
    const claimedElsewhere: SweepRunResult['claimedElsewhere'][number][] = [];
    const lane = async (): Promise<void> => {
      for (;;) {
        // let signal handlers (and the other lanes) run between runs
        await new Promise((r) => setImmediate(r));
        if (next >= todo.length) return;
        if (o.betweenRuns) {
          await o.betweenRuns({ total: mine.length, done, running, failed, skipped });
          if (next >= todo.length) return;
        }
        if (o.shouldStop?.()) {
          interrupted = true;
          return;
        }
        const run = todo[next++]!;
        // another process on this store may have stored or claimed it since the start
        if (store.has(run.id)) {
          done++;
          skipped++;
          report();
          continue;
        }
        const c = claims.claim(run.id);
        if (!c.claimed) {
          claimedElsewhere.push({
            id: run.id,
            ...(c.by ? { by: { pid: c.by.pid, host: c.by.host } } : {}),
          });
          continue;
        }
        if (store.has(run.id)) {
          claims.release(run.id); // stored and released by its claimer just before our claim
          done++;
          skipped++;
          report();
          continue;
        }
        running++;
        report();
        const startedAt = new Date().toISOString();
        const t0 = Date.now();
        let outcome: RunOutcome;
        try {
          outcome = await execute({
            config: run.config,
            baseDir: o.baseDir,
            ...(o.plugins ? { plugins: o.plugins } : {}),
          }).catch(
            // executeRun reports the run's own errors; this is the worker thread dying under it
            (e: unknown): RunOutcome => {
              if (e instanceof PointInterruptedError) throw e;
              return {
                status: 'failed',
                summary: null,
                params: null,
                error: `the worker thread failed: ${e instanceof Error ? e.message : String(e)}`,
                timings: {
                  startedAt,
                  finishedAt: new Date().toISOString(),
                  trainMs: Date.now() - t0,
                  judgeMs: 0,
                  totalMs: Date.now() - t0,
                },
              };
            },
          );
        } catch (e) {
          // stopped mid-run (workers: 0): nothing to store, the run is free for the next try
          running--;
          claims.release(run.id);
          if (e instanceof PointInterruptedError) {
            interrupted = true;
            return;
          }
          throw e;
        }
        store.put(run, outcome);
        claims.release(run.id);
        running--;
        done++;
        ran++;
        if (outcome.status === 'failed') failed++;
        report({ id: run.id, status: outcome.status, error: outcome.error });
      }
    };
    await Promise.all(Array.from({ length: slots }, lane));
    return {
      storeFile: store.file,
      total: mine.length,
      skipped,
      ran,
      failed,
      interrupted: interrupted && done < mine.length,
      claimedElsewhere,
    };
  } finally {
    await pool?.destroy();
    claims.releaseAll();
    store.close();
  }
}

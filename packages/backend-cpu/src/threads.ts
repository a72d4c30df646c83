import { ContentionGuard } from './contention.js';
import type { ResidualGradient } from './kernels-js.js';
import { WORKER_SOURCE } from './threads-worker.js';
import { KERNELS_WASM_BASE64 } from './wasm-bytes.generated.js';

// Worker threads for the squared-loss gradient (issue #20 item 3). B runs sharing one data
// matrix split into contiguous groups of runs, one group per thread, each group computed by the
// same WebAssembly kernel as alone; one run splits into two phases, the residual by rows of X
// and then the gradient by columns of X, each entry computed as one thread computes it. Either
// way threaded results equal single-threaded ones bit for bit. Only Node.js
// (`process.getBuiltinModule('node:worker_threads')`, SharedArrayBuffer, and a main thread
// allowed to block in `Atomics.wait`) gets threads; elsewhere the kernels stay on one thread.

/**
 * The least work (`rows·n·d` multiply-adds of each of the two products) that goes to threads
 * by default (100×1000 for one run, 64 runs at 10×100); below it the hand-off costs more than
 * it saves. Measured with
 * `node tools/bench/kernels.mjs` (the threads table; docs/adr/0008-wasm-simd-kernels.md).
 */
export const DEFAULT_THREAD_MIN_WORK = 2 ** 16;

/** The environment variable that sets the number of threads (`1` turns threads off). */
export const CPU_THREADS_ENV = 'IMPLICIT_BIAS_CPU_THREADS';

/** The most threads used, the calling thread included. */
const MAX_THREADS = 4;

/** Spins of the calling thread waiting for a worker before it blocks. */
const SPIN = 20000;

/**
 * Microseconds a worker spins for its next job before it blocks in `Atomics.wait`. Waking a
 * blocked thread took hundreds of µs on the virtual machines measured (a halted virtual CPU),
 * more than a whole gradient; between the gradients of a run the calling thread does its own
 * host work (a network's β and layer products, the stepper), so the worker keeps spinning
 * across that gap, then sleeps once the run has gone quiet.
 */
const SPIN_US = 2000;

// control words (Int32Array over a SharedArrayBuffer), one block per worker
const SEQ = 0; // job generation, bumped by the main thread
const DONE = 1; // last generation finished, set by the worker
const CMD = 2; // 1: take a message from the port, 2: run a job
const ROWS = 3;
const N = 4;
const D = 5;
const XID = 6;
const FAIL = 7;
const OFF = 8; // first row of X of a one-run job
const WIDTH = 9; // columns of a one-run job
const COL = 10; // first column of a one-run job
const PARTS = 11; // threads meeting at a one-run job's barrier
const CTL_WORDS = 12;

/** Data matrices kept in a worker's memory at once (then all are dropped, as the arena does). */
const MAX_DATA = 8;

/**
 * Bytes of data matrices a worker keeps at once (its copies, and the references that identify
 * them here); a larger data matrix stays on the calling thread.
 */
export const MAX_THREAD_DATA_BYTES = 256 * 2 ** 20;

interface PortLike {
  postMessage(message: unknown): void;
  close(): void;
}
interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (e: unknown) => void): unknown;
}
interface WorkerThreadsApi {
  Worker: new (code: string, options: { eval: true; workerData: unknown }) => WorkerLike;
  MessageChannel: new () => { port1: PortLike; port2: unknown };
}

/** One worker thread with its control words, its message port and its shared job buffer. */
interface Lane {
  readonly worker: WorkerLike;
  readonly ctl: Int32Array;
  readonly port: PortLike;
  io: Float64Array;
  /** Data matrices in the worker's memory (strong references, at most {@link MAX_DATA}). */
  data: { x: Float64Array; id: number }[];
  /** The shared residual buffer the worker holds (undefined: none yet, or an older one). */
  shared?: Float64Array | undefined;
}

/** The halves of the residual-and-gradient kernel for one run, on the calling thread. */
export interface LocalPhases {
  /** `r[i0 .. i1) = y − X[i0 .. i1)·b` (rows i0..i1 of X). */
  residualRows(
    x: Float64Array,
    b: Float64Array,
    y: Float64Array,
    n: number,
    d: number,
    i0: number,
    i1: number,
    r: Float64Array,
  ): void;
  /** `u[j0 .. j1) = (Xᵀ·r)[j0 .. j1)` (columns j0..j1 of X). */
  gradientColumns(
    x: Float64Array,
    r: Float64Array,
    n: number,
    d: number,
    j0: number,
    j1: number,
    u: Float64Array,
  ): void;
}

/** A pool of worker threads running the residual-and-gradient kernel on groups of runs. */
export interface ThreadPool {
  /** Threads a call may use, the calling one included. */
  readonly threads: number;
  /**
   * Whether the workers take data matrices of this many bytes ({@link MAX_THREAD_DATA_BYTES})
   * now: false too while the pool's {@link ContentionGuard} has paused it (recent hand-offs
   * waited on workers without a core of their own).
   */
  takes(bytes: number): boolean;
  /**
   * `residualGradient` of `rows` runs split into contiguous groups, the first computed by
   * `local` on the calling thread, the others by the workers, all on the same kernel.
   */
  residualGradient(
    local: ResidualGradient,
    x: Float64Array,
    b: Float64Array,
    y: Float64Array,
    rows: number,
    n: number,
    d: number,
    r: Float64Array,
    u: Float64Array,
  ): void;
  /**
   * `residualGradient` of one run in two phases: the residual by rows of X, then the gradient
   * by columns of X, each phase split over the threads (`local` computing the first part on
   * the calling thread). Every entry is computed as by one thread, so the result is the same
   * bit for bit. One job per thread: each writes its residual rows to a shared buffer and
   * meets the others at a barrier there, then computes its columns from the whole residual.
   */
  residualGradientOne(
    local: LocalPhases,
    x: Float64Array,
    b: Float64Array,
    y: Float64Array,
    n: number,
    d: number,
    r: Float64Array,
    u: Float64Array,
  ): void;
}

function workerThreads(): WorkerThreadsApi | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  if (typeof SharedArrayBuffer !== 'function') return undefined;
  try {
    return proc.getBuiltinModule('node:worker_threads') as WorkerThreadsApi;
  } catch {
    return undefined;
  }
}

/**
 * The number of threads a cpu backend uses for batched gradients: {@link CPU_THREADS_ENV} when
 * set (a positive integer; 1 turns threads off), else the machine's parallelism up to 4; 1
 * where worker threads are unavailable. Throws on a malformed environment value.
 */
export function threadCount(env: string | undefined, parallelism: number): number {
  if (env !== undefined && env !== '') {
    const t = Number(env);
    if (!Number.isInteger(t) || t < 1) {
      throw new Error(
        `${CPU_THREADS_ENV} must be a positive integer (1 turns threads off), got ${JSON.stringify(env)}`,
      );
    }
    return Math.min(t, MAX_THREADS * 4);
  }
  return Math.max(1, Math.min(MAX_THREADS, parallelism));
}

/** The parallelism of this machine (Node.js `os.availableParallelism()`), else 1. */
export function machineParallelism(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const os = proc?.getBuiltinModule?.('node:os') as
      { availableParallelism?: () => number } | undefined;
    return os?.availableParallelism?.() ?? 1;
  } catch {
    return 1;
  }
}

/** Whether this runtime can run kernel worker threads (Node.js with SharedArrayBuffer). */
export function threadsAvailable(): boolean {
  return workerThreads() !== undefined;
}

let nextId = 1;

/**
 * A pool of `threads − 1` workers, or undefined where worker threads are unavailable; with
 * `guard` (default) its {@link ContentionGuard} pauses the threads on a busy machine.
 */
export function createThreadPool(threads: number, guard = true): ThreadPool | undefined {
  if (threads < 2) return undefined;
  const api = workerThreads();
  if (api === undefined) return undefined;
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  const lanes: Lane[] = [];
  try {
    for (let w = 0; w < threads - 1; w++) {
      const ctl = new Int32Array(new SharedArrayBuffer(4 * CTL_WORDS));
      const { port1, port2 } = new api.MessageChannel();
      const worker = new api.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { ctl, port: port2, bytes, spinUs: SPIN_US },
        transferList: [port2],
      } as { eval: true; workerData: unknown });
      worker.unref();
      worker.on('error', () => undefined); // a failed worker shows as FAIL or a timeout below
      lanes.push({ worker, ctl, port: port1, io: new Float64Array(0), data: [] });
    }
  } catch {
    for (const lane of lanes) void lane.worker.terminate();
    return undefined;
  }

  /** Hand the worker a message (or a job) and wait until it has taken it. */
  const start = (lane: Lane, cmd: number): number => {
    lane.ctl[CMD] = cmd;
    const seq = Atomics.add(lane.ctl, SEQ, 1) + 1;
    Atomics.notify(lane.ctl, SEQ);
    return seq;
  };
  const finish = (lane: Lane, seq: number): void => {
    let k = 0;
    let since = 0;
    while (Atomics.load(lane.ctl, DONE) !== seq) {
      if (++k > SPIN) {
        // blocks in steps of 10 ms; a worker that never answers (it cannot report an error
        // while this thread blocks the event loop) fails the call after a minute
        since = since === 0 ? Date.now() : since;
        if (Date.now() - since > 60_000) throw new Error('a cpu kernel worker thread stopped');
        Atomics.wait(lane.ctl, DONE, Atomics.load(lane.ctl, DONE), 10);
        k = 0;
      }
    }
    if (lane.ctl[FAIL] !== 0) throw new Error('a cpu kernel worker thread failed');
  };
  const send = (lane: Lane, message: unknown): void => {
    lane.port.postMessage(message);
    finish(lane, start(lane, 1));
  };
  const dataId = (lane: Lane, x: Float64Array): number => {
    for (const e of lane.data) if (e.x === x) return e.id;
    const held = lane.data.reduce((t, e) => t + e.x.byteLength, 0);
    const reset = lane.data.length >= MAX_DATA || held + x.byteLength > MAX_THREAD_DATA_BYTES;
    if (reset) lane.data = [];
    const id = nextId++;
    send(lane, { reset, id, x });
    lane.data.push({ x, id });
    return id;
  };

  // the residual of a one-run job, shared by every thread, and the barrier's arrival count
  let shared: Float64Array = new Float64Array(0);
  const barrier = new Int32Array(new SharedArrayBuffer(4));
  const sharedFor = (n: number, used: readonly Lane[]): Float64Array => {
    if (shared.length < n) {
      shared = new Float64Array(new SharedArrayBuffer(8 * Math.max(n, 2 * shared.length)));
      for (const lane of lanes) lane.shared = undefined;
    }
    for (const lane of used) {
      if (lane.shared === shared) continue;
      send(lane, { shared: shared.buffer, barrier: barrier.buffer });
      lane.shared = shared;
    }
    return shared;
  };
  /**
   * Wait until every thread of a one-run job has written its residual rows: spin, then block in
   * short waits (a spinning thread would take the core a late worker needs on a loaded machine).
   */
  const meet = (parts: number): void => {
    let k = 0;
    let since = 0;
    for (let v = Atomics.load(barrier, 0); v < parts; v = Atomics.load(barrier, 0)) {
      if (++k > SPIN) {
        since = since === 0 ? Date.now() : since;
        if (Date.now() - since > 60_000) throw new Error('a cpu kernel worker thread stopped');
        Atomics.wait(barrier, 0, v, 1);
        k = 0;
      }
    }
  };

  const reserve = (lane: Lane, need: number): void => {
    if (lane.io.length >= need) return;
    lane.io = new Float64Array(new SharedArrayBuffer(8 * Math.max(need, 2 * lane.io.length)));
    send(lane, { io: lane.io.buffer });
  };
  const contention = guard ? new ContentionGuard() : undefined;
  const clock = (): number => performance.now();

  /** Boundaries splitting `0 .. len` into `parts` near-equal contiguous pieces. */
  const cuts = (len: number, parts: number): number[] =>
    Array.from({ length: parts + 1 }, (_, w) => Math.round((w * len) / parts));

  return {
    threads,
    takes: (bytes) => bytes <= MAX_THREAD_DATA_BYTES && (contention?.admit() ?? true),
    residualGradientOne(local, x, b, y, n, d, r, u) {
      const parts = Math.min(threads, n, d);
      const rowCut = cuts(n, parts);
      const colCut = cuts(d, parts);
      const lanesUsed = lanes.slice(0, parts - 1);
      const ids = lanesUsed.map((lane) => dataId(lane, x));
      const res = sharedFor(n, lanesUsed);
      Atomics.store(barrier, 0, 0);
      const seqs = lanesUsed.map((lane, w) => {
        const i0 = rowCut[w + 1]!;
        const count = rowCut[w + 2]! - i0;
        reserve(lane, Math.max(d + count, colCut[w + 2]! - colCut[w + 1]!));
        lane.io.set(b.subarray(0, d), 0);
        lane.io.set(y.subarray(i0, i0 + count), d);
        lane.ctl[ROWS] = count;
        lane.ctl[N] = n;
        lane.ctl[D] = d;
        lane.ctl[XID] = ids[w]!;
        lane.ctl[OFF] = i0;
        lane.ctl[COL] = colCut[w + 1]!;
        lane.ctl[WIDTH] = colCut[w + 2]! - colCut[w + 1]!;
        lane.ctl[PARTS] = parts;
        return start(lane, 5);
      });
      // this thread's residual rows, then the barrier (reached even if they fail, so that no
      // worker waits for them forever)
      const t0 = clock();
      try {
        local.residualRows(x, b, y, n, d, 0, rowCut[1]!, r);
        res.set(r.subarray(0, rowCut[1]!), 0);
      } finally {
        Atomics.add(barrier, 0, 1);
        Atomics.notify(barrier, 0);
      }
      const t1 = clock();
      meet(parts);
      const t2 = clock();
      r.set(res.subarray(rowCut[1]!, n), rowCut[1]!);
      local.gradientColumns(x, r, n, d, 0, colCut[1]!, u);
      const t3 = clock();
      lanesUsed.forEach((lane, w) => {
        finish(lane, seqs[w]!);
        const j0 = colCut[w + 1]!;
        u.set(lane.io.subarray(0, colCut[w + 2]! - j0), j0);
      });
      contention?.record(t1 - t0 + (t3 - t2), t2 - t1 + (clock() - t3));
    },
    residualGradient(local, x, b, y, rows, n, d, r, u) {
      const parts = Math.min(threads, rows);
      const per = Math.ceil(rows / parts);
      const jobs: [Lane, number, number, number][] = []; // lane, first row, rows, seq
      for (let w = 0; w < parts - 1; w++) {
        const first = (w + 1) * per;
        const count = Math.min(per, rows - first);
        if (count <= 0) break;
        const lane = lanes[w]!;
        const id = dataId(lane, x);
        reserve(lane, count * d + n + count * n + count * d);
        lane.io.set(b.subarray(first * d, (first + count) * d), 0);
        lane.io.set(y.subarray(0, n), count * d);
        lane.ctl[ROWS] = count;
        lane.ctl[N] = n;
        lane.ctl[D] = d;
        lane.ctl[XID] = id;
        jobs.push([lane, first, count, start(lane, 2)]);
      }
      const t0 = clock();
      local(x, b, y, Math.min(per, rows), n, d, r, u);
      const t1 = clock();
      for (const [lane, first, count, seq] of jobs) {
        finish(lane, seq);
        r.set(lane.io.subarray(0, count * n), first * n);
        u.set(lane.io.subarray(count * n, count * n + count * d), first * d);
      }
      contention?.record(t1 - t0, clock() - t1);
    },
  };
}

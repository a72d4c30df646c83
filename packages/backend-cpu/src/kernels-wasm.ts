import type { MatmulShape } from '@implicit-bias/backend';
import { jsChain, wasmChain } from './chain.js';
import { jsKernels } from './kernels-js.js';
import type { CpuKernels } from './kernels-js.js';
import type { WasmArena } from './wasm-arena.js';
import { createThreadPool, DEFAULT_THREAD_MIN_WORK } from './threads.js';
import type { LocalPhases, ThreadPool } from './threads.js';
import { kernelModule } from './wasm-module.js';
import type { KernelExports } from './wasm-module.js';

/**
 * The smallest product (multiply-adds, `batch·m·k·n`) sent to WebAssembly by default; smaller
 * ones run the JavaScript loops, whose cost the copies into linear memory would exceed. Measured
 * with `node tools/bench/kernels.mjs` (docs/adr/0008-wasm-simd-kernels.md).
 */
export const DEFAULT_MIN_WORK = 256;

const byOptions = new Map<string, CpuKernels>();
const pools = new Map<string, ThreadPool | undefined>();

/** The process's pool of `threads` threads (created on first use), or undefined for one. */
function poolOf(threads: number, guard: boolean): ThreadPool | undefined {
  const k = `${threads}/${guard}`;
  if (!pools.has(k)) pools.set(k, createThreadPool(threads, guard));
  return pools.get(k);
}

/** Threads for batched gradients (see threads.ts); 1 keeps every kernel on the calling thread. */
export interface ThreadOptions {
  /** Threads, the calling one included (default 1). */
  readonly threads?: number;
  /** The least `rows·n·d` sent to threads (default {@link DEFAULT_THREAD_MIN_WORK}). */
  readonly minWork?: number;
  /** Pause threads on a busy machine (default true, contention.ts; tests: false, always threaded). */
  readonly guard?: boolean;
}

/**
 * The WebAssembly SIMD kernels, or why they cannot run here. The module is instantiated once
 * per process (one linear memory shared by every cpu backend; calls are synchronous, so they
 * never interleave). Products whose output rows take fewer than `minWork` multiply-adds each fall back to the
 * JavaScript loops ({@link DEFAULT_MIN_WORK}; tests pass 0 to exercise every kernel).
 */
export function loadWasmKernels(
  minWork = DEFAULT_MIN_WORK,
  threads: ThreadOptions = {},
): CpuKernels | string {
  const instance = kernelModule();
  if (typeof instance === 'string') return instance;
  const t = threads.threads ?? 1;
  const tMin = threads.minWork ?? DEFAULT_THREAD_MIN_WORK;
  const guard = threads.guard !== false;
  const k0 = `${minWork}/${t}/${tMin}/${guard}`;
  let k = byOptions.get(k0);
  if (k === undefined) {
    const pool = t > 1 ? poolOf(t, guard) : undefined;
    k = wasmKernels(instance.exports, instance.arena, minWork, pool, tMin);
    byOptions.set(k0, k);
  }
  return k;
}

const align = (bytes: number): number => (bytes + 15) & ~15;

function wasmKernels(
  x: KernelExports,
  arena: WasmArena,
  minWork: number,
  pool: ThreadPool | undefined,
  threadMinWork: number,
): CpuKernels {
  function matmul(
    a: Float64Array,
    b: Float64Array,
    s: MatmulShape,
    ta: boolean,
    tb: boolean,
  ): Float64Array {
    const { batch, batchA, batchB, m, k, n } = s;
    const outLen = batch * m * n;
    const tmp = ta && tb ? align(8 * k * n) : 0;
    if (
      m === 0 ||
      n === 0 ||
      k === 0 ||
      // judged by the work of one output row, never by the batch size or the row count: callers
      // fold runs into rows or into the batch, and a run must take the same kernel (and so
      // round the same) alone as in a batch (batched runs equal sequential runs bit for bit)
      n * k < minWork ||
      !arena.place(a, b, align(8 * outLen) + tmp)
    ) {
      return jsKernels.matmul(a, b, s, ta, tb);
    }
    const { p0, p1, ps } = arena;
    const pt = ps + align(8 * outLen);
    for (let t = 0; t < batch; t++) {
      const ao = p0 + (batchA === 1 ? 0 : 8 * t * m * k);
      const bo = p1 + (batchB === 1 ? 0 : 8 * t * k * n);
      const co = ps + 8 * t * m * n;
      if (n === 1 && !ta)
        x.gemmNT(ao, bo, co, m, k, 1); // A·b: m dot products (b is 1×k too)
      else if (n === 1 && !tb)
        x.gemmNN(bo, 1, 1, ao, co, 1, k, m); // Aᵀ·b = (bᵀ·A)ᵀ
      else if (tb && !ta) x.gemmNT(ao, bo, co, m, k, n);
      else if (!tb) x.gemmNN(ao, ta ? 1 : k, ta ? m : 1, bo, co, m, k, n);
      else {
        arena.transposeInto(bo, n, k, pt); // Bᵀ stored n×k → B as k×n
        x.gemmNN(ao, 1, m, pt, co, m, k, n);
      }
    }
    return arena.read(ps, outLen);
  }

  // Host products (docs/adr/0010): A may be backend data (fixed entries, so it may become
  // resident: a run's X), the vectors are caller-owned workspaces whose entries change between
  // calls, never resident.
  const A_FIXED = 1;

  // y = A·x as the dot products of gemmNT (xᵀ·Aᵀ: the kernel of β·Xᵀ), chosen by the same work
  function gemvInto(a: Float64Array, v: Float64Array, m: number, n: number, y: Float64Array): void {
    if (m * n < minWork || m === 0 || n === 0 || !arena.place(a, v, align(8 * m), A_FIXED)) {
      jsKernels.gemvInto(a, v, m, n, y);
      return;
    }
    x.gemmNT(arena.p1, arena.p0, arena.ps, 1, n, m);
    arena.readInto(arena.ps, y, m);
  }
  // g = Aᵀ·y as the row updates of gemmNN (yᵀ·A: the kernel of r·X)
  function gemvTInto(
    a: Float64Array,
    y: Float64Array,
    m: number,
    n: number,
    g: Float64Array,
  ): void {
    if (m * n < minWork || m === 0 || n === 0 || !arena.place(a, y, align(8 * n), A_FIXED)) {
      jsKernels.gemvTInto(a, y, m, n, g);
      return;
    }
    x.gemmNN(arena.p1, m, 1, arena.p0, arena.ps, 1, m, n);
    arena.readInto(arena.ps, g, n);
  }
  // rows of gemvInto in one gemmNT (every entry the dot of gemvInto); the kernel is chosen by
  // the work of one row, and where memory cannot take the block every row goes alone
  function gemmInto(
    a: Float64Array,
    v: Float64Array,
    rows: number,
    m: number,
    n: number,
    y: Float64Array,
  ): void {
    if (m * n < minWork || m === 0 || n === 0 || rows === 0) {
      jsKernels.gemmInto(a, v, rows, m, n, y);
      return;
    }
    const vs = v.subarray(0, rows * n);
    if (!arena.place(a, vs, align(8 * rows * m), A_FIXED)) {
      for (let r = 0; r < rows; r++) {
        gemvInto(a, v.subarray(r * n, (r + 1) * n), m, n, y.subarray(r * m, (r + 1) * m));
      }
      return;
    }
    x.gemmNT(arena.p1, arena.p0, arena.ps, rows, n, m);
    arena.readInto(arena.ps, y, rows * m);
  }
  // rows of gemvTInto in one gemmNN (every row the row updates of gemvTInto)
  function gemmTInto(
    a: Float64Array,
    y: Float64Array,
    rows: number,
    m: number,
    n: number,
    g: Float64Array,
  ): void {
    if (m * n < minWork || m === 0 || n === 0 || rows === 0) {
      jsKernels.gemmTInto(a, y, rows, m, n, g);
      return;
    }
    const ys = y.subarray(0, rows * m);
    if (!arena.place(a, ys, align(8 * rows * n), A_FIXED)) {
      for (let r = 0; r < rows; r++) {
        gemvTInto(a, y.subarray(r * m, (r + 1) * m), m, n, g.subarray(r * n, (r + 1) * n));
      }
      return;
    }
    x.gemmNN(arena.p1, m, 1, arena.p0, arena.ps, rows, m, n);
    arena.readInto(arena.ps, g, rows * n);
  }

  // R = y − B·Xᵀ and U = R·X in one call (assembly/kernels.ts `residualGradient`). X is
  // a run's data matrix, used on every gradient: it may become resident whatever its size
  // batches of runs large enough go to worker threads in groups of runs, each group on this
  // same kernel (a run rounds the same whichever thread computes it)
  function residualGradientInto(
    a: Float64Array,
    b: Float64Array,
    y: Float64Array,
    rows: number,
    n: number,
    d: number,
    r: Float64Array,
    u: Float64Array,
  ): void {
    if (
      pool !== undefined &&
      n * d >= minWork &&
      rows * n * d >= threadMinWork &&
      pool.takes(a.byteLength)
    ) {
      if (rows > 1) pool.residualGradient(residualGradientOne, a, b, y, rows, n, d, r, u);
      else pool.residualGradientOne(phases, a, b, y, n, d, r, u);
      return;
    }
    residualGradientOne(a, b, y, rows, n, d, r, u);
  }
  // one run's halves on this thread, X resident (the threaded single-run split)
  const phases: LocalPhases = {
    residualRows(a, b, y, n, d, i0, i1, r) {
      const count = i1 - i0;
      const ry = align(8 * count);
      if (!arena.place(a, b, 2 * ry, A_FIXED, 0)) {
        const f = new Float64Array(count);
        gemvInto(a.subarray(i0 * d, i1 * d), b, count, d, f);
        for (let i = 0; i < count; i++) r[i0 + i] = y[i0 + i]! - f[i]!;
        return;
      }
      const { p0, p1, ps } = arena;
      arena.writeAt(y.subarray(i0, i1), count, ps);
      x.residualRows(p0 + 8 * i0 * d, p1, ps, ps + ry, 1, count, d);
      arena.readInto(ps + ry, r.subarray(i0, i1), count);
    },
    gradientColumns(a, r, n, d, j0, j1, u) {
      const w = j1 - j0;
      if (!arena.place(a, r, align(8 * w), A_FIXED, 0)) {
        const g = new Float64Array(d);
        gemvTInto(a, r, n, d, g);
        u.set(g.subarray(j0, j1), j0);
        return;
      }
      x.gradientColumns(arena.p0, arena.p1, arena.ps, 1, n, d, j0, w);
      arena.readInto(arena.ps, u.subarray(j0, j1), w);
    },
  };
  function residualGradientOne(
    a: Float64Array,
    b: Float64Array,
    y: Float64Array,
    rows: number,
    n: number,
    d: number,
    r: Float64Array,
    u: Float64Array,
  ): void {
    if (n * d < minWork || n === 0 || d === 0 || rows === 0) {
      jsKernels.residualGradientInto(a, b, y, rows, n, d, r, u);
      return;
    }
    const bs = b.length === rows * d ? b : b.subarray(0, rows * d);
    const ry = align(8 * n);
    const rr = align(8 * rows * n);
    if (!arena.place(a, bs, ry + rr + align(8 * rows * d), A_FIXED, 0)) {
      for (let q = 0; q < rows; q++) {
        gemvInto(a, b.subarray(q * d, (q + 1) * d), n, d, r.subarray(q * n, (q + 1) * n));
        for (let i = 0; i < n; i++) r[q * n + i] = y[i]! - r[q * n + i]!;
        gemvTInto(a, r.subarray(q * n, (q + 1) * n), n, d, u.subarray(q * d, (q + 1) * d));
      }
      return;
    }
    const { p0, p1, ps } = arena;
    arena.writeAt(y, n, ps);
    x.residualGradient(p0, p1, ps, ps + ry, ps + ry + rr, rows, n, d);
    arena.readInto(ps + ry, r, rows * n);
    arena.readInto(ps + ry + rr, u, rows * d);
  }

  return Object.freeze({
    path: 'wasm-simd' as const,
    threads: pool?.threads ?? 1,
    matmul,
    gemv(a: Float64Array, v: Float64Array, m: number, n: number): Float64Array {
      const y = new Float64Array(m);
      gemvInto(a, v, m, n, y);
      return y;
    },
    gemvT(a: Float64Array, y: Float64Array, m: number, n: number): Float64Array {
      const g = new Float64Array(n);
      gemvTInto(a, y, m, n, g);
      return g;
    },
    gemvInto,
    gemvTInto,
    gemmInto,
    gemmTInto,
    residualGradientInto,
    chain: wasmChain(x, arena, jsChain),
    gram(a: Float64Array, w: Float64Array, n: number, d: number): Float64Array {
      const out = align(8 * n * n);
      if (n * n * d < minWork || n === 0 || d === 0 || !arena.place(a, w, out + align(8 * d))) {
        return jsKernels.gram(a, w, n, d);
      }
      x.gram(arena.p0, arena.p1, arena.ps, arena.ps + out, n, d);
      return arena.read(arena.ps, n * n);
    },
    mul(a: Float64Array, b: Float64Array): Float64Array {
      if (a.length < minWork || !arena.place(a, b, align(8 * a.length))) {
        return jsKernels.mul(a, b);
      }
      x.mul(arena.p0, arena.p1, arena.ps, a.length);
      return arena.read(arena.ps, a.length);
    },
  });
}

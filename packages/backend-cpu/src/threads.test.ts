import { key, normal, split } from '@implicit-bias/core';
import { loadWasmKernels } from './kernels-wasm.js';
import type { CpuKernels } from './kernels-js.js';
import { createThreadPool, MAX_THREAD_DATA_BYTES, threadCount } from './threads.js';

// Oracle: the same kernel on one thread. Runs are split into contiguous groups, each computed
// by the same WebAssembly kernel as alone, so every residual and gradient entry must equal the
// single-threaded one bit for bit, whatever the thread count and group sizes.

// the contention guard off: every call takes the threaded path, however busy the machine
const load = (threads: number, minWork = 0): CpuKernels => {
  const k = loadWasmKernels(0, { threads, minWork, guard: false });
  if (typeof k === 'string') throw new Error(`WebAssembly SIMD kernels unavailable: ${k}`);
  return k;
};
const bits = (a: Float64Array): number[] => Array.from(a);
const one = load(1);

describe.each([2, 3])('residualGradient on %i threads', (threads) => {
  const many = load(threads);
  it('uses that many threads', () => {
    expect(many.threads).toBe(threads);
  });
  it.each([
    [2, 7, 13],
    [3, 10, 100],
    [5, 6, 5],
    [8, 33, 40],
    [64, 20, 30],
  ])('rows = %i, n = %i, d = %i: equals one thread bit for bit', (rows, n, d) => {
    const [kx, kb, ky] = split(key(rows * 31 + n * 7 + d), 3);
    const X = normal(kx!, n * d);
    const B = normal(kb!, rows * d);
    const y = normal(ky!, n);
    const r1 = new Float64Array(rows * n);
    const u1 = new Float64Array(rows * d);
    one.residualGradientInto(X, B, y, rows, n, d, r1, u1);
    const r = new Float64Array(rows * n + 1).fill(7);
    const u = new Float64Array(rows * d + 1).fill(7);
    for (let rep = 0; rep < 3; rep++) {
      many.residualGradientInto(X, B, y, rows, n, d, r, u);
      expect(bits(r.subarray(0, rows * n))).toEqual(bits(r1));
      expect(bits(u.subarray(0, rows * d))).toEqual(bits(u1));
    }
    expect([r[rows * n], u[rows * d]]).toEqual([7, 7]);
  });

  it.each([
    [1, 1],
    [2, 3],
    [3, 2],
    [10, 100],
    [37, 51],
    [100, 1000],
  ])(
    'one run, n = %i, d = %i: residual by rows and gradient by columns equal one thread',
    (n, d) => {
      const [kx, kb, ky] = split(key(n * 1009 + d), 3);
      const X = normal(kx!, n * d);
      const b = normal(kb!, d);
      const y = normal(ky!, n);
      const r1 = new Float64Array(n);
      const u1 = new Float64Array(d);
      one.residualGradientInto(X, b, y, 1, n, d, r1, u1);
      const r = new Float64Array(n + 1).fill(7);
      const u = new Float64Array(d + 1).fill(7);
      for (let rep = 0; rep < 3; rep++) {
        many.residualGradientInto(X, b, y, 1, n, d, r, u);
        expect(bits(r.subarray(0, n))).toEqual(bits(r1));
        expect(bits(u.subarray(0, d))).toEqual(bits(u1));
      }
      expect([r[n], u[d]]).toEqual([7, 7]);
    },
  );

  it('more data matrices than a worker keeps, and growing jobs, still give exact results', () => {
    // closed form: X = c·[1 … 1] (1×4), every b = 1, y = 0: r = −4c, u = −4c²·1 for every run
    for (let c = 1; c <= 12; c++) {
      const rows = 2 + c;
      const X = new Float64Array(4).fill(c);
      const r = new Float64Array(rows);
      const u = new Float64Array(rows * 4);
      many.residualGradientInto(
        X,
        new Float64Array(rows * 4).fill(1),
        Float64Array.of(0),
        rows,
        1,
        4,
        r,
        u,
      );
      expect(bits(r)).toEqual(new Array(rows).fill(-4 * c));
      expect(bits(u)).toEqual(new Array(rows * 4).fill(-4 * c * c));
    }
  });
});

describe('thread count', () => {
  it('defaults to the machine parallelism up to 4, and follows a valid setting', () => {
    expect(threadCount(undefined, 1)).toBe(1);
    expect(threadCount(undefined, 2)).toBe(2);
    expect(threadCount(undefined, 64)).toBe(4);
    expect(threadCount('', 8)).toBe(4);
    expect(threadCount('1', 8)).toBe(1);
    expect(threadCount('6', 2)).toBe(6);
  });
  it('refuses values that are not positive integers, naming the variable', () => {
    for (const bad of ['0', '-2', 'two', '2.5']) {
      expect(() => threadCount(bad, 2)).toThrow(
        /IMPLICIT_BIAS_CPU_THREADS must be a positive integer/,
      );
    }
  });
});

describe('thread pool limits', () => {
  it('workers take data matrices up to MAX_THREAD_DATA_BYTES; one thread makes no pool', () => {
    const pool = createThreadPool(2);
    expect(pool?.threads).toBe(2);
    expect(pool?.takes(MAX_THREAD_DATA_BYTES)).toBe(true);
    expect(pool?.takes(MAX_THREAD_DATA_BYTES + 8)).toBe(false);
    expect(createThreadPool(1)).toBeUndefined();
  });
});

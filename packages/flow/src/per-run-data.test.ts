import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, key, normal, split } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

// Issue 21, last bullet: one X (and y) per run of a batch. Oracle: independent single solves,
// each on its own data; rows of a batch never interact, so the batch must equal them bit for bit
// on the cpu backend (its kernel choice depends only on per-row work).
const be = createCpuBackend();
const B = 3;

function rows(v: Float64Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * d, (i + 1) * d)));
}

/** B regression data sets (n = 4, d = 5: exact fits) and B initializations. */
function regression(): { p: FlowProblem; Xs: number[][][]; ys: number[][] } {
  const n = 4;
  const d = 5;
  const keys = split(key(21), 2 * B);
  const Xs = Array.from({ length: B }, (_, b) => rows(normal(keys[b]!, n * d), n, d));
  const ys = Array.from({ length: B }, (_, b) => Array.from(normal(keys[B + b]!, n)));
  const network = diagonal({ dim: d, depth: 2 });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.3, seed: 4 }, B);
  return { p: { network, X: Xs, y: ys, loss: 'squared', init, backend: be }, Xs, ys };
}

/** B separable classification data sets (labels by a random hyperplane each). */
function classification(): { p: FlowProblem; Xs: number[][][]; ys: number[][] } {
  const n = 6;
  const d = 4;
  const keys = split(key(22), 2 * B);
  const Xs = Array.from({ length: B }, (_, b) => rows(normal(keys[b]!, n * d), n, d));
  const ys = Xs.map((X, b) => {
    const w = normal(keys[B + b]!, d);
    return X.map((r) => (r.reduce((s, v, j) => s + v * w[j]!, 0) >= 0 ? 1 : -1));
  });
  const network = diagonal({ dim: d, depth: 2 });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.5, seed: 5 }, B);
  return { p: { network, X: Xs, y: ys, loss: 'exponential', init, backend: be }, Xs, ys };
}

const bits = (s: FlowSolution, i: number): number[] =>
  s.runs[i]!.params.flatMap((v) => Array.from(v));

function expectSameRun(batched: FlowSolution, b: number, single: FlowSolution): void {
  const r = batched.runs[b]!;
  const s = single.runs[0]!;
  expect(bits(batched, b)).toEqual(bits(single, 0));
  expect(Array.from(r.beta)).toEqual(Array.from(s.beta));
  expect(r.time).toBe(s.time);
  expect(r.steps).toBe(s.steps);
  expect(r.status).toBe(s.status);
  expect(r.stoppedBy).toBe(s.stoppedBy);
  expect(r.loss).toBe(s.loss);
  expect(r.margin).toBe(s.margin);
  expect(batched.history[b]).toEqual(single.history[0]);
}

describe('one data set per run (X: [X_0, …], y: [y_0, …])', () => {
  it.each([
    ['dopri5', { method: 'dopri5', rtol: 1e-9, until: { time: 5, loss: 1e-8 } }],
    ['radau5', { method: 'radau5', rtol: 1e-8, until: { time: 5, loss: 1e-8 } }],
  ] as const)(
    '%s, squared loss: a batch of 3 runs on 3 data sets equals 3 separate solves bit for bit',
    async (_, opts: FlowOptions) => {
      const { p, Xs, ys } = regression();
      const batched = await solveFlow(p, opts);
      expect(batched.runs).toHaveLength(B);
      const betas = new Set<string>();
      for (let b = 0; b < B; b++) {
        const single = await solveFlow({ ...p, X: Xs[b]!, y: ys[b]!, init: [p.init[b]!] }, opts);
        expectSameRun(batched, b, single);
        betas.add(JSON.stringify(Array.from(batched.runs[b]!.beta)));
      }
      // the runs did train on different data (a shared X would not fit every y)
      expect(betas.size).toBe(B);
      // and every run trained: its loss fell at least by half
      for (const h of batched.history)
        expect(h.loss[h.loss.length - 1]!).toBeLessThan(0.5 * h.loss[0]!);
    },
  );

  it('the regression stall floor is per run: the run whose data have no exact fit stalls at its own least-squares minimum, as alone', async () => {
    const { p, Xs, ys } = regression();
    // run 1: two equal samples with different targets, so no linear predictor fits its y
    Xs[1]![3] = [...Xs[1]![2]!];
    ys[1]![3] = ys[1]![2]! + 1;
    const q: FlowProblem = { ...p, X: Xs, y: ys };
    const opts: FlowOptions = { method: 'dopri5', rtol: 1e-9, until: { loss: 1e-12, time: 1e4 } };
    const batched = await solveFlow(q, opts);
    for (let b = 0; b < B; b++) {
      const single = await solveFlow({ ...q, X: Xs[b]!, y: ys[b]!, init: [q.init[b]!] }, opts);
      expectSameRun(batched, b, single);
    }
    expect(batched.runs[1]!.status).toBe('stalled');
    expect(batched.runs[1]!.loss).toBeCloseTo(0.25, 6); // ½‖(I − P)y‖² = ½·2·(½)²
    expect(batched.runs[0]!.status).toBe('converged');
    expect(batched.runs[2]!.status).toBe('converged');
  });

  it('one y shared by runs with different X equals separate solves (dopri5)', async () => {
    const { p, Xs, ys } = regression();
    const opts: FlowOptions = { method: 'dopri5', rtol: 1e-9, until: { time: 3 } };
    const batched = await solveFlow({ ...p, y: ys[0]! }, opts);
    for (let b = 0; b < B; b++) {
      const single = await solveFlow({ ...p, X: Xs[b]!, y: ys[0]!, init: [p.init[b]!] }, opts);
      expectSameRun(batched, b, single);
    }
  });

  it('classification under the loss-normalized time (auto) equals separate solves bit for bit', async () => {
    const { p, Xs, ys } = classification();
    const opts: FlowOptions = {
      method: 'auto',
      rtol: 1e-9,
      time: 'loss-normalized',
      until: { margin: 5, steps: 3000 },
    };
    const batched = await solveFlow(p, opts);
    for (let b = 0; b < B; b++) {
      const single = await solveFlow({ ...p, X: Xs[b]!, y: ys[b]!, init: [p.init[b]!] }, opts);
      expectSameRun(batched, b, single);
      expect(batched.runs[b]!.stoppedBy).toBe('margin');
    }
  });

  it('a checkpoint of a per-run-data batch resumes to the uninterrupted batch bit for bit', async () => {
    const { p } = classification();
    const opts: FlowOptions = {
      method: 'radau5',
      rtol: 1e-9,
      time: 'loss-normalized',
      until: { margin: 5 },
    };
    const whole = await solveFlow(p, opts);
    // a deterministic clock cuts the solve into chunks of 7 ticks
    let ticks = 0;
    const chunked: FlowOptions = { ...opts, until: { margin: 5, wallMs: 7 }, clock: () => ticks++ };
    let sol = await solveFlow(p, chunked);
    let chunks = 1;
    for (; chunks < 10000 && sol.status === 'time-limit'; chunks++) {
      const cp = JSON.parse(JSON.stringify(sol.checkpoint())) as FlowCheckpoint;
      sol = await resumeFlow(p, cp, chunked);
    }
    expect(chunks).toBeGreaterThan(1);
    for (let b = 0; b < B; b++) {
      expect(bits(sol, b)).toEqual(bits(whole, b));
      expect(sol.runs[b]!.time).toBe(whole.runs[b]!.time);
      expect(sol.runs[b]!.steps).toBe(whole.runs[b]!.steps);
      expect(sol.runs[b]!.status).toBe(whole.runs[b]!.status);
    }
  });

  it('a checkpoint with another number of runs than X holds data sets is refused', async () => {
    const { p } = regression();
    const sol = await solveFlow(p, { until: { steps: 3 } });
    const cp = sol.checkpoint();
    const two = { ...p, X: (p.X as number[][][]).slice(0, 2), y: (p.y as number[][]).slice(0, 2) };
    await expect(resumeFlow(two, cp, { until: { steps: 6 } })).rejects.toThrow();
    await expect(
      resumeFlow({ ...two, init: p.init.slice(0, 2) }, cp, { until: { steps: 6 } }),
    ).rejects.toThrow(/runs/);
  });

  const shapeCases: [string, (p: FlowProblem) => FlowProblem, string, string][] = [
    [
      'fewer X than runs',
      (p) => ({ ...p, X: (p.X as number[][][]).slice(0, 2) }),
      'X',
      'SHAPE_MISMATCH',
    ],
    [
      'fewer y than runs',
      (p) => ({ ...p, y: (p.y as number[][]).slice(0, 2) }),
      'y',
      'SHAPE_MISMATCH',
    ],
    [
      'an X with other rows',
      (p) => ({ ...p, X: (p.X as number[][][]).map((X, r) => (r === 2 ? X.slice(1) : X)) }),
      'X[2]',
      'SHAPE_MISMATCH',
    ],
    [
      'an X with other columns',
      (p) => ({
        ...p,
        X: (p.X as number[][][]).map((X, r) => (r === 1 ? X.map((row) => row.slice(1)) : X)),
      }),
      'X[1]',
      'SHAPE_MISMATCH',
    ],
    [
      'a y of another length',
      (p) => ({ ...p, y: (p.y as number[][]).map((y, r) => (r === 1 ? y.slice(1) : y)) }),
      'y[1]',
      'SHAPE_MISMATCH',
    ],
    [
      'a non-finite X entry',
      (p) => ({
        ...p,
        X: (p.X as number[][][]).map((X, r) =>
          r === 2 ? [[NaN, ...X[0]!.slice(1)], ...X.slice(1)] : X,
        ),
      }),
      'X[2]',
      'NON_FINITE',
    ],
    [
      'a non-finite y entry',
      (p) => ({
        ...p,
        y: (p.y as number[][]).map((y, r) => (r === 0 ? [Infinity, ...y.slice(1)] : y)),
      }),
      'y[0][0]',
      'NON_FINITE',
    ],
    [
      'one y per run with one shared X',
      (p) => ({ ...p, X: (p.X as number[][][])[0]! }),
      'y',
      'SHAPE_MISMATCH',
    ],
  ];
  it.each(shapeCases)('%s is refused, naming the field', async (_, change, path, code) => {
    const { p } = regression();
    const err: unknown = await solveFlow(change(p), { until: { steps: 1 } }).catch(
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
    expect(
      (err as { path?: string }).path ?? (err as { data?: { path?: string } }).data?.path,
    ).toBe(path);
  });
});

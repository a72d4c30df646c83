import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, key, normal, split } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

const be = createCpuBackend();

function regression(batch: number): FlowProblem {
  const n = 4;
  const d = 5;
  const [kx, ky] = split(key(9), 2);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  const network = diagonal({ dim: d, depth: 2 });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.3, seed: 1 }, batch);
  return { network, X, y: Array.from(normal(ky!, n)), loss: 'squared', init, backend: be };
}

function classification(): FlowProblem {
  const network = diagonal({ dim: 3, depth: 2 });
  return {
    network,
    X: [
      [1, 0.2, -0.4],
      [-0.3, 1, 0.5],
      [0.6, -0.7, 1],
      [-1, -0.1, 0.3],
    ],
    y: [1, 1, -1, -1],
    loss: 'logistic',
    init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 2 }),
    backend: be,
  };
}

const bits = (s: FlowSolution, i = 0): number[] => s.runs[i]!.params.flatMap((v) => Array.from(v));

describe('batched runs, checkpoints and statuses', () => {
  it('B = 16 runs advanced together equal 16 sequential solves bit for bit (rows never interact)', async () => {
    const p = regression(16);
    const opts: FlowOptions = { method: 'dopri5', rtol: 1e-9, until: { time: 5, loss: 1e-6 } };
    const batched = await solveFlow(p, opts);
    expect(batched.runs).toHaveLength(16);
    for (let b = 0; b < 16; b++) {
      const single = await solveFlow({ ...p, init: [p.init[b]!] }, opts);
      expect(bits(batched, b)).toEqual(bits(single));
      expect(batched.runs[b]!.time).toBe(single.runs[0]!.time);
      expect(batched.runs[b]!.steps).toBe(single.runs[0]!.steps);
      expect(batched.runs[b]!.stoppedBy).toBe(single.runs[0]!.stoppedBy);
    }
  });

  it.each([
    ['dopri5, squared loss', 'dopri5', false],
    ['radau5, logistic loss under the time change', 'radau5', true],
    ['auto, logistic loss under the time change', 'auto', true],
  ] as const)(
    'checkpoint/resume reproduces the uninterrupted run bit for bit (%s)',
    async (_t, method, cls) => {
      const p = cls ? classification() : regression(2);
      const base: Omit<FlowOptions, 'until'> = cls
        ? { method, rtol: 1e-9, time: 'loss-normalized' }
        : { method, rtol: 1e-9 };
      const whole = await solveFlow(p, { ...base, until: { steps: 120 } });
      const part = await solveFlow(p, { ...base, until: { steps: 45 } });
      const cp = JSON.parse(JSON.stringify(part.checkpoint())) as FlowCheckpoint;
      const rest = await resumeFlow(p, cp, { ...base, until: { steps: 120 } });
      for (let b = 0; b < whole.runs.length; b++) {
        expect(bits(rest, b)).toEqual(bits(whole, b));
        expect(rest.runs[b]!.time).toBe(whole.runs[b]!.time);
      }
      expect(rest.stats.accepted).toBe(whole.stats.accepted);
    },
  );

  it.each(['dopri5', 'radau5', 'auto'] as const)(
    'a solve cut into one-iteration chunks (injected clock), each resumed from its JSON checkpoint, reproduces the uninterrupted run bit for bit, located margin events included (%s)',
    async (method) => {
      // oracle: the uninterrupted solve; the cuts land inside event searches too
      const network = diagonal({ dim: 3, depth: 2 });
      const p: FlowProblem = {
        ...classification(),
        init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 4 }, 2),
      };
      const base: FlowOptions = {
        method,
        rtol: 1e-9,
        time: 'loss-normalized',
        until: { margin: 30 },
        save: { count: 8 },
      };
      const whole = await solveFlow(p, base);
      let ticks = 0;
      // every clock read advances 1 ms: a chunk of 3 ms runs exactly one iteration of the loop
      const chunked: FlowOptions = {
        ...base,
        until: { margin: 30, wallMs: 3 },
        clock: () => ticks++,
      };
      let sol = await solveFlow(p, chunked);
      let chunks = 1;
      let duringSearch = 0;
      // a search restarted at every cut would never finish: cap the chunks
      while (sol.status === 'time-limit' && chunks < 5000) {
        const cp = JSON.parse(JSON.stringify(sol.checkpoint())) as FlowCheckpoint;
        if (cp.runs.some((r) => r.locate != null)) duringSearch += 1;
        cp.runs.forEach((r, b) => {
          // a run cut during a search reports the search's base point: before the crossing
          if (r.locate == null) return;
          expect(sol.runs[b]!.time).toBe(r.locate.base.t);
          expect(sol.runs[b]!.margin).toBeLessThan(30);
        });
        sol = await resumeFlow(p, cp, chunked);
        chunks += 1;
      }
      expect(sol.status).toBe('converged');
      expect(duringSearch).toBeGreaterThan(2);
      for (let b = 0; b < 2; b++) {
        const w = whole.runs[b]!;
        const r = sol.runs[b]!;
        expect(w.stoppedBy).toBe('margin');
        expect(Math.abs(w.margin / 30 - 1)).toBeLessThan(1e-11);
        expect(bits(sol, b)).toEqual(bits(whole, b));
        expect(r.time).toBe(w.time);
        expect(r.margin).toBe(w.margin);
        expect(r.stoppedBy).toBe('margin');
        expect(r.steps).toBe(w.steps);
        expect(r.stepper).toBe(w.stepper);
      }
      const { wallMs: _w1, ...ws } = whole.stats;
      const { wallMs: _w2, ...cs } = sol.stats;
      expect(cs).toEqual(ws);
      expect(chunks).toBeGreaterThan(whole.stats.accepted / 2 / 2);
    },
  );

  it('a resumed solve keeps its place in explicit save times and lands on the rest exactly (oracle: the uninterrupted solve)', async () => {
    const p = regression(1);
    const times = [0.5, 1, 2, 4];
    const opts: FlowOptions = { rtol: 1e-9, until: { time: 4 }, save: { times } };
    const whole = await solveFlow(p, opts);
    const part = await solveFlow(p, { ...opts, until: { time: 4, steps: 30 } });
    const t0 = part.runs[0]!.time;
    expect(t0).toBeGreaterThan(0.5);
    expect(t0).toBeLessThan(2);
    const cp = JSON.parse(JSON.stringify(part.checkpoint())) as FlowCheckpoint;
    const rest = await resumeFlow(p, cp, opts);
    expect(rest.saved[0]!.map((s) => s.time)).toEqual([t0, ...times.filter((t) => t > t0)]);
    expect(bits(rest)).toEqual(bits(whole));
  });

  it('a resumed solve rejects a checkpoint of another problem (error names the field)', async () => {
    const part = await solveFlow(regression(1), { until: { steps: 3 } });
    await expect(
      resumeFlow(classification(), part.checkpoint(), { until: { steps: 5 } }),
    ).rejects.toMatchObject({
      path: 'checkpoint.dim',
    });
  });

  it('gd with a step beyond the stability limit stops with status non-finite (and throws NON_FINITE on request)', async () => {
    const p = regression(1);
    const sol = await solveFlow(p, { method: 'gd', stepSize: 50, until: { steps: 10000 } });
    expect(sol.status).toBe('non-finite');
    expect(sol.runs[0]!.message).toMatch(/non-finite/);
    const err = await solveFlow(p, {
      method: 'gd',
      stepSize: 50,
      until: { steps: 10000 },
      throwOnFailure: true,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'NON_FINITE')).toBe(true);
  });

  it('saving: explicit times are hit exactly; the default log-spaced schedule stays within count', async () => {
    const p = regression(1);
    const times = [0.5, 1, 2, 4];
    const exact = await solveFlow(p, { rtol: 1e-9, until: { time: 4 }, save: { times } });
    expect(exact.saved[0]!.map((s) => s.time)).toEqual([0, ...times]);
    const logSpaced = await solveFlow(p, {
      method: 'auto',
      rtol: 1e-9,
      until: { time: 1e3 },
      save: { count: 10 },
    });
    const ts = logSpaced.history[0]!.time;
    expect(ts.length).toBeLessThanOrEqual(10);
    expect(ts[0]).toBe(0);
    expect(ts[ts.length - 1]).toBe(1e3);
    for (let i = 2; i < ts.length; i++) expect(ts[i]! / ts[i - 1]!).toBeGreaterThan(1.2);
  });

  it('until.wallMs stops every run with status time-limit; onProgress reports', async () => {
    const seen: number[] = [];
    const sol = await solveFlow(regression(2), {
      rtol: 1e-12,
      until: { time: 1e12, wallMs: 50 },
      onProgress: (i) => seen.push(i.activeRuns),
      progressThrottleMs: 0,
    });
    expect(sol.status).toBe('time-limit');
    expect(sol.runs.every((r) => r.stoppedBy === 'wallMs')).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });
});

import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { startFlow, type FlowRun } from './flow-run.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

const be = createCpuBackend();

/** Separable classification, two runs: margin targets are located (event searches). */
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
    init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 4 }, 2),
    backend: be,
  };
}

/**
 * Provably stiff depth-1 regression (eigenvalues 1, 1e-2, 1e-6; see stiffness.test.ts): `auto`
 * switches each run from dopri5 to radau5, the two runs at different steps (about 80 and 240
 * iterations), so the batch mixes both steppers for a while.
 */
const stiff: FlowProblem = {
  network: diagonal({ dim: 3, depth: 1 }),
  X: [
    [1, 0, 0],
    [0, 0.1, 0],
    [0, 0, 1e-3],
  ],
  y: [1, 0.1, 1e-3],
  loss: 'squared',
  init: [[Float64Array.from([0, 0, 0])], [Float64Array.from([3, 1, -2])]],
  backend: be,
};

const cases: [string, FlowProblem, FlowOptions][] = [
  [
    'dopri5',
    classification(),
    {
      method: 'dopri5',
      rtol: 1e-9,
      time: 'loss-normalized',
      until: { margin: 30 },
      save: { count: 8 },
    },
  ],
  [
    'radau5',
    classification(),
    {
      method: 'radau5',
      rtol: 1e-9,
      time: 'loss-normalized',
      until: { margin: 30 },
      save: { count: 8 },
    },
  ],
  [
    'auto (switching to radau5)',
    stiff,
    { method: 'auto', until: { loss: 1e-20 }, maxSteps: 50_000 },
  ],
];

/**
 * Everything a solution says, wall time left out, as comparable plain data (without the saved
 * points when `history` is false: those of a solve resumed from a checkpoint start there).
 */
function content(s: FlowSolution, history = true): unknown {
  const { wallMs: _w, ...stats } = s.stats;
  const { wallMs: _c, ...cp } = s.checkpoint();
  return {
    status: s.status,
    runs: s.runs.map((r) => ({
      ...r,
      params: r.params.map((p) => Array.from(p)),
      beta: Array.from(r.beta),
    })),
    ...(history ? { history: s.history, saved: s.saved } : {}),
    events: s.events,
    stats,
    invariantDrift: s.invariantDrift,
    checkpoint: cp,
  };
}

function drive(run: FlowRun, steps: number): number {
  let calls = 0;
  for (;;) {
    const r = run.advance({ steps });
    calls += 1;
    if (r.done) return calls;
    expect(run.done).toBe(false);
  }
}

describe('startFlow: a resumable run advanced in chunks', () => {
  it.each(cases)(
    '%s: advance in chunks of 1, 7 and 50 iterations gives bit for bit the uninterrupted solve (oracle: solveFlow)',
    async (_name, problem, options) => {
      const whole = await solveFlow(problem, options);
      expect(whole.status).toBe('converged');
      if (options.method === 'auto')
        expect(whole.runs.map((r) => r.stepper)).toEqual(['radau5', 'radau5']);
      for (const steps of [1, 7, 50]) {
        const run = startFlow(problem, options);
        const calls = drive(run, steps);
        expect(calls).toBeGreaterThan(whole.stats.accepted / 2 / steps / 2);
        expect(run.done).toBe(true);
        expect(content(run.solution())).toEqual(content(whole));
      }
    },
  );

  it('auto: the runs switch to radau5 at different steps, and a run paused between is honest (not converged)', () => {
    const run = startFlow(stiff, { method: 'auto', until: { loss: 1e-20 }, maxSteps: 50_000 });
    const seen = new Set<string>();
    while (!run.advance({ steps: 25 }).done) {
      const s = run.solution();
      seen.add(s.runs.map((r) => r.stepper).join(','));
      expect(s.status).toBe('running');
      for (const r of s.runs.filter((x) => x.status === 'running')) {
        expect(r.stoppedBy).toBe('paused');
        expect(r.message).toMatch(/paused at t = .*advance/);
      }
    }
    // a batch that held both steppers at once
    expect([...seen].some((k) => k.includes('dopri5') && k.includes('radau5'))).toBe(true);
    expect(run.solution().status).toBe('converged');
  });

  it('a checkpoint taken between chunks resumes (resumeFlow, or startFlow with from) on the uninterrupted trajectory, through JSON', async () => {
    const [, problem, options] = cases[0]!;
    const whole = await solveFlow(problem, options);
    const run = startFlow(problem, options);
    run.advance({ steps: 40 });
    expect(run.done).toBe(false);
    const cp = JSON.parse(JSON.stringify(run.checkpoint())) as FlowCheckpoint;
    run.dispose();
    expect(content(await resumeFlow(problem, cp, options), false)).toEqual(content(whole, false));
    const again = startFlow(problem, options, { from: cp });
    again.advance();
    expect(content(again.solution(), false)).toEqual(content(whole, false));
  });

  it('wallMs chunks are cut by the injected clock, not by real time: 3 iterations per 3-tick chunk on a ticking clock; a frozen clock never ends one', () => {
    const [, problem, base] = cases[0]!;
    let ticks = 0;
    const run = startFlow(problem, { ...base, clock: () => ticks++ });
    const attempts = (): number =>
      run.checkpoint().runs.reduce((a, r) => a + r.accepted + r.rejected, 0);
    // every clock read advances 1 ms: the chunk's start, then one read after each iteration
    for (let k = 1; k <= 5; k++) {
      const before = attempts();
      expect(run.advance({ wallMs: 3 }).done).toBe(false);
      // each iteration attempts one step of each of the two runs
      expect(attempts() - before).toBe(2 * 3);
    }
    const frozen = startFlow(problem, { ...base, clock: () => 0 });
    expect(frozen.advance({ wallMs: 1 }).done).toBe(true);
    expect(frozen.solution().status).toBe('converged');
  });

  it('advance reports per-run progress; a finished run stays finished; throwOnFailure throws from solution() once done', () => {
    const [, problem, options] = cases[0]!;
    const run = startFlow(problem, options);
    const first = run.advance({ steps: 3 });
    expect(first.done).toBe(false);
    expect(first.runs).toHaveLength(2);
    for (const r of first.runs) {
      expect(r.status).toBe('running');
      expect(r.steps).toBeGreaterThan(0);
      expect(r.time).toBeGreaterThan(0);
      expect(Number.isFinite(r.logLoss)).toBe(true);
    }
    const end = run.advance();
    expect(end.done).toBe(true);
    expect(end.runs.map((r) => r.status)).toEqual(['converged', 'converged']);
    expect(run.advance({ steps: 5 }).runs).toEqual(end.runs);
    const capped = startFlow(problem, { ...options, maxSteps: 10, throwOnFailure: true });
    expect(() => capped.solution()).not.toThrow();
    capped.advance();
    expect(() => capped.solution()).toThrow(/max-steps/);
  });
});

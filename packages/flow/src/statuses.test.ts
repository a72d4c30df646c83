import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError } from '@implicit-bias/core';
import { diagonal } from '@implicit-bias/networks';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { solveFlow } from './solve-flow.js';

// Issue 18, items 2 and 12: a run is `converged` only when its own stop rule held.
const be = createCpuBackend();

/** Depth-1 regression with an exact fit (X invertible): the loss decays like e^{−2λ_min t}. */
const exactFit: FlowProblem = {
  network: diagonal({ dim: 2, depth: 1 }),
  X: [
    [1, 0.2],
    [-0.3, 0.8],
  ],
  y: [0.5, -1],
  loss: 'squared',
  init: [[Float64Array.from([0.1, 0.1])]],
  backend: be,
};

describe('honest statuses: horizons versus targets (issue 18, item 2)', () => {
  it('a gd run that reaches until.steps before its loss target is max-steps (stopped by steps), and says which target it missed', async () => {
    const sol = await solveFlow(exactFit, {
      method: 'gd',
      stepSize: 0.05,
      until: { loss: 1e-30, steps: 50 },
    });
    const run = sol.runs[0]!;
    expect(sol.status).toBe('max-steps');
    expect(run.status).toBe('max-steps');
    expect(run.stoppedBy).toBe('steps');
    expect(run.steps).toBe(50);
    expect(run.message).toMatch(/until\.loss = 1e-30/);
    expect(run.message).toMatch(/until\.steps = 50/);
    expect(run.message).toMatch(/flow\.maxSteps/);
  });

  it.each(['dopri5', 'auto', 'radau5', 'rodas4'] as const)(
    '%s: reaching until.time before the loss target is max-time (stopped by time)',
    async (method) => {
      const sol = await solveFlow(exactFit, { method, until: { loss: 1e-30, time: 0.5 } });
      const run = sol.runs[0]!;
      expect(run.status).toBe('max-time');
      expect(run.stoppedBy).toBe('time');
      expect(run.time).toBe(0.5);
      expect(run.message).toMatch(/until\.time = 0\.5/);
      expect(run.message).toMatch(/until\.loss = 1e-30/);
    },
  );

  it.each([
    ['time', { time: 0.5 }],
    ['steps', { steps: 20 }],
    ['time and steps', { time: 1e3, steps: 20 }],
  ] as const)(
    'a fixed-horizon run (only %s) that reaches its horizon is converged',
    async (_t, until) => {
      const sol = await solveFlow(exactFit, { method: 'dopri5', until });
      expect(sol.status).toBe('converged');
    },
  );

  it('a run with a target and a horizon that reaches the target first is converged, stopped by the target', async () => {
    const sol = await solveFlow(exactFit, { method: 'dopri5', until: { loss: 1e-3, time: 1e3 } });
    expect(sol.status).toBe('converged');
    expect(sol.runs[0]!.stoppedBy).toBe('loss');
  });

  it.each(['gd', 'dopri5'] as const)(
    '%s: the safety cap options.maxSteps is max-steps (stopped by maxSteps); the message names options.maxSteps, flow.maxSteps and the missed target',
    async (method) => {
      const sol = await solveFlow(exactFit, {
        method,
        stepSize: method === 'gd' ? 0.05 : undefined,
        until: { loss: 1e-30 },
        maxSteps: 30,
      } as FlowOptions);
      const run = sol.runs[0]!;
      expect(run.status).toBe('max-steps');
      expect(run.stoppedBy).toBe('maxSteps');
      expect(run.message).toMatch(/options\.maxSteps/);
      expect(run.message).toMatch(/flow\.maxSteps/);
      expect(run.message).toMatch(/until\.loss = 1e-30/);
    },
  );

  it('throwOnFailure throws MAX_STEPS for a missed target', async () => {
    const err = await solveFlow(exactFit, {
      until: { loss: 1e-30, time: 0.5 },
      throwOnFailure: true,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'MAX_STEPS')).toBe(true);
  });
});

describe('tolerances and overflow at the boundary (issue 18, item 12)', () => {
  it.each([
    ['rtol > 1', { rtol: 2 }, 'options.rtol', /\(0, 1\]/],
    ['rtol = Infinity', { rtol: Infinity }, 'options.rtol', /\(0, 1\]/],
    ['rtol = NaN', { rtol: Number.NaN }, 'options.rtol', /\(0, 1\]/],
    ['rtol = 0', { rtol: 0 }, 'options.rtol', /\(0, 1\]/],
    ['atol = Infinity', { atol: Infinity }, 'options.atol', /finite/],
    ['stepSize = Infinity', { method: 'gd', stepSize: Infinity }, 'options.stepSize', /finite/],
    ['unknown stiffness', { stiffness: 'warn' }, 'options.stiffness', /'stop' or 'ignore'/],
  ] as const)('%s is rejected, naming the field and the valid range', async (_t, o, path, msg) => {
    const err = await solveFlow(exactFit, { until: { time: 1 }, ...o } as FlowOptions).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    expect((err as Error).message).toMatch(msg);
  });

  // margins −750 and 600 at the initialization: 𝓛 ≈ e^{750} overflows float64, log 𝓛 does not
  const overflow: FlowProblem = {
    network: diagonal({ dim: 2, depth: 1 }),
    X: [
      [30, 0],
      [0, 30],
    ],
    y: [1, -1],
    loss: 'exponential',
    init: [[Float64Array.from([-25, -20])]],
    backend: be,
  };

  it('under the loss-normalized time an exponential loss that overflows at the initialization is trained (log 𝓛 and the field are finite)', async () => {
    const sol = await solveFlow(overflow, {
      method: 'dopri5',
      time: 'loss-normalized',
      until: { margin: 10 },
    });
    const run = sol.runs[0]!;
    expect(sol.history[0]!.loss[0]).toBe(Infinity);
    expect(sol.history[0]!.logLoss[0]).toBeCloseTo(750 + Math.log1p(Math.exp(-1350)), 10);
    expect(sol.status).toBe('converged');
    expect(run.stoppedBy).toBe('margin');
  });

  it('in physical time the overflowing gradient is non-finite with a message saying what overflowed and what to do', async () => {
    const sol = await solveFlow(overflow, { method: 'dopri5', until: { margin: 10 } });
    const run = sol.runs[0]!;
    expect(sol.status).toBe('non-finite');
    expect(run.steps).toBe(0);
    expect(run.message).toMatch(/exponential loss overflows/);
    expect(run.message).toMatch(/log 𝓛 = 750[^0-9]/);
    expect(run.message).toMatch(/loss-normalized/);
    expect(run.message).toMatch(/scale the data or the initialization down/);
    expect(run.message).not.toMatch(/adaptive method/);
  });
});

import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError } from '@implicit-bias/core';
import { diagonal } from '@implicit-bias/networks';
import type { FlowProblem } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';
import { stiffBytes } from './stiff-memory.js';

const be = createCpuBackend();

// The stiff depth-1 regression of stiffness.test.ts: eigenvalues 1, 1e-2, 1e-6 of XᵀX, so
// dopri5's step is bound by stability and auto switches to radau5 when it may.
const stiff: FlowProblem = {
  network: diagonal({ dim: 3, depth: 1 }),
  X: [
    [1, 0, 0],
    [0, 0.1, 0],
    [0, 0, 1e-3],
  ],
  y: [1, 0.1, 1e-3],
  loss: 'squared',
  init: [[Float64Array.from([0, 0, 0])]],
  backend: be,
};
const until = { loss: 1e-20 };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('memory of the stiff Jacobians (checked before allocating)', () => {
  it('radau5 on a diagonal network with d = 1e5 (320 GB of Jacobians) fails at options.method with INVALID_CONFIG suggesting dopri5, not a RangeError', async () => {
    const d = 100_000;
    const network = diagonal({ dim: d, depth: 2 });
    const ones = new Float64Array(d).fill(0.01);
    const X = { rows: 1, cols: d, data: new Float64Array(d).fill(1) };
    const p: FlowProblem = {
      network,
      X,
      y: [1],
      loss: 'squared',
      init: [[ones, ones]],
      backend: be,
    };
    expect(stiffBytes('radau5', 2 * d, 1)).toBeGreaterThan(320e9);
    for (const method of ['radau5', 'rodas4'] as const) {
      const err = await rejection(solveFlow(p, { method, until: { steps: 1 } }));
      expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
      const e = err as { path: string; message: string };
      expect(e.path).toBe('options.method');
      expect(e.message).toMatch(/method: 'dopri5'/);
      expect(e.message).toMatch(/TiB|GiB/);
    }
  });

  it('a small options.memoryBudget refuses radau5 on a 3-parameter problem; a budget of exactly its estimate takes it', async () => {
    const budget = stiffBytes('radau5', 3, 1) - 1;
    const err = await rejection(
      solveFlow(stiff, { method: 'radau5', until, memoryBudget: budget }),
    );
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect((err as { path: string }).path).toBe('options.method');
    const ok = await solveFlow(stiff, {
      method: 'radau5',
      until,
      memoryBudget: stiffBytes('radau5', 3, 1),
    });
    expect(ok.status).toBe('converged');
  });

  it("auto stays with dopri5 when radau5's Jacobians cannot fit (oracle: dopri5 with stiffness 'ignore', bit for bit) and says so in the run's message", async () => {
    const opts = { until, maxSteps: 3000, memoryBudget: 100 };
    const auto = await solveFlow(stiff, { ...opts, method: 'auto' });
    const run = auto.runs[0]!;
    expect(run.stepper).toBe('dopri5');
    expect(auto.status).toBe('max-steps');
    expect(run.message).toMatch(/stayed with dopri5/);
    expect(run.message).toMatch(/memory budget of 100 bytes/);
    const explicit = await solveFlow(stiff, { ...opts, method: 'dopri5', stiffness: 'ignore' });
    expect(run.beta).toEqual(explicit.runs[0]!.beta);
    expect(run.steps).toBe(explicit.runs[0]!.steps);
    // with room, the same solve switches (stiffness.test.ts)
    const roomy = await solveFlow(stiff, { ...opts, method: 'auto', memoryBudget: 1e6 });
    expect(roomy.runs[0]!.stepper).toBe('radau5');
  });

  it('a resumed auto run already on radau5 is refused when the budget no longer fits', async () => {
    const part = await solveFlow(stiff, { method: 'auto', until: { steps: 1500 } });
    expect(part.runs[0]!.stepper).toBe('radau5');
    const err = await rejection(
      resumeFlow(stiff, part.checkpoint(), { method: 'auto', until, memoryBudget: 100 }),
    );
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect((err as { path: string }).path).toBe('options.method');
  });
});

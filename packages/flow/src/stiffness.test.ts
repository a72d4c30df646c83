import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal } from '@implicit-bias/networks';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

// Issue 18, item 13: an explicit dopri5 run whose step is bound by stability says so.
//
// Provably stiff: depth-1 regression is the linear ODE dβ/dt = −XᵀXβ + Xᵀy with eigenvalues
// 1, 1e-2 and 1e-6 (X diagonal). dopri5 is stable only for h ≤ 3.3/λ_max = 3.3, while the slow
// mode needs t ≈ 2e7 to bring the loss to 1e-20: ~6e6 steps, all at the stability limit.
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
  backend: createCpuBackend(),
};
const until = { loss: 1e-20 };

describe('explicit dopri5 bound by stability (issue 18, item 13)', () => {
  it('dopri5 stops with status stiff within Hairer’s test budget (1000 steps between tests, 15 detections), suggesting auto', async () => {
    // the cap keeps a broken engine from running for minutes: before the fix this was max-steps
    const sol = await solveFlow(stiff, { method: 'dopri5', until, maxSteps: 50_000 });
    const run = sol.runs[0]!;
    expect(sol.status).toBe('stiff');
    expect(run.stoppedBy).toBe('stiff');
    expect(run.steps).toBeGreaterThanOrEqual(1000);
    expect(run.steps).toBeLessThanOrEqual(2000 + 15);
    expect(run.message).toMatch(/limited by stability/);
    expect(run.message).toMatch(/method: 'auto'/);
    expect(run.message).toMatch(/options\.stiffness/);
  });

  it('auto solves the same problem (it switches to radau5 on the same stiffness test)', async () => {
    const sol = await solveFlow(stiff, { method: 'auto', until, maxSteps: 50_000 });
    expect(sol.status).toBe('converged');
    expect(sol.runs[0]!.stoppedBy).toBe('loss');
    expect(sol.runs[0]!.stepper).toBe('radau5');
    expect(sol.runs[0]!.steps).toBeLessThan(2000);
  });

  it("stiffness: 'ignore' keeps integrating with dopri5 (fixed-budget runs reproduce), bit for bit the trajectory of the stopping run up to its stop", async () => {
    const opts: FlowOptions = { method: 'dopri5', until, maxSteps: 2100 };
    const stopped = await solveFlow(stiff, opts);
    const ignored = await solveFlow(stiff, { ...opts, stiffness: 'ignore' });
    expect(ignored.status).toBe('max-steps');
    expect(ignored.runs[0]!.stoppedBy).toBe('maxSteps');
    expect(ignored.runs[0]!.steps).toBeGreaterThan(stopped.runs[0]!.steps);
    // the stopped run resumed with 'ignore' continues on the same trajectory
    const resumed = await resumeFlow(stiff, stopped.checkpoint(), { ...opts, stiffness: 'ignore' });
    expect(resumed.runs[0]!.beta).toEqual(ignored.runs[0]!.beta);
  });
});

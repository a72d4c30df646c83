import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, key, normal, oneMinusCos, split } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowProblem } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

const be = createCpuBackend();

/** Separable data: n = 10 points in d = 6 labelled by a random hyperplane (float64 reference backend). */
function separableProblem(): FlowProblem {
  const n = 10;
  const d = 6;
  const [kx, kw] = split(key(5), 2);
  const xs = normal(kx!, n * d);
  const w = normal(kw!, d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  const y = X.map((r) => (r.reduce((s, v, j) => s + v * w[j]!, 0) >= 0 ? 1 : -1));
  const network = diagonal({ dim: d, depth: 2 });
  const init = initialize(network, { scheme: 'gaussian', scale: 0.5, seed: 3 });
  return { network, X, y, loss: 'exponential', init, backend: be };
}

describe('classification under the loss-normalized time change (docs/theory/tensor-formulation.md)', () => {
  it('auto reaches log-loss ≤ −1e4 with finite parameters and a normalized margin that no longer decreases (invariant: layer norms)', async () => {
    const sol = await solveFlow(separableProblem(), {
      method: 'auto',
      rtol: 1e-10,
      time: 'loss-normalized',
      until: { logLoss: -1e4 },
    });
    const run = sol.runs[0]!;
    expect(sol.status).toBe('converged');
    expect(run.stoppedBy).toBe('logLoss');
    expect(run.logLoss).toBeLessThanOrEqual(-1e4 * (1 - 1e-10));
    for (const v of run.params) expect(v.every(Number.isFinite)).toBe(true);
    const nm = sol.history[0]!.normalizedMargin;
    const tail = nm.slice(-6);
    for (let i = 1; i < tail.length; i++)
      expect(tail[i]!).toBeGreaterThanOrEqual(tail[i - 1]! * (1 - 1e-12));
    // layer-norm invariant ‖v_1‖² − ‖v_2‖² is conserved while ‖Θ‖² grows to ~2e4
    expect(sol.invariantDrift.layerNorm).toBeLessThan(1e-6);
  });

  it('stiffness: radau5 reaches margin 1e8 in < 20,000 field evaluations; at margin 1e4 its direction matches dopri5 to 1 − cos ≤ 1e-10 (oracle: an independent explicit integrator)', async () => {
    const p = separableProblem();
    const opts = { rtol: 1e-10, atol: 1e-12, time: 'loss-normalized' } as const;
    // one radau5 trajectory: stopped (event located) at margin 1e4, then resumed to 1e8
    const stiff4 = await solveFlow(p, { ...opts, method: 'radau5', until: { margin: 1e4 } });
    const explicit = await solveFlow(p, { ...opts, method: 'dopri5', until: { margin: 1e4 } });
    for (const s of [stiff4, explicit]) {
      expect(s.runs[0]!.stoppedBy).toBe('margin');
      expect(Math.abs(s.runs[0]!.margin / 1e4 - 1)).toBeLessThan(1e-10);
    }
    const gap = oneMinusCos(stiff4.runs[0]!.beta, explicit.runs[0]!.beta);
    expect(gap).toBeLessThan(1e-10);
    const stiff = await resumeFlow(p, stiff4.checkpoint(), {
      ...opts,
      method: 'radau5',
      until: { margin: 1e8 },
    });
    const run = stiff.runs[0]!;
    expect(stiff.status).toBe('converged');
    expect(run.stoppedBy).toBe('margin');
    expect(Math.abs(run.margin / 1e8 - 1)).toBeLessThan(1e-10);
    for (const v of run.params) expect(v.every(Number.isFinite)).toBe(true);
    // counters are cumulative over the resume: the whole trajectory from the initialization
    expect(stiff.stats.fieldEvals).toBeLessThan(20000);
    // the direction keeps converging: the normalized margin does not decrease past margin 1e4
    expect(run.normalizedMargin).toBeGreaterThanOrEqual(stiff4.runs[0]!.normalizedMargin);
    // layer-norm invariant ‖v_1‖² − ‖v_2‖² while ‖Θ‖² grows to ~4.5e8
    expect(stiff.invariantDrift.layerNorm).toBeLessThan(1e-6);
    console.log(
      `margin 1e4: radau5 ${stiff4.stats.fieldEvals} field evals + ${stiff4.stats.jacobianEvals} exact Jacobians (${stiff4.stats.accepted} steps); ` +
        `dopri5 ${explicit.stats.fieldEvals} field evals (${explicit.stats.accepted} steps); 1 − cos = ${gap.toExponential(2)}\n` +
        `margin 1e8: radau5 ${stiff.stats.fieldEvals} field evals + ${stiff.stats.jacobianEvals} exact Jacobians (${stiff.stats.accepted} steps, ${stiff.stats.rejected} rejected)`,
    );
  });

  it('auto (dopri5 switching to radau5 when stiff) also reaches margin 1e8 in < 20,000 field evaluations (oracle: located margin event, layer-norm invariant)', async () => {
    const sol = await solveFlow(separableProblem(), {
      method: 'auto',
      rtol: 1e-10,
      atol: 1e-12,
      time: 'loss-normalized',
      until: { margin: 1e8 },
    });
    const run = sol.runs[0]!;
    expect(sol.status).toBe('converged');
    expect(run.stoppedBy).toBe('margin');
    expect(run.stepper).toBe('radau5');
    expect(Math.abs(run.margin / 1e8 - 1)).toBeLessThan(1e-10);
    expect(sol.stats.fieldEvals).toBeLessThan(20000);
    expect(sol.invariantDrift.layerNorm).toBeLessThan(1e-6);
    console.log(
      `margin 1e8: auto ${sol.stats.fieldEvals} field evals + ${sol.stats.jacobianEvals} exact Jacobians (${sol.stats.accepted} steps)`,
    );
  });

  it('non-separable data stall with a message saying so (oracle: finite minimizer of a coercive loss)', async () => {
    // the same x with both labels, and ±e2 both labelled +1: no linear separator, 𝓛 is coercive
    const network = diagonal({ dim: 2, depth: 1 });
    const problem: FlowProblem = {
      network,
      X: [
        [1, 0],
        [1, 0],
        [1, 0],
        [0, 1],
        [0, -1],
      ],
      y: [1, 1, -1, 1, 1],
      loss: 'exponential',
      init: [[Float64Array.from([0.3, -0.2])]],
      backend: be,
    };
    const sol = await solveFlow(problem, { method: 'dopri5', until: { time: 1e9 } });
    expect(sol.status).toBe('stalled');
    expect(sol.runs[0]!.message).toMatch(/non-separable/);
    // the minimizer: β1 = log(2)/2, β2 = 0
    expect(Math.abs(sol.runs[0]!.beta[0]! - Math.log(2) / 2)).toBeLessThan(1e-6);
    const err = await solveFlow(problem, {
      method: 'dopri5',
      until: { time: 1e9 },
      throwOnFailure: true,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'NOT_SEPARABLE')).toBe(true);
  });
});

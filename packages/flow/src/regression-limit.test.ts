import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, relativeDistance, split, uniform } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow } from './solve-flow.js';
import { depth3DiagonalLimit } from './testing/regression-oracle.js';

describe('regression limit of a depth-3 diagonal network (docs/theory/q-potential.md)', () => {
  it('dopri5 reaches argmin Q (dual Newton oracle) to 1e-8 relative with invariant drift ≤ 1e-9', async () => {
    const n = 5;
    const d = 12;
    const alpha = 0.5;
    const [kx, ky, ke] = split(key(2021), 3);
    const xs = normal(kx!, n * d);
    const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
    const y = Array.from(normal(ky!, n));
    const eta = uniform(ke!, d, 0.5, 1.5);
    const net = diagonal({ dim: d, depth: 3 });
    const init = initialize(net, {
      scheme: 'odeco',
      scale: alpha,
      shape: Array.from(eta),
      seed: 7,
    });
    const sol = await solveFlow(
      { network: net, X, y, loss: 'squared', init, backend: createCpuBackend() },
      { method: 'dopri5', rtol: 1e-12, atol: 1e-14, until: { loss: 1e-20 } },
    );
    expect(sol.status).toBe('converged');
    expect(sol.runs[0]!.stoppedBy).toBe('loss');
    const c = eta.map((e) => alpha * Math.abs(e));
    const limit = depth3DiagonalLimit(X, y, c);
    const err = relativeDistance(sol.runs[0]!.beta, limit);
    expect(err).toBeLessThan(1e-8);
    expect(sol.invariantDrift.layerNorm).toBeLessThan(1e-9);
    expect(sol.invariantDrift.odeco).toBeDefined();
    expect(sol.invariantDrift.odeco!).toBeLessThan(1e-9);
    console.log(
      `depth-3 regression: rel. error ${err.toExponential(2)}, drift ${sol.invariantDrift.layerNorm.toExponential(2)}/${sol.invariantDrift.odeco!.toExponential(2)}, t = ${sol.runs[0]!.time.toFixed(1)}, ${sol.stats.accepted} steps, ${sol.stats.fieldEvals} evals`,
    );
  });
});

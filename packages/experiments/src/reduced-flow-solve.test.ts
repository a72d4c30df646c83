import { createCpuBackend } from '@implicit-bias/backend-cpu';
import {
  isImplicitBiasError,
  key,
  normal,
  relativeDistance,
  split,
  uniform,
} from '@implicit-bias/core';
import { solveFlow } from '@implicit-bias/flow';
import { diagonal, initialize } from '@implicit-bias/networks';
import { predictRegressionQ } from '@implicit-bias/theory';
import { solveReducedFlow } from './reduced-flow-solve.js';

/** n = 5 samples in d = 12 dimensions (docs/theory/q-potential.md's regression oracle setting). */
function data(seed: number): { X: number[][]; y: number[]; eta: Float64Array } {
  const n = 5;
  const d = 12;
  const [kx, ky, ke] = split(key(seed), 3);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  return { X, y: Array.from(normal(ky!, n)), eta: uniform(ke!, d, 0.5, 1.5) };
}

describe('reduced odeco regression flow (docs/theory/q-potential.md)', () => {
  // Oracle: the same ODE integrated independently — solveFlow on the full 3·12-parameter network
  // (dopri5, rtol 1e-12) against the n = 5 dimensional reduced ODE (radau5, exact Jacobian).
  // Both integrate to ~1e-11 in float64; 1e-8 relative leaves room for error growth over t.
  it.each([
    [2, 0.5],
    [3, 0.5],
    [3, 0.1],
  ])(
    'L = %i, α = %f: β(t) matches solveFlow on the full diagonal network at t = 0.3, 1, 4 (independent integration)',
    async (L, alpha) => {
      const { X, y, eta } = data(2021 + L);
      const network = diagonal({ dim: 12, depth: L });
      const times = [0.3, 1, 4];
      const reduced = solveReducedFlow(
        { network, X, y, alpha, eta },
        { times, rtol: 1e-12, atol: 1e-14 },
      );
      expect(reduced.status).toBe('ok');
      const init = initialize(network, {
        scheme: 'odeco',
        scale: alpha,
        shape: Array.from(eta),
        seed: 3,
      });
      const full = await solveFlow(
        { network, X, y, loss: 'squared', init, backend: createCpuBackend() },
        { method: 'dopri5', rtol: 1e-12, atol: 1e-14, until: { time: 4 }, save: { times } },
      );
      const saved = full.saved[0]!;
      for (const [i, t] of times.entries()) {
        const snap = saved.find((s) => Math.abs(s.time - t) < 1e-12);
        expect(snap).toBeDefined();
        const gap = relativeDistance(reduced.points[i]!.beta, snap!.beta);
        expect(gap).toBeLessThan(1e-8);
      }
    },
  );

  it.each([
    [2, 0.3],
    [3, 0.3],
  ])(
    'L = %i, α = %f: at long times β reaches argmin Q (oracle: theory dual Newton) to 1e-9',
    (L, alpha) => {
      const { X, y, eta } = data(7 + L);
      const network = diagonal({ dim: 12, depth: L });
      const reduced = solveReducedFlow(
        { network, X, y, alpha, eta },
        { times: [1e2, 1e3, 1e4], rtol: 1e-12, atol: 1e-14 },
      );
      expect(reduced.status).toBe('ok');
      const A = { rows: 5, cols: 12, data: Float64Array.from(X.flat()) };
      const pred = predictRegressionQ({ A, y, L, alpha, eta });
      expect(pred.status).toBe('converged');
      const last = reduced.points[reduced.points.length - 1]!;
      expect(relativeDistance(last.beta, pred.rho)).toBeLessThan(1e-9);
      expect(last.jacobianEvals).toBeGreaterThan(0);
      // radau5 with a reused (inexact) Jacobian converges its Newton iterations to the same
      // collocation solution: same limit, never more Gram matrices than Jacobian requests (radau5
      // keeps its own J across steps and report times, so few requests are left to serve)
      const reused = solveReducedFlow(
        { network, X, y, alpha, eta },
        { times: [1e2, 1e3, 1e4], method: 'radau5', jacobianReuse: 0.05, rtol: 1e-12, atol: 1e-14 },
      );
      expect(reused.status).toBe('ok');
      const end = reused.points[reused.points.length - 1]!;
      expect(relativeDistance(end.beta, pred.rho)).toBeLessThan(1e-9);
      expect(end.gramEvaluations).toBeLessThanOrEqual(end.jacobianEvals);
    },
  );

  it('refuses bad report times, naming the option (the field refuses its own inputs: theory)', () => {
    const { X, y } = data(1);
    const network = diagonal({ dim: 12, depth: 2 });
    let caught: unknown;
    try {
      solveReducedFlow({ network, X, y, alpha: 1 }, { times: [2, 1] });
    } catch (e) {
      caught = e;
    }
    expect(isImplicitBiasError(caught, 'INVALID_CONFIG')).toBe(true);
    expect((caught as { path?: string }).path).toBe('options.times');
  });
});

describe('reduced flow at large d (diagonal networks never form a dense d×d)', () => {
  // Oracle: with two samples supported on disjoint coordinates and η = 1, the reduced ODE's limit
  // is argmin Q on the data (theory's predictRegressionQ, an independent solver). The network's
  // memory budget (200 kB) is below the 720 kB a dense 300×300 S would take: forming it throws.
  it('L = 2, d = 300 under a 200 kB budget: the limit equals argmin Q without forming S densely', () => {
    const d = 300;
    const X = [new Array<number>(d).fill(0), new Array<number>(d).fill(0)];
    X[0]![0] = 1;
    X[0]![1] = 2;
    X[1]![2] = 1;
    X[1]![3] = -1;
    const y = [1, -0.5];
    const network = diagonal({ dim: d, depth: 2 });
    const r = solveReducedFlow(
      { network, X, y, alpha: 0.5 },
      { times: [1e4], rtol: 1e-12, atol: 1e-14 },
    );
    expect(r.status).toBe('ok');
    const q = predictRegressionQ({
      A: { rows: 2, cols: 4, data: Float64Array.of(1, 2, 0, 0, 0, 0, 1, -1) },
      y: Float64Array.from(y),
      L: 2,
      alpha: 0.5,
    });
    const beta = r.points[0]!.beta;
    expect(relativeDistance(beta.subarray(0, 4), q.rho)).toBeLessThan(1e-8);
    let rest = 0;
    for (let j = 4; j < d; j++) rest = Math.max(rest, Math.abs(beta[j]!));
    expect(rest).toBe(0); // coordinates no sample touches never move
  });
});

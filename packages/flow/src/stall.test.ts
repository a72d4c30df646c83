import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, relativeDistance } from '@implicit-bias/core';
import { diagonal, fullyConnected, initialize } from '@implicit-bias/networks';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { leastSquaresMinimum } from './least-squares.js';
import { matrixFromRows } from '@implicit-bias/core';
import { solveFlow } from './solve-flow.js';

// Issue 18, item 4: regression without an exact fit stalls at the least-squares minimum, in a
// bounded number of steps, with t finite. The caps below only keep a broken engine from running
// for minutes: before the fix these runs ended at the cap (max-steps) or 'converged' at t = ∞.
const be = createCpuBackend();

// rows 0 and 1 are the same x with different targets: y is not in the column space of X
const X = [
  [1, 0.5],
  [1, 0.5],
  [0.3, -1],
  [-0.7, 0.2],
];
const y = [1, -1, 0.2, 0.4];

/**
 * Oracle: the least-squares minimum from the normal equations, b = (XᵀX)⁻¹Xᵀy (X has full column
 * rank), ½‖y − Xb‖², computed in closed form for two columns.
 */
function normalEquations(): { b: Float64Array; min: number } {
  let a = 0;
  let c = 0;
  let d = 0;
  let u = 0;
  let v = 0;
  X.forEach((r, i) => {
    a += r[0]! * r[0]!;
    c += r[0]! * r[1]!;
    d += r[1]! * r[1]!;
    u += r[0]! * y[i]!;
    v += r[1]! * y[i]!;
  });
  const det = a * d - c * c;
  const b = Float64Array.from([(d * u - c * v) / det, (a * v - c * u) / det]);
  const min = 0.5 * X.reduce((s, r, i) => s + (y[i]! - r[0]! * b[0]! - r[1]! * b[1]!) ** 2, 0);
  return { b, min };
}

const rtol = 1e-10;
const cap = 20_000;

describe('regression without an exact fit (issue 18, item 4)', () => {
  const { b, min } = normalEquations();

  it('the least-squares minimum of the flow matches the normal equations (oracle for the stall)', () => {
    expect(min).toBeGreaterThan(0.5);
    expect(
      Math.abs(leastSquaresMinimum(matrixFromRows(X), Float64Array.from(y)) / min - 1),
    ).toBeLessThan(1e-13);
  });

  it.each(['dopri5', 'auto', 'radau5', 'rodas4', 'gd'] as const)(
    'depth 1 with %s stalls at ½‖(I − P)y‖² with β at the least-squares solution, in a bounded number of steps',
    async (method) => {
      const sol = await solveFlow(
        {
          network: diagonal({ dim: 2, depth: 1 }),
          X,
          y,
          loss: 'squared',
          init: [[Float64Array.from([0.1, 0.2])]],
          backend: be,
        },
        {
          method,
          rtol,
          ...(method === 'gd' ? { stepSize: 0.2 } : {}),
          until: { loss: 1e-20, time: 1e12 },
          maxSteps: cap,
        } as FlowOptions,
      );
      const run = sol.runs[0]!;
      expect(run.status).toBe('stalled');
      expect(run.stoppedBy).toBe('stalled');
      expect(run.steps).toBeLessThan(2000);
      expect(Number.isFinite(run.time)).toBe(true);
      // the loss is at the floor (never below it), to the controller's tolerance
      expect(run.loss).toBeGreaterThanOrEqual(min * (1 - 1e-14));
      expect(run.loss / min - 1).toBeLessThan(100 * rtol);
      expect(relativeDistance(run.beta, b)).toBeLessThan(1e4 * rtol);
      expect(run.message).toMatch(/no exact fit/);
      expect(run.message).toMatch(/least-squares residual/);
      expect(run.message).toMatch(/until\.loss = 1e-20/);
    },
  );

  it('a fully-connected network stalls at the same least-squares minimum (any β is expressible)', async () => {
    const network = fullyConnected({ inputDim: 2, hidden: [3] });
    const sol = await solveFlow(
      {
        network,
        X,
        y,
        loss: 'squared',
        init: initialize(network, { scheme: 'gaussian', scale: 0.5, seed: 4 }),
        backend: be,
      },
      { method: 'auto', rtol, until: { loss: 1e-20 }, maxSteps: cap },
    );
    const run = sol.runs[0]!;
    expect(run.status).toBe('stalled');
    expect(run.steps).toBeLessThan(5000);
    expect(run.loss / min - 1).toBeLessThan(100 * rtol);
    expect(run.loss).toBeGreaterThanOrEqual(min * (1 - 1e-14));
  });

  it('throwOnFailure throws RANK_DEFICIENT (y is not in the column space of X)', async () => {
    const err = await solveFlow(
      {
        network: diagonal({ dim: 2, depth: 1 }),
        X,
        y,
        loss: 'squared',
        init: [[Float64Array.from([0.1, 0.2])]],
        backend: be,
      },
      { method: 'auto', until: { loss: 1e-20 }, maxSteps: cap, throwOnFailure: true },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'RANK_DEFICIENT')).toBe(true);
  });

  it.each(['dopri5', 'auto', 'gd'] as const)(
    'all-zero X with %s ends at once: the gradient is zero at the initialization',
    async (method) => {
      const sol = await solveFlow(
        {
          network: diagonal({ dim: 2, depth: 1 }),
          X: [
            [0, 0],
            [0, 0],
          ],
          y: [1, 2],
          loss: 'squared',
          init: [[Float64Array.from([0.1, 0.2])]],
          backend: be,
        },
        {
          method,
          ...(method === 'gd' ? { stepSize: 0.1 } : {}),
          until: { loss: 1e-20, time: 1e12 },
          maxSteps: cap,
        } as FlowOptions,
      );
      const run = sol.runs[0]!;
      expect(run.status).toBe('stalled');
      expect(run.stoppedBy).toBe('stationary');
      expect(run.steps).toBe(0);
      expect(run.loss).toBe(2.5);
      expect(run.message).toMatch(/gradient is zero at the initialization/);
      expect(run.message).toMatch(/X is all zeros/);
    },
  );

  it('a zero initialization of a depth-3 network (a saddle) ends at once, also under the loss-normalized time', async () => {
    const network = diagonal({ dim: 2, depth: 3 });
    const problem: FlowProblem = {
      network,
      X: [
        [1, 0.5],
        [0.3, -1],
      ],
      y: [1, -1],
      loss: 'squared',
      init: [[new Float64Array(2), new Float64Array(2), new Float64Array(2)]],
      backend: be,
    };
    for (const time of ['physical', 'loss-normalized'] as const) {
      const sol = await solveFlow(problem, { time, until: { loss: 1e-10 }, maxSteps: cap });
      const run = sol.runs[0]!;
      expect(run.status).toBe('stalled');
      expect(run.stoppedBy).toBe('stationary');
      expect(run.steps).toBe(0);
      expect(run.message).toMatch(/stationary point/);
      expect(run.message).toMatch(/nonzero scale/);
      const err = await solveFlow(problem, {
        time,
        until: { loss: 1e-10 },
        throwOnFailure: true,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    }
  });

  it('the time never becomes Infinity: a fixed-horizon run on a stationary problem ends at t = 1e300 (max-time)', async () => {
    // zero gradient: the step size grows tenfold per step; before the fix t reached Infinity
    const sol = await solveFlow(
      {
        network: diagonal({ dim: 2, depth: 1 }),
        X: [[0, 0]],
        y: [1],
        loss: 'squared',
        init: [[Float64Array.from([0.1, 0.2])]],
        backend: be,
      },
      { method: 'dopri5', until: { steps: 1000 } },
    );
    const run = sol.runs[0]!;
    expect(run.time).toBe(1e300);
    expect(run.status).toBe('max-time');
    expect(run.steps).toBeLessThan(1000);
    expect(JSON.parse(JSON.stringify(sol.checkpoint())).runs[0].h).not.toBeNull();
  });

  it('no false stall: data with an exact fit from a small initialization (plateaus between saddles) reach loss 1e-20', async () => {
    const network = diagonal({ dim: 4, depth: 2 });
    const sol = await solveFlow(
      {
        network,
        X: [
          [1, 0.5, -0.3, 0.2],
          [0.1, -1, 0.4, 0.7],
          [0.6, 0.2, 1.1, -0.5],
        ],
        y: [0.7, -0.4, 1.3],
        loss: 'squared',
        init: initialize(network, { scheme: 'gaussian', scale: 1e-6, seed: 2 }),
        backend: be,
      },
      { method: 'auto', rtol: 1e-10, until: { loss: 1e-20 }, maxSteps: cap },
    );
    expect(sol.status).toBe('converged');
    expect(sol.runs[0]!.stoppedBy).toBe('loss');
  });
});

import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { matrixFromRows, oneMinusCos, relativeDistance } from '@implicit-bias/core';
import { diagonal, fullyConnected, initialize } from '@implicit-bias/networks';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { describeEachBackend } from '@implicit-bias/testing';
import type { FlowCheckpoint } from './checkpoint.js';
import { resumeFlow, solveFlow } from './solve-flow.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { linearRegressionClosedForm } from './testing/closed-forms.js';
import type { LossName } from './losses.js';

// Oracle: the same solve with field evaluations in float64 on the cpu backend. The integrator
// state is float64 on every backend, so a float32 backend differs only by its rounding of the
// field, amplified over the run: tolerance from the backend's precision over ~1000 roundings.
const X = matrixFromRows([
  [1, 0.5, -1, 2, 0, 0.3],
  [0, 1, 1, -0.5, 1, -1],
  [2, -1, 0.5, 0, -1, 1],
]);

const cases: {
  name: string;
  net: LinearTensorNetwork;
  y: number[];
  loss: LossName;
  options: FlowOptions;
}[] = [
  {
    name: 'depth-2 diagonal regression (physical time)',
    net: diagonal({ dim: 6, depth: 2 }),
    y: [1, -0.5, 0.25],
    loss: 'squared',
    options: { method: 'dopri5', rtol: 1e-9, atol: 1e-12, until: { time: 3 } },
  },
  {
    name: 'fully-connected classification under the time change',
    net: fullyConnected({ inputDim: 6, hidden: [4] }),
    y: [1, -1, 1],
    loss: 'exponential',
    options: {
      method: 'dopri5',
      rtol: 1e-7,
      atol: 1e-10,
      time: 'loss-normalized',
      until: { time: 1 },
    },
  },
];

describeEachBackend('gradient flow on every backend', ({ backend, tol }) => {
  for (const c of cases) {
    it(`${c.name} matches the float64 cpu solve`, async () => {
      const init = initialize(c.net, { scheme: 'gaussian', scale: 0.5, seed: 3 });
      const problem = { network: c.net, X, y: c.y, loss: c.loss, init };
      const ref = await solveFlow({ ...problem, backend: createCpuBackend() }, c.options);
      const got = await solveFlow({ ...problem, backend: backend() }, c.options);
      expect(got.status).toBe('converged');
      expect(relativeDistance(got.runs[0]!.beta, ref.runs[0]!.beta)).toBeLessThanOrEqual(
        tol(1000).rtol,
      );
    });
  }
});

// The acceptance checks of the engine on every backend, each against its own oracle. The
// integrator works in float64 everywhere; a backend's rounding of the field sets both the
// integration tolerance (no point asking a float32 field for rtol 1e-10) and the test tolerance.
const X1 = [
  [1, 0.5, -0.3, 0.2],
  [0.1, -1, 0.4, 0.7],
  [0.6, 0.2, 1.1, -0.5],
];
const y1 = [0.7, -0.4, 1.3];
const b0 = [0.1, -0.2, 0.05, 0.3];
const flat = (s: FlowSolution, b: number): Float64Array =>
  Float64Array.from(s.runs[b]!.params.flatMap((v) => Array.from(v)));

describeEachBackend(
  'gradient-flow acceptance checks on every backend',
  ({ backend, tol, plugin }) => {
    // integration tolerance: 1e-10, or what the backend's field rounding allows
    const rtol = (): number => Math.max(1e-10, tol().rtol);

    it.each(['dopri5', 'radau5'] as const)(
      'depth-1 squared loss with %s matches the closed form β(t) of the matrix exponential',
      async (method) => {
        const sol = await solveFlow(
          {
            network: diagonal({ dim: 4, depth: 1 }),
            X: X1,
            y: y1,
            loss: 'squared',
            init: [[Float64Array.from(b0)]],
            backend: backend(),
          },
          { method, rtol: rtol(), atol: 1e-14, until: { time: 2 } },
        );
        expect(sol.status).toBe('converged');
        const exact = linearRegressionClosedForm(X1, y1, b0, 2);
        expect(relativeDistance(sol.runs[0]!.beta, exact)).toBeLessThanOrEqual(
          Math.max(1e-8, tol(1000).rtol),
        );
      },
    );

    it('batched runs (B = 4) equal the same runs solved alone (bit for bit on the float64 cpu backend)', async () => {
      const net = diagonal({ dim: 6, depth: 2 });
      const p: FlowProblem = {
        network: net,
        X,
        y: [1, -0.5, 0.25],
        loss: 'squared',
        init: initialize(net, { scheme: 'gaussian', scale: 0.5, seed: 11 }, 4),
        backend: backend(),
      };
      const opts: FlowOptions = { method: 'dopri5', rtol: rtol(), until: { time: 2 } };
      const batched = await solveFlow(p, opts);
      for (let b = 0; b < 4; b++) {
        const single = await solveFlow({ ...p, init: [p.init[b]!] }, opts);
        if (plugin.id === 'cpu') expect(flat(batched, b)).toEqual(flat(single, 0));
        else
          expect(relativeDistance(flat(batched, b), flat(single, 0))).toBeLessThanOrEqual(
            tol(1000).rtol,
          );
      }
    });

    it('checkpoint/resume through JSON reproduces the uninterrupted run, located margin event included (radau5 under the time change)', async () => {
      const net = diagonal({ dim: 6, depth: 2 });
      const p: FlowProblem = {
        network: net,
        X,
        y: [1, -1, 1],
        loss: 'exponential',
        init: initialize(net, { scheme: 'gaussian', scale: 0.5, seed: 3 }),
        backend: backend(),
      };
      const base = { method: 'radau5', rtol: rtol(), time: 'loss-normalized' } as const;
      const whole = await solveFlow(p, { ...base, until: { margin: 50 } });
      const part = await solveFlow(p, { ...base, until: { steps: 15 } });
      const cp = JSON.parse(JSON.stringify(part.checkpoint())) as FlowCheckpoint;
      const rest = await resumeFlow(p, cp, { ...base, until: { margin: 50 } });
      expect(rest.runs[0]!.stoppedBy).toBe('margin');
      expect(Math.abs(rest.runs[0]!.margin / 50 - 1)).toBeLessThanOrEqual(
        Math.max(1e-10, tol(100).rtol),
      );
      if (plugin.id === 'cpu') {
        expect(flat(rest, 0)).toEqual(flat(whole, 0));
        expect(rest.stats.accepted).toBe(whole.stats.accepted);
      } else {
        expect(relativeDistance(flat(rest, 0), flat(whole, 0))).toBeLessThanOrEqual(tol(1000).rtol);
      }
    });

    it('stiffness: radau5 and dopri5 under the time change reach margin 1e3 in the same direction (oracle: two independent integrators)', async () => {
      const net = diagonal({ dim: 6, depth: 2 });
      const p: FlowProblem = {
        network: net,
        X,
        y: [1, -1, 1],
        loss: 'exponential',
        init: initialize(net, { scheme: 'gaussian', scale: 0.5, seed: 3 }),
        backend: backend(),
      };
      const opts = {
        rtol: rtol(),
        atol: 1e-12,
        time: 'loss-normalized',
        until: { margin: 1e3 },
      } as const;
      const stiff = await solveFlow(p, { ...opts, method: 'radau5' });
      const explicit = await solveFlow(p, { ...opts, method: 'dopri5' });
      for (const s of [stiff, explicit]) {
        expect(s.status).toBe('converged');
        expect(s.runs[0]!.stoppedBy).toBe('margin');
      }
      // 1 − cos is quadratic in the direction error
      const e = Math.max(1e-8, tol(1000).rtol);
      expect(oneMinusCos(stiff.runs[0]!.beta, explicit.runs[0]!.beta)).toBeLessThanOrEqual(e * e);
    });
  },
);

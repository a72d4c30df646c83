import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { matrixFromRows, relativeDistance } from '@implicit-bias/core';
import { diagonal, fullyConnected, initialize } from '@implicit-bias/networks';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { describeEachBackend } from '@implicit-bias/testing';
import { solveFlow } from './solve-flow.js';
import type { FlowOptions } from './flow-types.js';
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

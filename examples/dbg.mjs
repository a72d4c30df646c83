import { matrixFromRows, oneMinusCos } from '@implicit-bias/core';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import { predictClassification, kktResidual } from '@implicit-bias/theory';
const X = matrixFromRows([
  [1, 0.5, -0.2, 0.1],
  [0.8, -0.3, 0.4, 0.6],
  [0.3, 1.2, 0.1, -0.5],
  [-1, -0.2, 0.3, 0.2],
  [-0.6, 0.4, -0.9, 0.1],
  [-0.4, -1, 0.2, -0.3],
]);
const y = [1, 1, 1, -1, -1, -1];
const net = diagonal({ dim: 4, depth: 2 });
const pred = await predictClassification(net, { X, y });
console.log(pred.beta, pred.certificate);
const backend = createCpuBackend();
for (const init of [
  initialize(net, { scheme: 'gaussian', scale: 0.1, seed: 3 }),
  initialize(net, { scheme: 'balanced', scale: 0.1, seed: 3 }),
])
  for (const margin of [1e2, 1e4, 1e8, 1e12]) {
    const sol = await solveFlow(
      { network: net, X, y, loss: 'exponential', init, backend },
      { method: 'auto', rtol: 1e-10, atol: 1e-12, time: 'loss-normalized', until: { margin } },
    );
    const run = sol.runs[0];
    const n = Math.hypot(...run.beta);
    console.log(
      margin,
      Array.from(run.beta, (b) => (b / n).toFixed(5)).join(' '),
      oneMinusCos(run.beta, pred.beta),
      kktResidual({ Z: X, y, rho: run.beta, L: 2 }).residual,
      sol.status,
    );
  }

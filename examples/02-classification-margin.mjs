// Classification with exponential loss: a depth-2 diagonal network trained by gradient flow under
// the time change dΘ/dσ = −‖Θ‖^{2−L} ∇log 𝓛 (same path as dΘ/dt = −∇𝓛, reaches huge margins in
// a short σ). Its direction approaches the ℓ1 max-margin direction (min ‖β‖_{2/L} with L = 2,
// docs/theory/max-margin.md); convergence in direction is slow, so the script prints the gap
// 1 − cos at two normalized margins instead of claiming the limit.
import { matrixFromRows, oneMinusCos } from '@implicit-bias/core';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import { predictClassification } from '@implicit-bias/theory';

// Soudry et al. (2018), Figure 1: support vectors ±(0.5, 1.5), ±(1.5, 0.5) plus two far points.
// Both the ℓ2 (L = 1) and the ℓ1 (L = 2) max-margin directions are (1, 1)/√2 here.
const X = matrixFromRows([
  [0.5, 1.5],
  [1.5, 0.5],
  [2, 3],
  [-0.5, -1.5],
  [-1.5, -0.5],
  [-3, -2],
]);
const y = [1, 1, 1, -1, -1, -1];
const backend = createCpuBackend();
for (const depth of [1, 2]) {
  const net = diagonal({ dim: 2, depth });
  const init = initialize(net, { scheme: 'gaussian', scale: 0.1, seed: 3 });
  const pred = await predictClassification(net, { X, y });
  if ('notSupported' in pred) throw new Error(pred.notSupported);
  for (const margin of [1e2, 1e4]) {
    const sol = await solveFlow(
      { network: net, X, y, loss: 'exponential', init, backend },
      { method: 'auto', rtol: 1e-11, atol: 1e-13, time: 'loss-normalized', until: { margin } },
    );
    const run = sol.runs[0];
    console.log(
      `L=${depth} ${pred.kind} margin ${run.margin.toExponential(1)}:`,
      `1-cos ${oneMinusCos(run.beta, pred.beta).toExponential(2)}`,
      `(${sol.stats.fieldEvals} field evaluations, status ${sol.status})`,
    );
  }
}
await backend.close();

// Regression with a depth-3 diagonal network: gradient flow from an odeco initialization of scale α
// converges to argmin Q_{L,α}(β) subject to Xβ = y (docs/theory/q-potential.md), for every α.
// The script trains the network at three scales, asks @implicit-bias/theory for the prediction,
// and prints the relative distance to it next to the distances to the two limits of Q: the
// minimum-ℓ1 interpolant (α → 0, the rich regime) and the minimum-ℓ2 one (α → ∞, the kernel regime).
import { matrixFromRows, relativeDistance } from '@implicit-bias/core';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import {
  predictRegression,
  weightedL1Interpolant,
  minNormInterpolant,
} from '@implicit-bias/theory';

const X = matrixFromRows([
  [1, 2, 0, -1, 0.5, 0],
  [0, 1, 1, 1, -1, 2],
  [2, 0, -1, 0, 1, 1],
]); // n = 3 samples, d = 6 features: underdetermined, many interpolants
const y = Float64Array.from([1, -0.5, 2]);
const net = diagonal({ dim: 6, depth: 3 });
const l1 = await weightedL1Interpolant({ A: X, y }); // diagonal network: S = I, so ρ = β
const l2 = minNormInterpolant(X, y);

const backend = createCpuBackend(); // float64
for (const alpha of [0.05, 0.3, 3]) {
  const init = initialize(net, { scheme: 'odeco', scale: alpha, shape: 'ones', seed: 0 });
  const sol = await solveFlow(
    { network: net, X, y, loss: 'squared', init, backend },
    { method: 'auto', rtol: 1e-11, atol: 1e-14, until: { loss: 1e-22 } },
  );
  const beta = sol.runs[0].beta;
  const pred = predictRegression(net, { X, y }, { alpha });
  if ('notSupported' in pred) throw new Error(pred.notSupported);
  console.log(
    `alpha ${alpha}: status ${sol.status},`,
    `distance to argmin Q ${relativeDistance(beta, pred.beta).toExponential(2)},`,
    `to min l1 ${relativeDistance(beta, l1.rho).toExponential(2)},`,
    `to min l2 ${relativeDistance(beta, l2.beta).toExponential(2)}`,
  );
}
await backend.close();

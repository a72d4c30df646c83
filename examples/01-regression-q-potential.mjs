// Regression with a depth-3 diagonal network: gradient flow from a small odeco initialization
// converges to argmin Q_{L,α}(β) subject to Xβ = y (docs/theory/q-potential.md). The script trains
// the network, asks @implicit-bias/theory for the prediction, and prints their relative distance
// next to the distances to the two limits α → 0 (ℓ1) and α → ∞ (ℓ2) for comparison.
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
const alpha = 0.3; // initialization scale
const net = diagonal({ dim: 6, depth: 3 });
const init = initialize(net, { scheme: 'odeco', scale: alpha, shape: 'ones', seed: 0 });

const backend = createCpuBackend(); // float64
const sol = await solveFlow(
  { network: net, X, y, loss: 'squared', init, backend },
  { method: 'auto', rtol: 1e-11, atol: 1e-14, until: { loss: 1e-22 } },
);
const beta = sol.runs[0].beta;
const pred = predictRegression(net, { X, y }, { alpha });
if ('notSupported' in pred) throw new Error(pred.notSupported);

// diagonal network: S = I, so ρ = β
const l1 = await weightedL1Interpolant({ A: X, y });
const l2 = minNormInterpolant(X, y);
console.log('status', sol.status, 'loss', sol.runs[0].loss.toExponential(2));
console.log('trained beta', Array.from(beta, (b) => b.toFixed(6)).join(' '));
console.log('distance to argmin Q', relativeDistance(beta, pred.beta).toExponential(2));
console.log('distance to min l1', relativeDistance(beta, l1.rho).toExponential(2));
console.log('distance to min l2', relativeDistance(beta, l2.beta).toExponential(2));
await backend.close();

// Your own linear tensor network from data tensors: f(x) = M(x)·(v_1, v_2) with
// M(x) = Σ_j x_j M_j, here k_1 = 2, k_2 = 3 (a bilinear model v_1ᵀ M(x) v_2 that is neither
// diagonal, convolutional nor fully connected). The theory has no closed-form limit for a general
// tensor, but Theorem 1 of Yun et al. (2021) still says where the layers go: the limit directions
// form a singular tuple of M(u), u = Σ_i ν_i y_i x_i. The script trains the network on separable
// data and prints the singular-tuple residual max_l(1 − cos(M(u)·v_{−l}, v_l)) at growing margins.
import { key, normal, matrixFromRows } from '@implicit-bias/core';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { tensorNetwork, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import { predictClassification, singularTupleResidual } from '@implicit-bias/theory';

const d = 3;
const dataTensors = Array.from({ length: d }, (_, j) => ({
  shape: [2, 3],
  data: normal(key(10 + j), 6), // M_j, row-major 2×3
}));
const net = tensorNetwork({ dataTensors });
console.log(`paramSizes ${net.paramSizes.join(',')}, odeco: ${JSON.stringify(net.odeco())}`);
const X = matrixFromRows([
  [1, 0.3, -0.2],
  [0.7, -0.4, 0.5],
  [-1, 0.2, 0.1],
  [-0.5, -0.6, -0.3],
]);
const y = [1, 1, -1, -1];
const pred = await predictClassification(net, { X, y });
console.log(
  'closed-form prediction:',
  'notSupported' in pred ? 'none (general tensor)' : pred.kind,
);

/** u = Σ_i p_i y_i x_i with p = softmax(−y ∘ Xβ): the direction that drives the flow. */
function drivingVector(beta) {
  const m = y.map(
    (yi, i) =>
      yi * (X.data[i * d] * beta[0] + X.data[i * d + 1] * beta[1] + X.data[i * d + 2] * beta[2]),
  );
  const lo = Math.min(...m);
  const w = m.map((mi) => Math.exp(-(mi - lo)));
  const u = new Float64Array(d);
  for (let i = 0; i < y.length; i++)
    for (let j = 0; j < d; j++) u[j] += w[i] * y[i] * X.data[i * d + j];
  return u;
}

const backend = createCpuBackend();
const init = initialize(net, { scheme: 'gaussian', scale: 0.2, seed: 1 });
for (const margin of [1e1, 1e3, 1e5]) {
  const sol = await solveFlow(
    { network: net, X, y, loss: 'exponential', init, backend },
    { method: 'auto', rtol: 1e-11, atol: 1e-13, time: 'loss-normalized', until: { margin } },
  );
  const run = sol.runs[0];
  const cert = singularTupleResidual({
    dataTensor: (u) => net.dataTensor(u),
    params: run.params,
    u: drivingVector(run.beta),
  });
  console.log(
    `margin ${run.margin.toExponential(1)}: singular-tuple residual ${cert.residual.toExponential(2)},`,
    `norm imbalance ${cert.normImbalance.toExponential(2)}, singular value ${cert.singularValue.toFixed(4)}`,
  );
}
await backend.close();

// A depth-2 circular convolutional network with full-length filters is orthogonally decomposable
// in the Fourier basis: M(x) = Σ_j [Sx]_j U_1[:,j] ⊗ U_2[:,j] with S = √d·F (F the unitary DFT).
// Trained on separable data with exponential loss, its direction approaches the Fourier-ℓ1
// max-margin direction argmin ‖Fβ‖_1 s.t. y_i⟨x_i, β⟩ ≥ 1 (Gunasekar et al. 2018; Yun et al.
// 2021, Theorem 2). The script prints the odeco check, the predicted and trained Fourier moduli,
// and the direction gap 1 − cos at two margins.
import { matrixFromRows, oneMinusCos } from '@implicit-bias/core';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { convolutional, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import { predictClassification } from '@implicit-bias/theory';

const d = 4;
const net = convolutional({ dim: d, depth: 2 }); // filters default to full length d
const od = net.odeco();
if ('notOdeco' in od) throw new Error(od.notOdeco);
console.log(`odeco: complex ${od.complex}, m = ${od.m}, S[0][0] = ${od.S.re[0].toFixed(6)}`); // √d/√d = 1

/** Moduli |(Fβ)_k| of the unitary DFT of β. */
function fourierModuli(beta) {
  return Array.from({ length: d }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let j = 0; j < d; j++) {
      re += (beta[j] * Math.cos((2 * Math.PI * j * k) / d)) / Math.sqrt(d);
      im -= (beta[j] * Math.sin((2 * Math.PI * j * k) / d)) / Math.sqrt(d);
    }
    return Math.hypot(re, im);
  });
}

const X = matrixFromRows([
  [1, 0.2, -0.5, 0.3],
  [0.4, 1, 0.1, -0.6],
  [-0.9, 0.3, 0.6, -0.2],
  [-0.2, -0.8, 0.4, 0.5],
]);
const y = [1, 1, -1, -1];
const pred = await predictClassification(net, { X, y });
if ('notSupported' in pred) throw new Error(pred.notSupported);
const scale = (v) => {
  const m = fourierModuli(v);
  const s = m.reduce((a, b) => a + b, 0);
  return m.map((x) => (x / s).toFixed(4)).join(' ');
};
console.log(`prediction ${pred.kind}: |F beta| / ||F beta||_1 = ${scale(pred.beta)}`);

const backend = createCpuBackend();
const init = initialize(net, { scheme: 'gaussian', scale: 0.1, seed: 2 });
for (const margin of [1e2, 1e4]) {
  const sol = await solveFlow(
    { network: net, X, y, loss: 'exponential', init, backend },
    { method: 'auto', rtol: 1e-11, atol: 1e-13, time: 'loss-normalized', until: { margin } },
  );
  const beta = sol.runs[0].beta;
  console.log(
    `margin ${sol.runs[0].margin.toExponential(1)}: |F beta| / ||F beta||_1 = ${scale(beta)},`,
    `1-cos to the prediction ${oneMinusCos(beta, pred.beta).toExponential(2)}`,
  );
}
await backend.close();

// The same gradient-flow solve on every backend that is available here. Networks and flow never
// import a backend: you hand them one. `selectBackend(undefined, { plugins })` honours the
// IMPLICIT_BIAS_BACKEND environment variable (cpu | tfjs-cpu | wasm | auto); an explicit id wins.
// The tfjs backends compute the field in float32 while the integrator state stays float64 on the
// host, so their distance to the float64 `cpu` result is at the level of float32 rounding.
import { matrixFromRows, relativeDistance } from '@implicit-bias/core';
import { listBackends, selectBackend } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from '@implicit-bias/backend-wasm';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow } from '@implicit-bias/flow';
import { predictRegression } from '@implicit-bias/theory';

const plugins = [cpuPlugin, tfjsCpuPlugin, wasmPlugin];
const X = matrixFromRows([
  [1, 2, 0, -1, 0.5],
  [0, 1, 1, 1, -1],
]);
const y = [1, -0.5];
const alpha = 0.5;
const net = diagonal({ dim: 5, depth: 2 });
const init = initialize(net, { scheme: 'odeco', scale: alpha, shape: 'ones', seed: 0 });
const pred = predictRegression(net, { X, y }, { alpha });
if ('notSupported' in pred) throw new Error(pred.notSupported);

const chosen = await selectBackend(undefined, { plugins }); // IMPLICIT_BIAS_BACKEND or the default
console.log(
  `IMPLICIT_BIAS_BACKEND=${process.env.IMPLICIT_BIAS_BACKEND ?? '(unset)'} selects ${chosen.id}`,
);
await chosen.close();

let reference;
for (const row of await listBackends({ plugins })) {
  if (!row.available) {
    console.log(`${row.id}: unavailable (${row.reason})`);
    continue;
  }
  const backend = await selectBackend(row.id, { plugins });
  const sol = await solveFlow(
    { network: net, X, y, loss: 'squared', init, backend },
    { method: 'dopri5', rtol: 1e-9, atol: 1e-12, until: { loss: 1e-14 } },
  );
  const beta = sol.runs[0].beta;
  if (row.id === 'cpu') reference = beta; // cpu is listed first: the float64 reference
  console.log(
    `${row.id} (${backend.precision}): distance to argmin Q ${relativeDistance(beta, pred.beta).toExponential(2)},`,
    `to the cpu result ${relativeDistance(beta, reference).toExponential(2)}`,
  );
  await backend.close();
}

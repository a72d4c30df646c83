import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { networkField } from '@implicit-bias/flow';
import { buildNetwork } from './lib/sections.mjs';
const be = createCpuBackend();
function cellOf(arch, L, n, d) {
  const net = buildNetwork(arch, L, d, 16);
  const [kx, ky, kp] = split(key(0), 3);
  const Xh = normal(kx, n * d), yh = normal(ky, n);
  const state = Float64Array.from(normal(kp, net.paramSizes.reduce((a, b) => a + b, 0)), (v) => (arch === 'diagonal' ? 0.5 * v : v / Math.sqrt(d)));
  const X = be.fromHost(Xh, [n, d]), y = be.fromHost(yh, [n]);
  const field = networkField({ network: net, backend: be, X, y, labels: yh, loss: 'squared', time: 'physical', fused: true });
  const out = new Float64Array(state.length);
  const s = [];
  for (let i = 0; i < 200; i++) field.evaluate(state, 1, undefined, out);
  for (let i = 0; i < 15; i++) { const t0 = performance.now(); field.evaluate(state, 1, undefined, out); s.push((performance.now() - t0) * 1e3); }
  s.sort((a, b) => a - b);
  console.log(arch, L, n, d, s[7].toFixed(1), 'µs', 'min', s[0].toFixed(1), 'max', s[14].toFixed(1));
  be.dispose([X, y]);
}
for (const L of [2, 3]) for (const [n, d] of [[10, 100], [100, 200], [100, 1000], [1000, 1000]]) cellOf('fully-connected', L, n, d);

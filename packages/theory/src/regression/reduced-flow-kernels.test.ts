import { createCpuBackend, cpuJsKernels } from '@implicit-bias/backend-cpu';
import { key, normal, split, uniform } from '@implicit-bias/core';
import { diagonal } from '@implicit-bias/networks';
import { reducedFlowField, type ReducedFlowKernels } from './reduced-flow.js';

// The reduced field's products with A through injected kernels (the cpu backend's host products,
// WebAssembly SIMD) against theory's own loops. Oracle: the JavaScript path of this module; the
// two sum in different orders, so they agree to a few ulps of the summed magnitudes, not bit for bit.

function problem(seed: number, n: number, d: number) {
  const [kx, ky, ke] = split(key(seed), 3);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  return { X, y: Array.from(normal(ky!, n)), eta: uniform(ke!, d, 0.5, 1.5) };
}

const host = createCpuBackend().host;
const SIMD: ReducedFlowKernels = {
  gemv: (a, x, m, n, y) => host.gemv(a, x, m, n, y),
  gemvT: (a, y, m, n, g) => host.gemvT(a, y, m, n, g),
  gemm: (a, x, rows, m, n, y) => host.gemm(a, x, rows, m, n, y),
};
const JS: ReducedFlowKernels = {
  gemv: (a, x, m, n, y) => cpuJsKernels.gemvInto(a, x, m, n, y),
  gemvT: (a, y, m, n, g) => cpuJsKernels.gemvTInto(a, y, m, n, g),
  gemm: (a, x, rows, m, n, y) => cpuJsKernels.gemmInto(a, x, rows, m, n, y),
};

describe.each([
  ['cpu host (default kernel path)', SIMD],
  ['cpu JavaScript kernels', JS],
])('reduced field with %s kernels', (_, kernels) => {
  it.each([
    [2, 0],
    [3, 0],
    [3, 1e-6],
  ])(
    'L = %i, jacobianDropTol %f: field and Jacobian equal the JavaScript loops to 1e-13 relative, the Jacobian exactly symmetric',
    (L, dropTol) => {
      const n = 7;
      const d = 300; // above the SIMD threshold of the host products
      const { X, y, eta } = problem(3 + L, n, d);
      const base = { network: diagonal({ dim: d, depth: L }), X, y, alpha: 0.3, eta };
      const plain = reducedFlowField(base, { jacobianDropTol: dropTol });
      const fast = reducedFlowField(base, { jacobianDropTol: dropTol, kernels });
      const s = Float64Array.from(normal(key(9), 2 * n), (v) => 0.05 * v);
      const f0 = plain.evaluate(s, 2);
      const f1 = fast.evaluate(s, 2);
      const scale = Math.max(...f0.map(Math.abs));
      for (let i = 0; i < f0.length; i++)
        expect(Math.abs(f1[i]! - f0[i]!)).toBeLessThanOrEqual(1e-13 * scale);
      const J0 = plain.jacobian!(s, 2);
      const J1 = fast.jacobian!(s, 2);
      const jscale = Math.max(...J0.map(Math.abs));
      for (let i = 0; i < J0.length; i++)
        expect(Math.abs(J1[i]! - J0[i]!)).toBeLessThanOrEqual(1e-13 * jscale);
      for (let r = 0; r < 2; r++)
        for (let i = 0; i < n; i++)
          for (let k = 0; k < n; k++)
            expect(J1[r * n * n + i * n + k]).toBe(J1[r * n * n + k * n + i]);
    },
  );
});

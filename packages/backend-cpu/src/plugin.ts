import type { BackendPlugin } from '@implicit-bias/backend';
import { createCpuBackend } from './backend.js';
import { cpuKernelProblem } from './kernels.js';

/**
 * The `cpu` plug-in: native float64, with WebAssembly SIMD kernels for products where the
 * runtime supports them and plain JavaScript loops otherwise (`cpuKernelInfo()` says which).
 * The probe succeeds everywhere unless `IMPLICIT_BIAS_CPU_KERNELS` is invalid or asks for
 * `wasm` where it cannot run. Priority 100, so `'auto'` prefers it unless a faster backend
 * ranks higher.
 */
export const cpuPlugin: BackendPlugin = Object.freeze({
  id: 'cpu',
  description:
    'native float64: WebAssembly SIMD kernels where supported, else JavaScript loops; no dependencies',
  precision: 'float64',
  priority: 100,
  probe: () => {
    const reason = cpuKernelProblem();
    return Promise.resolve(reason === undefined ? ({ ok: true } as const) : { ok: false, reason });
  },
  create: () => Promise.resolve(createCpuBackend()),
});

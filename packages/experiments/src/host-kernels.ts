import { createCpuBackend } from '@implicit-bias/backend-cpu';
import type { ReducedFlowKernels } from '@implicit-bias/theory';

let kernels: ReducedFlowKernels | undefined;

/**
 * The cpu backend's host products (WebAssembly SIMD where the runtime has it, else its
 * JavaScript loops; `IMPLICIT_BIAS_CPU_KERNELS` chooses), for the exact reduced flow's products
 * with `A`. Created once per process.
 */
export function cpuHostKernels(): ReducedFlowKernels {
  if (kernels === undefined) {
    const host = createCpuBackend().host;
    kernels = {
      gemv: (a, x, m, n, y) => host.gemv(a, x, m, n, y),
      gemvT: (a, y, m, n, g) => host.gemvT(a, y, m, n, g),
      gemm: (a, x, rows, m, n, y) => host.gemm(a, x, rows, m, n, y),
    };
  }
  return kernels;
}

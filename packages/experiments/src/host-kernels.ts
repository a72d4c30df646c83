import { cpuDenseLu, createCpuBackend } from '@implicit-bias/backend-cpu';
import type { DenseLu } from '@implicit-bias/flow';
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

/**
 * The cpu backend's WebAssembly SIMD LU factorizations for flow's implicit steppers
 * (`IntegrateOptions.lu`), or undefined where its kernel path is JavaScript
 * (`IMPLICIT_BIAS_CPU_KERNELS`, or no SIMD): flow then factors in JavaScript, to the same factors.
 */
export function cpuHostLu(): DenseLu | undefined {
  return cpuDenseLu();
}

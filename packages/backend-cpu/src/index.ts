/**
 * The native float64 TypeScript backend of implicit-bias: the embedded default, with no
 * runtime dependencies.
 *
 * @packageDocumentation
 */
export { createCpuBackend } from './backend.js';
export type { CpuBackend, CpuBackendOptions, CpuHostAccess } from './backend.js';
export { CPU_KERNELS_ENV, cpuKernelInfo, selectKernels as selectCpuKernels } from './kernels.js';
export { jsKernels as cpuJsKernels } from './kernels-js.js';
export { cpuDenseLu } from './lu-wasm.js';
export type {
  CpuComplexLuFactors,
  CpuDenseLu,
  CpuLuFactors,
  CpuSymmetricTridiagonal,
} from './lu-wasm.js';
export type {
  CpuKernelInfo,
  CpuKernelPath,
  CpuKernels,
  CpuKernelsOption,
  ResidualGradient,
} from './kernels-js.js';
export { cpuPlugin } from './plugin.js';
export { CPU_THREADS_ENV } from './threads.js';
export type { Chain, ChainEvaluator } from './chain.js';
export type { Dft } from './fft.js';
export type { RealDft } from './fft-real.js';
export type { RealSpectra } from './fft-wasm.js';

import { describeConformance } from '@implicit-bias/testing';
import { createCpuBackend } from './backend.js';
import { loadWasmKernels } from './kernels-wasm.js';
import { cpuPlugin } from './plugin.js';

// the default plug-in (WebAssembly SIMD on Node 20 unless IMPLICIT_BIAS_CPU_KERNELS says js)
describeConformance(cpuPlugin);

// the WebAssembly kernels for every product, however small (the default sends products under
// DEFAULT_MIN_WORK multiply-adds to the JavaScript loops, and conformance arrays are small)
const wasm = loadWasmKernels(0);
if (typeof wasm === 'string') throw new Error(`WebAssembly SIMD kernels unavailable: ${wasm}`);
describe('wasm-simd kernels for every product', () => {
  describeConformance({
    ...cpuPlugin,
    create: () => Promise.resolve(createCpuBackend({ kernels: wasm })),
  });
});

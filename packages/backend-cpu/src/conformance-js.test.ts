import { describeConformance } from '@implicit-bias/testing';
import { createCpuBackend } from './backend.js';
import { cpuPlugin } from './plugin.js';

// the plain JavaScript kernels, the path of runtimes without WebAssembly SIMD
describe('js kernels', () => {
  describeConformance({
    ...cpuPlugin,
    create: () => Promise.resolve(createCpuBackend({ kernels: 'js' })),
  });
});

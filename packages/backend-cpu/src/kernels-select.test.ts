import { ImplicitBiasError } from '@implicit-bias/core';
import { createCpuBackend } from './backend.js';
import { jsKernels } from './kernels-js.js';
import { CPU_KERNELS_ENV, cpuKernelInfo, selectKernels } from './kernels.js';
import { availableParallelism } from 'node:os';
import { cpuPlugin } from './plugin.js';
import { CPU_THREADS_ENV } from './threads.js';

const saved = process.env[CPU_KERNELS_ENV];
const savedThreads = process.env[CPU_THREADS_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[CPU_KERNELS_ENV];
  else process.env[CPU_KERNELS_ENV] = saved;
  if (savedThreads === undefined) delete process.env[CPU_THREADS_ENV];
  else process.env[CPU_THREADS_ENV] = savedThreads;
});

describe('kernel path selection', () => {
  it('auto picks WebAssembly SIMD on Node 20 (it has SIMD) and reports it', async () => {
    delete process.env[CPU_KERNELS_ENV];
    delete process.env[CPU_THREADS_ENV];
    expect(selectKernels().path).toBe('wasm-simd');
    expect(selectKernels('wasm').path).toBe('wasm-simd');
    // threads of batched gradients: the machine's parallelism, at most 4
    const threads = Math.min(4, availableParallelism());
    expect(cpuKernelInfo()).toEqual({ path: 'wasm-simd', threads });
    expect(selectKernels().threads).toBe(threads);
    expect(await cpuPlugin.probe()).toEqual({ ok: true });
  });

  it(`${CPU_KERNELS_ENV}=js selects the JavaScript loops and says why`, () => {
    process.env[CPU_KERNELS_ENV] = 'js';
    expect(selectKernels()).toBe(jsKernels);
    expect(cpuKernelInfo()).toEqual({ path: 'js', reason: `${CPU_KERNELS_ENV}=js` });
  });

  it(`${CPU_THREADS_ENV} sets the threads (1 turns them off); a malformed value names the variable`, async () => {
    delete process.env[CPU_KERNELS_ENV];
    process.env[CPU_THREADS_ENV] = '1';
    expect(cpuKernelInfo()).toEqual({ path: 'wasm-simd', threads: 1 });
    expect(selectKernels().threads).toBe(1);
    process.env[CPU_THREADS_ENV] = '3';
    expect(cpuKernelInfo()).toEqual({ path: 'wasm-simd', threads: 3 });
    for (const bad of ['0', 'many', '1.5']) {
      process.env[CPU_THREADS_ENV] = bad;
      expect(() => selectKernels()).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', path: CPU_THREADS_ENV }),
      );
      expect(cpuKernelInfo().reason).toMatch(
        /IMPLICIT_BIAS_CPU_THREADS must be a positive integer/,
      );
      expect((await cpuPlugin.probe()).ok).toBe(false);
    }
  });

  it('an explicit option wins over the environment variable', () => {
    process.env[CPU_KERNELS_ENV] = 'js';
    expect(selectKernels('wasm').path).toBe('wasm-simd');
  });

  it('an invalid value is an INVALID_CONFIG error naming the variable; probe and info say so', async () => {
    process.env[CPU_KERNELS_ENV] = 'fast';
    let err: unknown;
    try {
      createCpuBackend();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImplicitBiasError);
    expect((err as ImplicitBiasError).code).toBe('INVALID_CONFIG');
    expect((err as Error).message).toMatch(/IMPLICIT_BIAS_CPU_KERNELS=fast .*use auto, wasm or js/);
    const probe = await cpuPlugin.probe();
    expect(probe.ok).toBe(false);
    expect(cpuKernelInfo().path).toBe('js');
    expect(cpuKernelInfo().reason).toMatch(/IMPLICIT_BIAS_CPU_KERNELS=fast/);
  });

  it('backends on either path compute the same product', async () => {
    delete process.env[CPU_KERNELS_ENV];
    const results = [];
    for (const kernels of ['js', 'wasm'] as const) {
      const be = createCpuBackend({ kernels });
      const a = be.fromHost(
        Array.from({ length: 64 * 50 }, (_, i) => (i % 7) - 3),
        [64, 50],
      );
      const b = be.fromHost(
        Array.from({ length: 50 * 40 }, (_, i) => (i % 5) - 2),
        [50, 40],
      );
      results.push(Array.from(await be.toHost(be.matmul(a, b))));
      await be.close();
    }
    expect(results[1]).toEqual(results[0]); // integer entries: exact in any summation order
  });
});

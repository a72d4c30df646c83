import { ImplicitBiasError } from '@implicit-bias/core';
import { jsKernels } from './kernels-js.js';
import type { CpuKernelInfo, CpuKernels, CpuKernelsOption } from './kernels-js.js';
import { loadWasmKernels } from './kernels-wasm.js';
import { CPU_THREADS_ENV, machineParallelism, threadCount, threadsAvailable } from './threads.js';

/** The environment variable that overrides the kernel path: `auto`, `wasm` or `js`. */
export const CPU_KERNELS_ENV = 'IMPLICIT_BIAS_CPU_KERNELS';

/** The kernel path {@link CPU_KERNELS_ENV} asks for (`auto` when unset); throws when invalid. */
export function envChoice(): CpuKernelsOption {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const v = env?.[CPU_KERNELS_ENV]?.trim().toLowerCase();
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'wasm' || v === 'js') return v;
  throw new ImplicitBiasError(
    'INVALID_CONFIG',
    `${CPU_KERNELS_ENV}=${v} is not a kernel path; use auto, wasm or js (or unset it)`,
    { path: CPU_KERNELS_ENV },
  );
}

/** The threads of batched gradients: {@link CPU_THREADS_ENV}, else the machine's parallelism. */
function envThreads(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  try {
    return threadsAvailable()
      ? threadCount(env?.[CPU_THREADS_ENV]?.trim(), machineParallelism())
      : 1;
  } catch (e) {
    throw new ImplicitBiasError('INVALID_CONFIG', e instanceof Error ? e.message : String(e), {
      path: CPU_THREADS_ENV,
    });
  }
}

/**
 * The kernels for a request (default: {@link CPU_KERNELS_ENV}, else `'auto'`). `'wasm'` throws
 * `BACKEND_UNAVAILABLE` where WebAssembly SIMD cannot run; `'auto'` falls back to JavaScript.
 */
export function selectKernels(option?: CpuKernelsOption): CpuKernels {
  const choice = option ?? envChoice();
  if (choice === 'js') return jsKernels;
  const wasm = loadWasmKernels(undefined, { threads: envThreads() });
  if (typeof wasm !== 'string') return wasm;
  if (choice === 'wasm') {
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      `the WebAssembly SIMD kernels cannot run here: ${wasm}; ` +
        `use the JavaScript kernels (${CPU_KERNELS_ENV}=js or kernels: 'js')`,
      { path: 'cpu kernels' },
    );
  }
  return jsKernels;
}

/**
 * Which kernel path a cpu backend created with default options uses in this runtime, and why
 * JavaScript when it is not WebAssembly SIMD (the runtime lacks it, or {@link CPU_KERNELS_ENV}
 * asks for `js`). Never throws: an invalid or unsatisfiable {@link CPU_KERNELS_ENV} is reported
 * as the reason.
 */
export function cpuKernelInfo(): CpuKernelInfo {
  let choice: CpuKernelsOption;
  try {
    choice = envChoice();
  } catch (e) {
    return { path: 'js', reason: e instanceof Error ? e.message : String(e) };
  }
  if (choice === 'js') return { path: 'js', reason: `${CPU_KERNELS_ENV}=js` };
  let threads: number;
  try {
    threads = envThreads();
  } catch (e) {
    return { path: 'js', reason: e instanceof Error ? e.message : String(e) };
  }
  const wasm = loadWasmKernels(undefined, { threads });
  if (typeof wasm !== 'string') return { path: 'wasm-simd', threads: wasm.threads ?? 1 };
  return {
    path: 'js',
    reason:
      choice === 'wasm'
        ? `${CPU_KERNELS_ENV}=wasm but WebAssembly SIMD cannot run here (${wasm}); creating the backend fails`
        : `WebAssembly SIMD unavailable: ${wasm}`,
  };
}

/**
 * Why a cpu backend cannot be created here with default options (an invalid
 * {@link CPU_KERNELS_ENV}, or `wasm` where WebAssembly SIMD cannot run), else undefined.
 */
export function cpuKernelProblem(): string | undefined {
  try {
    selectKernels();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

import { ImplicitBiasError } from '@implicit-bias/core';
import type { Backend, BackendPlugin, ProbeResult } from '@implicit-bias/backend';
import { createTfjsBackend } from './tfjs-backend.js';
import { loadTfjsCore } from './tfjs-module.js';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function loadCpu(): Promise<void> {
  // registers the 'cpu' backend in tfjs-core's engine as a side effect
  await import('@tensorflow/tfjs-backend-cpu');
}

/**
 * The tfjs-cpu plug-in: TensorFlow.js's plain JavaScript backend (`@tensorflow/tfjs-backend-cpu`),
 * float32, in Node and browsers. Nothing is loaded until `probe()` or `create()`.
 */
export const tfjsCpuPlugin: BackendPlugin = {
  id: 'tfjs-cpu',
  description: 'TensorFlow.js cpu backend (JavaScript kernels, float32)',
  precision: 'float32',
  priority: 10,
  async probe(): Promise<ProbeResult> {
    try {
      await loadTfjsCore();
      await loadCpu();
      return { ok: true };
    } catch (e) {
      return {
        ok: false,
        reason:
          `cannot load @tensorflow/tfjs-core and @tensorflow/tfjs-backend-cpu (${message(e)}); ` +
          'install them: npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu',
      };
    }
  },
  async create(): Promise<Backend> {
    try {
      const tf = await loadTfjsCore();
      await loadCpu();
      if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') failed");
      return createTfjsBackend(tf, { id: 'tfjs-cpu', tfBackendName: 'cpu' });
    } catch (e) {
      if (e instanceof ImplicitBiasError) throw e;
      throw new ImplicitBiasError(
        'BACKEND_UNAVAILABLE',
        `the tfjs-cpu backend could not start (${message(e)}); install @tensorflow/tfjs-core ` +
          'and @tensorflow/tfjs-backend-cpu, or choose another backend',
        { path: 'tfjs-cpu', cause: e },
      );
    }
  },
};

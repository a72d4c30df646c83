import { ImplicitBiasError } from '@implicit-bias/core';
import type { Backend, BackendPlugin, ProbeResult } from '@implicit-bias/backend';
import { createTfjsBackend, loadTfjsCore } from '@implicit-bias/backend-tfjs';

/** Options of {@link createWebglPlugin}. */
export interface WebglPluginOptions {
  /**
   * Says whether this runtime can create a WebGL 2 context; returns the reason when it cannot.
   * Defaults to {@link detectWebgl2}.
   */
  readonly detect?: () => string | undefined;
}

interface CanvasLike {
  getContext(kind: string): unknown;
}

/**
 * Check for a WebGL 2 context in this runtime. Returns `undefined` when one can be created,
 * otherwise the reason and what to do instead.
 */
export function detectWebgl2(): string | undefined {
  const g = globalThis as {
    document?: { createElement(tag: string): CanvasLike };
    OffscreenCanvas?: new (w: number, h: number) => CanvasLike;
  };
  let canvas: CanvasLike | undefined;
  if (typeof g.OffscreenCanvas === 'function') canvas = new g.OffscreenCanvas(1, 1);
  else if (g.document !== undefined) canvas = g.document.createElement('canvas');
  if (canvas === undefined) {
    return (
      'WebGL runs only in browsers (no document or OffscreenCanvas here); ' +
      "in Node choose 'wasm', 'tensorflow' or 'cpu'"
    );
  }
  try {
    if (canvas.getContext('webgl2') === null) {
      return 'this browser cannot create a WebGL 2 context (disabled or unsupported GPU); choose wasm or cpu';
    }
  } catch (e) {
    return `creating a WebGL 2 context failed (${e instanceof Error ? e.message : String(e)}); choose wasm or cpu`;
  }
  return undefined;
}

/**
 * A webgl plug-in: TensorFlow.js's WebGL backend (`@tensorflow/tfjs-backend-webgl`, float32), for
 * browsers with WebGL 2. Nothing is loaded until `probe()` or `create()`.
 */
export function createWebglPlugin(options: WebglPluginOptions = {}): BackendPlugin {
  const detect = options.detect ?? detectWebgl2;
  return {
    id: 'webgl',
    description: 'TensorFlow.js WebGL backend (GPU in browsers, float32)',
    precision: 'float32',
    priority: 30,
    async probe(): Promise<ProbeResult> {
      const reason = detect();
      if (reason !== undefined) return { ok: false, reason };
      try {
        await loadTfjsCore();
        await import('@tensorflow/tfjs-backend-webgl');
        return { ok: true };
      } catch (e) {
        return {
          ok: false,
          reason:
            `cannot load @tensorflow/tfjs-backend-webgl (${e instanceof Error ? e.message : String(e)}); ` +
            'install it: npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-webgl',
        };
      }
    },
    async create(): Promise<Backend> {
      const reason = detect();
      if (reason !== undefined) {
        throw new ImplicitBiasError('BACKEND_UNAVAILABLE', `webgl is unavailable: ${reason}`, {
          path: 'webgl',
        });
      }
      const tf = await loadTfjsCore();
      await import('@tensorflow/tfjs-backend-webgl');
      if (!(await tf.setBackend('webgl'))) {
        throw new ImplicitBiasError(
          'BACKEND_UNAVAILABLE',
          "tf.setBackend('webgl') failed: the WebGL context could not be initialized; choose wasm or cpu",
          { path: 'webgl' },
        );
      }
      return createTfjsBackend(tf, { id: 'webgl', tfBackendName: 'webgl' });
    },
  };
}

/** The webgl plug-in with default detection. */
export const webglPlugin: BackendPlugin = createWebglPlugin();

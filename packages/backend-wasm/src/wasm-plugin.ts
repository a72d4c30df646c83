import { ImplicitBiasError } from '@implicit-bias/core';
import type { Backend, BackendPlugin, ProbeResult } from '@implicit-bias/backend';
import { createTfjsBackend, loadTfjsCore } from '@implicit-bias/backend-tfjs';
import type { Tfjs } from '@implicit-bias/backend-tfjs';
import type * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';

/** Options of {@link createWasmPlugin}. */
export interface WasmPluginOptions {
  /**
   * Where the `tfjs-backend-wasm*.wasm` files are served from (a URL prefix ending in `/`, or a
   * directory in Node). Browsers need it: copy the files from
   * `node_modules/@tensorflow/tfjs-backend-wasm/dist/` next to your page. In Node the default
   * loads them from the installed package.
   */
  readonly wasmPaths?: string;
}

type WasmModule = typeof tfjsWasm;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const INSTALL = 'npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm';

/** Load tfjs-core and the wasm package (which registers the 'wasm' tfjs backend). */
async function load(wasmPaths: string | undefined): Promise<{ tf: Tfjs; wasm: WasmModule }> {
  const tf = await loadTfjsCore();
  const m = (await import('@tensorflow/tfjs-backend-wasm')) as WasmModule & {
    default?: WasmModule;
  };
  const wasm = typeof m.setWasmPaths === 'function' ? m : (m.default ?? m);
  // the paths only matter before the first initialization attempt, after which the wasm
  // package refuses them: the location of that first attempt stays in effect
  if (wasmPaths !== undefined && tf.engine().registry['wasm'] === undefined) {
    try {
      wasm.setWasmPaths(wasmPaths);
    } catch {
      // already initialized (or tried): nothing to change
    }
  }
  return { tf, wasm };
}

/** Initialize the 'wasm' tfjs backend; returns false when the .wasm files failed to load. */
async function initialize(tf: Tfjs): Promise<boolean> {
  const engine = tf.engine();
  const previous = engine.registry['wasm'] === undefined ? engine.backendName : undefined;
  const ok = await tf.setBackend('wasm');
  // probing must not change which tfjs backend other code uses
  if (previous !== undefined && previous !== null && previous !== 'wasm') {
    await tf.setBackend(previous);
  }
  return ok;
}

function noWasmReason(): string | undefined {
  const wa = (globalThis as { WebAssembly?: { instantiate?: unknown } }).WebAssembly;
  return typeof wa?.instantiate === 'function'
    ? undefined
    : 'WebAssembly is not available in this JavaScript runtime; use a current browser or Node, ' +
        'or choose the cpu backend';
}

/**
 * A wasm plug-in: TensorFlow.js's WebAssembly backend (`@tensorflow/tfjs-backend-wasm`,
 * float32, SIMD where supported). Nothing is loaded until `probe()` or `create()`.
 *
 * @param options - where the `.wasm` files are served from (browsers).
 */
export function createWasmPlugin(options: WasmPluginOptions = {}): BackendPlugin {
  const { wasmPaths } = options;
  return {
    id: 'wasm',
    description: 'TensorFlow.js WebAssembly backend (float32)',
    precision: 'float32',
    priority: 20,
    async probe(): Promise<ProbeResult> {
      const no = noWasmReason();
      if (no !== undefined) return { ok: false, reason: no };
      let tf: Tfjs;
      try {
        ({ tf } = await load(wasmPaths));
      } catch (e) {
        return {
          ok: false,
          reason: `cannot load @tensorflow/tfjs-backend-wasm (${message(e)}); install it: ${INSTALL}`,
        };
      }
      try {
        if (await initialize(tf)) return { ok: true };
        return { ok: false, reason: wasmFilesReason(wasmPaths, 'initialization returned false') };
      } catch (e) {
        return { ok: false, reason: wasmFilesReason(wasmPaths, message(e)) };
      }
    },
    async create(): Promise<Backend> {
      const no = noWasmReason();
      if (no !== undefined)
        throw new ImplicitBiasError('BACKEND_UNAVAILABLE', no, { path: 'wasm' });
      let tf: Tfjs;
      try {
        ({ tf } = await load(wasmPaths));
      } catch (e) {
        throw new ImplicitBiasError(
          'BACKEND_UNAVAILABLE',
          `cannot load @tensorflow/tfjs-backend-wasm (${message(e)}); install it: ${INSTALL}`,
          { path: 'wasm', cause: e },
        );
      }
      let ok = false;
      let why = 'initialization returned false';
      try {
        ok = await tf.setBackend('wasm');
      } catch (e) {
        why = message(e);
      }
      if (!ok) {
        throw new ImplicitBiasError('BACKEND_UNAVAILABLE', wasmFilesReason(wasmPaths, why), {
          path: 'wasm',
        });
      }
      return createTfjsBackend(tf, { id: 'wasm', tfBackendName: 'wasm' });
    },
  };
}

function wasmFilesReason(wasmPaths: string | undefined, why: string): string {
  return (
    `the tfjs wasm backend failed to initialize (${why}); ` +
    (wasmPaths === undefined
      ? 'in a browser, serve the .wasm files of @tensorflow/tfjs-backend-wasm/dist and pass ' +
        'their location as createWasmPlugin({ wasmPaths })'
      : `check that the .wasm files are reachable under ${wasmPaths}`)
  );
}

/** The wasm plug-in with default options (in Node the `.wasm` files load from the package). */
export const wasmPlugin: BackendPlugin = createWasmPlugin();

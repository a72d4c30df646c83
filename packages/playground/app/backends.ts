import '@tensorflow/tfjs-backend-cpu';
import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { createWasmPlugin } from '@implicit-bias/backend-wasm';
import { webglPlugin } from '@implicit-bias/backend-webgl';

/** The backends the page offers, by the id shown in its select box. */
export type BrowserBackendId = 'webgl' | 'wasm' | 'cpu';

/**
 * The plug-in for a backend id in this page. The tfjs cpu kernels are registered on load
 * (tfjs-backend-webgl falls back to them for a few ops); the wasm binaries are served next to
 * the page under `tfjs-wasm/` (copied there by the Vite config).
 */
export function browserPlugin(id: BrowserBackendId): BackendPlugin {
  switch (id) {
    case 'webgl':
      return webglPlugin;
    case 'wasm':
      return createWasmPlugin({ wasmPaths: new URL('tfjs-wasm/', document.baseURI).href });
    case 'cpu':
      return cpuPlugin;
  }
}

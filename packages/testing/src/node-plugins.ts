import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from '@implicit-bias/backend-wasm';

/**
 * The backend plug-ins usable in Node: the native float64 `cpu`, tfjs `tfjs-cpu` and tfjs
 * `wasm` (both float32). Each is probed before use, so listing one that cannot run here only
 * skips its tests.
 */
export function nodePlugins(): BackendPlugin[] {
  return [cpuPlugin, tfjsCpuPlugin, wasmPlugin];
}

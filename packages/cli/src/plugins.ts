import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { cudaPlugin, tensorflowPlugin } from '@implicit-bias/backend-cuda';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from '@implicit-bias/backend-wasm';
import { webglPlugin } from '@implicit-bias/backend-webgl';

/** Every backend plug-in the CLI knows; each is probed lazily, so none loads until used. */
export function cliPlugins(): BackendPlugin[] {
  return [cpuPlugin, tfjsCpuPlugin, wasmPlugin, webglPlugin, tensorflowPlugin, cudaPlugin];
}

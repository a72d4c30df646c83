import type { BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { cudaPluginFromEnv, tensorflowPluginFromEnv } from '@implicit-bias/backend-cuda';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from '@implicit-bias/backend-wasm';

/**
 * The backend plug-ins usable in Node: the native float64 `cpu`, tfjs `tfjs-cpu` and tfjs
 * `wasm` (both float32), and native TensorFlow `tensorflow` (float32, through tfjs-node; the
 * folder named by `IMPLICIT_BIAS_TFJS_NODE` when set, as built by
 * `tools/scripts/setup-tfjs-node`) and `cuda` (float32, tfjs-node-gpu on an NVIDIA GPU; the folder
 * named by `IMPLICIT_BIAS_TFJS_NODE_GPU` when set). Each is
 * probed before use, so listing one that cannot run here only skips its tests with the probe's
 * reason; which ones the shared suites run on is chosen by `IMPLICIT_BIAS_TEST_BACKENDS`.
 */
export function nodePlugins(): BackendPlugin[] {
  return [cpuPlugin, tfjsCpuPlugin, wasmPlugin, tensorflowPluginFromEnv(), cudaPluginFromEnv()];
}

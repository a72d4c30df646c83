/**
 * The CUDA (tfjs-node-gpu) and native TensorFlow (tfjs-node) backends for implicit-bias, as
 * optional plug-ins.
 *
 * @packageDocumentation
 */
export {
  cudaPlugin,
  tensorflowPlugin,
  createCudaPlugin,
  createTensorflowPlugin,
  tensorflowPluginFromEnv,
  cudaPluginFromEnv,
  TFJS_NODE_ENV_VAR,
  TFJS_NODE_GPU_ENV_VAR,
} from './node-plugin.js';
export type { NodeTfjsPluginOptions } from './node-plugin.js';
export { detectNvidiaGpu, detectCudaLibraries, CUDA_LIBRARIES } from './gpu-detect.js';
export type { CudaLibrarySearch } from './gpu-detect.js';

/**
 * Adapter from any registered TensorFlow.js backend to the implicit-bias Backend contract, with
 * the tfjs-cpu plug-in.
 *
 * @packageDocumentation
 */
export { createTfjsBackend } from './tfjs-backend.js';
export type { TfjsBackendOptions } from './tfjs-backend.js';
export { loadTfjsCore } from './tfjs-module.js';
export type { Tfjs } from './tfjs-module.js';
export { tfjsCpuPlugin } from './cpu-plugin.js';

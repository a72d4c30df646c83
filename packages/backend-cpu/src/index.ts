/**
 * The native float64 TypeScript backend of implicit-bias: the embedded default, with no
 * runtime dependencies.
 *
 * @packageDocumentation
 */
export { createCpuBackend } from './backend.js';
export { cpuPlugin } from './plugin.js';

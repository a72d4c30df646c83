/**
 * Private browser playground of implicit-bias: watch gradient flow live on the webgl, wasm and
 * cpu backends.
 *
 * @packageDocumentation
 */
export { readPastedData } from './pasted-data.js';
export type { PastedData } from './pasted-data.js';

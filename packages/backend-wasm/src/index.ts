/**
 * The tfjs WebAssembly backend for implicit-bias, with its wasm files located in Node and in
 * browsers.
 *
 * @packageDocumentation
 */
export { wasmPlugin, createWasmPlugin } from './wasm-plugin.js';
export type { WasmPluginOptions } from './wasm-plugin.js';

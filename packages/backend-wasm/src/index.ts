/**
 * The tfjs WebAssembly backend for implicit-bias, with its wasm files located in Node and in browsers.
 *
 * @packageDocumentation
 */
export {};

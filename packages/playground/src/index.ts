/**
 * Private browser playground of implicit-bias: watch gradient flow live on the webgl, wasm and cpu backends.
 *
 * @packageDocumentation
 */
export {};

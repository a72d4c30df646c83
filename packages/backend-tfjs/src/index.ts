/**
 * Adapter from any registered TensorFlow.js backend to the implicit-bias Backend contract, with the tfjs-cpu plug-in.
 *
 * @packageDocumentation
 */
export {};

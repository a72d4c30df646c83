/**
 * The CUDA (tfjs-node-gpu) and native TensorFlow (tfjs-node) backends for implicit-bias, as optional plug-ins.
 *
 * @packageDocumentation
 */
export {};

/**
 * The tfjs WebGL backend for implicit-bias, for browsers.
 *
 * @packageDocumentation
 */
export {};

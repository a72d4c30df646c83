/**
 * The tfjs WebGL backend for implicit-bias, for browsers.
 *
 * @packageDocumentation
 */
export { webglPlugin, createWebglPlugin, detectWebgl2 } from './webgl-plugin.js';
export type { WebglPluginOptions } from './webgl-plugin.js';

/**
 * The experiments of implicit-bias reproducing the paper's research questions, with a result
 * store and reports.
 *
 * @packageDocumentation
 */
export { parseRunConfig, runConfigSchema } from './run-config.js';
export type { RunConfig } from './run-config.js';

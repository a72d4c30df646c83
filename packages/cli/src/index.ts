/**
 * The implicit-bias command line: train, predict, compare and reproduce the paper's experiments.
 *
 * @packageDocumentation
 */
export { main, EXIT, VERSION } from './main.js';
export { processIo } from './io.js';
export type { CliIo } from './io.js';
export { cliPlugins } from './plugins.js';
export { backendsTable } from './commands/backends.js';

/**
 * Private browser playground of implicit-bias: watch gradient flow live on the webgl, wasm and
 * cpu backends. The page (`index.html`, `app/`) is built with Vite; this entry holds its
 * browser-independent logic, tested in Node.
 *
 * @packageDocumentation
 */
export { readPastedData } from './pasted-data.js';
export type { PastedData } from './pasted-data.js';
export {
  PLAYGROUND_LIMITS,
  distanceTolerance,
  flowSettings,
  prepareRun,
  runPlayground,
} from './session.js';
export type {
  DataSource,
  NetworkKind,
  PlaygroundPrediction,
  PlaygroundSettings,
  PreparedRun,
  RunFrame,
  RunPlaygroundOptions,
  TrajectoryPoint,
} from './session.js';

/**
 * The Backend plug-in contract of implicit-bias: batched array operations, a registry of
 * plug-ins and selection by name or environment.
 *
 * @packageDocumentation
 */
export type { Arr, Backend, MatmulOptions } from './types.js';
export type { BackendPlugin, KnownBackend, ProbeResult } from './plugin.js';
export { discoverBackends } from './discover.js';
export type { DiscoverOptions, DiscoveredBackends, ModuleImporter } from './discover.js';
export { KNOWN_BACKENDS } from './plugin.js';
export {
  BACKEND_ENV_VAR,
  BACKEND_PACKAGE_VERSION,
  registerBackend,
  unregisterBackend,
  registeredBackends,
  listBackends,
  selectBackend,
} from './registry.js';
export type { BackendInfo, SelectOptions } from './registry.js';
export {
  normalizeAxis,
  broadcastShapes,
  reducedShape,
  matmulShape,
  circularShape,
} from './shapes.js';
export type { MatmulShape } from './shapes.js';

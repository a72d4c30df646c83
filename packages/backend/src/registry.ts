import { ImplicitBiasError } from '@implicit-bias/core';
import type { Precision } from '@implicit-bias/core';
import { discoverBackends } from './discover.js';
import type { ModuleImporter } from './discover.js';
import { KNOWN_BACKENDS } from './plugin.js';
import type { BackendPlugin } from './plugin.js';
import type { Backend } from './types.js';

/** The environment variable that selects a backend: `cpu|tfjs-cpu|wasm|webgl|tensorflow|cuda|auto`. */
export const BACKEND_ENV_VAR = 'IMPLICIT_BIAS_BACKEND';

/** One row of {@link listBackends}. */
export interface BackendInfo {
  /** The backend id (`cpu`, `tfjs-cpu`, `wasm`, `webgl`, `tensorflow`, `cuda`, or a plug-in's own). */
  readonly id: string;
  /** Where it runs and with what, for listings. */
  readonly description: string;
  /** Undefined for a known id whose plug-in is not registered. */
  readonly precision: Precision | undefined;
  /** Rank for `'auto'` (higher wins); `-Infinity` when the plug-in is not registered. */
  readonly priority: number;
  /** Whether a plug-in with this id was passed or registered. */
  readonly registered: boolean;
  /** Whether its probe succeeded here, so `selectBackend` would accept it. */
  readonly available: boolean;
  /** Why it is unavailable and what to do; undefined when available. */
  readonly reason: string | undefined;
}

/** Options shared by {@link listBackends} and {@link selectBackend}. */
export interface SelectOptions {
  /**
   * Plug-ins to choose from. Default: the global registry plus the installed plug-in packages of
   * the catalogue {@link KNOWN_BACKENDS} (found by `discoverBackends`; a registered plug-in wins
   * over a discovered one with the same id).
   */
  readonly plugins?: readonly BackendPlugin[];
  /** Look for installed plug-in packages when `plugins` is not given (default true). */
  readonly discover?: boolean;
  /** How discovery loads a package (default: dynamic `import()`); for tests and bundlers. */
  readonly importer?: ModuleImporter;
  /** Environment to read `IMPLICIT_BIAS_BACKEND` from (default: `process.env` where it exists). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The version of this copy of `@implicit-bias/backend` (checked against package.json by a test). */
export const BACKEND_PACKAGE_VERSION = '0.2.0';

/** The shared registry: one per JavaScript realm, whatever the number of copies of this package. */
interface SharedRegistry {
  /** Plug-ins by id, in registration order. */
  readonly plugins: Map<string, BackendPlugin>;
  /** Versions of the copies of `@implicit-bias/backend` that attached to it. */
  readonly versions: string[];
  /** Whether the two-copies warning was already given. */
  warned: boolean;
}

const REGISTRY_KEY = Symbol.for('@implicit-bias/backend:registry');

/**
 * Attach to the realm's registry (a registered symbol on `globalThis`), so that a second copy of
 * this package (npm nests one when two versions meet in a dependency tree) shares the same
 * plug-ins instead of splitting them; warn once when copies of different versions meet.
 */
function sharedRegistry(): SharedRegistry {
  const g = globalThis as { [REGISTRY_KEY]?: SharedRegistry };
  let r = g[REGISTRY_KEY];
  if (r === undefined) {
    r = { plugins: new Map(), versions: [], warned: false };
    Object.defineProperty(g, REGISTRY_KEY, { value: r, enumerable: false });
  }
  if (!r.versions.includes(BACKEND_PACKAGE_VERSION)) r.versions.push(BACKEND_PACKAGE_VERSION);
  if (r.versions.length > 1 && !r.warned) {
    r.warned = true;
    const text =
      `two versions of @implicit-bias/backend are loaded (${r.versions.join(', ')}); they share one ` +
      'backend registry, but a package may see types it does not expect: align the versions ' +
      '(npm ls @implicit-bias/backend) or dedupe (npm dedupe)';
    const proc = (globalThis as { process?: { emitWarning?: (w: string, t: string) => void } })
      .process;
    if (typeof proc?.emitWarning === 'function') proc.emitWarning(text, 'ImplicitBiasWarning');
    else console.warn(text);
  }
  return r;
}

const registry = sharedRegistry().plugins;

/** Add a plug-in to the global registry (replacing one with the same id). */
export function registerBackend(plugin: BackendPlugin): void {
  if (typeof plugin?.id !== 'string' || plugin.id === '' || typeof plugin.create !== 'function') {
    throw new ImplicitBiasError('INVALID_CONFIG', 'a plug-in needs an id, probe() and create()', {
      path: 'plugin',
    });
  }
  registry.set(plugin.id, plugin);
}

/** Remove the plug-in with this id from the global registry (no-op when absent). */
export function unregisterBackend(id: string): void {
  registry.delete(id);
}

/** The plug-ins in the global registry, in registration order (a copy). */
export function registeredBackends(): BackendPlugin[] {
  return [...registry.values()];
}

async function pluginsOf(options: SelectOptions): Promise<readonly BackendPlugin[]> {
  if (options.plugins !== undefined) return options.plugins;
  const registered = registeredBackends();
  if (options.discover === false) return registered;
  const found = await discoverBackends(
    options.importer !== undefined ? { importer: options.importer } : {},
  );
  const ids = new Set(registered.map((p) => p.id));
  return [...registered, ...found.plugins.filter((p) => !ids.has(p.id))];
}

function defaultEnv(): Readonly<Record<string, string | undefined>> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

async function safeProbe(p: BackendPlugin): Promise<{ ok: boolean; reason?: string }> {
  try {
    const r = await p.probe();
    return r.ok ? { ok: true } : { ok: false, reason: r.reason };
  } catch (e) {
    // probe() must not throw; if a third-party plug-in does, report it instead of failing
    return { ok: false, reason: `probe failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function missingReason(id: string, explicit: boolean): string {
  const k = KNOWN_BACKENDS[id];
  if (!k) return 'unknown backend';
  return explicit
    ? `not among the plug-ins passed: install ${k.pkg} and pass its ${k.exportName} (runs in ${k.where})`
    : `plug-in not installed: npm install ${k.pkg} (runs in ${k.where})`;
}

/**
 * Every registered plug-in, probed, plus every known id whose plug-in is not registered,
 * sorted by priority (best first).
 */
export async function listBackends(options: SelectOptions = {}): Promise<BackendInfo[]> {
  const plugins = await pluginsOf(options);
  const rows: BackendInfo[] = [];
  for (const p of plugins) {
    const r = await safeProbe(p);
    rows.push({
      id: p.id,
      description: p.description,
      precision: p.precision,
      priority: p.priority,
      registered: true,
      available: r.ok,
      reason: r.ok ? undefined : r.reason,
    });
  }
  for (const id of Object.keys(KNOWN_BACKENDS)) {
    if (plugins.some((p) => p.id === id)) continue;
    rows.push({
      id,
      description: KNOWN_BACKENDS[id]!.where,
      precision: undefined,
      priority: -Infinity,
      registered: false,
      available: false,
      reason: missingReason(id, options.plugins !== undefined),
    });
  }
  return rows.sort((a, b) => b.priority - a.priority);
}

/**
 * Create a backend by id, or the best available with `'auto'`. Without a name, reads
 * `IMPLICIT_BIAS_BACKEND` and falls back to `'auto'`. Unknown ids and unavailable backends
 * throw `BACKEND_UNAVAILABLE` with the valid ids or the reason.
 */
export async function selectBackend(name?: string, options: SelectOptions = {}): Promise<Backend> {
  const env = options.env ?? defaultEnv();
  const fromEnv =
    name === undefined && env[BACKEND_ENV_VAR] !== undefined && env[BACKEND_ENV_VAR] !== '';
  const requested = (name ?? (fromEnv ? env[BACKEND_ENV_VAR] : undefined) ?? 'auto').trim();
  const path = fromEnv ? BACKEND_ENV_VAR : 'backend';
  const plugins = await pluginsOf(options);
  const validIds = [...new Set([...plugins.map((p) => p.id), ...Object.keys(KNOWN_BACKENDS)])];

  if (requested === 'auto') {
    const sorted = [...plugins].sort((a, b) => b.priority - a.priority);
    const reasons: string[] = [];
    for (const p of sorted) {
      const r = await safeProbe(p);
      if (r.ok) return p.create();
      reasons.push(`${p.id}: ${r.reason ?? 'unavailable'}`);
    }
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      `no backend is available (${reasons.join('; ') || 'no plug-ins registered'}); ` +
        'install @implicit-bias/backend-cpu and register its plug-in',
      { path },
    );
  }
  const plugin = plugins.find((p) => p.id === requested);
  if (!plugin) {
    const known = KNOWN_BACKENDS[requested];
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      known
        ? `backend '${requested}' is not available: ${missingReason(requested, options.plugins !== undefined)}`
        : `unknown backend '${requested}'; valid ids: auto, ${validIds.join(', ')}`,
      { path, data: { validIds } },
    );
  }
  const r = await safeProbe(plugin);
  if (!r.ok) {
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      `backend '${requested}' is unavailable: ${r.reason ?? 'no reason given'}`,
      { path },
    );
  }
  return plugin.create();
}

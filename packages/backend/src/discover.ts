import { KNOWN_BACKENDS } from './plugin.js';
import type { BackendPlugin } from './plugin.js';

/** Loads a module by specifier; `import()` by default (injectable for tests and bundlers). */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Options of {@link discoverBackends}. */
export interface DiscoverOptions {
  /** How to load a plug-in package (default: dynamic `import()` from this package's location). */
  readonly importer?: ModuleImporter;
  /** Backend ids to look for (default: every id of {@link KNOWN_BACKENDS}). */
  readonly ids?: readonly string[];
}

/** What {@link discoverBackends} found. */
export interface DiscoveredBackends {
  /** Plug-ins of the installed packages, in catalogue order. */
  readonly plugins: BackendPlugin[];
  /** Catalogue ids whose package could not be loaded, with the reason and what to install. */
  readonly missing: {
    /** The backend id. */
    readonly id: string;
    /** The package that provides it (empty for an unknown id). */
    readonly pkg: string;
    /** Why it is missing and what to install. */
    readonly reason: string;
  }[];
}

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

function isPlugin(v: unknown): v is BackendPlugin {
  const p = v as Partial<BackendPlugin> | undefined;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.id === 'string' &&
    typeof p.probe === 'function' &&
    typeof p.create === 'function'
  );
}

function notInstalled(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/**
 * Find the backend plug-ins whose packages are installed, from the one catalogue
 * {@link KNOWN_BACKENDS}: each package is imported (lazily: a plug-in loads its heavy
 * dependencies only when probed or created) and its plug-in export read. Never throws: a package
 * that is absent, or fails to load, is listed in `missing` with the reason.
 */
export async function discoverBackends(options: DiscoverOptions = {}): Promise<DiscoveredBackends> {
  const importer = options.importer ?? defaultImporter;
  const ids = options.ids ?? Object.keys(KNOWN_BACKENDS);
  const modules = new Map<string, Promise<unknown>>();
  const plugins: BackendPlugin[] = [];
  const missing: { id: string; pkg: string; reason: string }[] = [];
  for (const id of ids) {
    const entry = KNOWN_BACKENDS[id];
    if (entry === undefined) {
      missing.push({ id, pkg: '', reason: `unknown backend id '${id}'` });
      continue;
    }
    let loading = modules.get(entry.pkg);
    if (loading === undefined) {
      loading = importer(entry.pkg);
      // a rejected import is reported below; keep it from counting as unhandled meanwhile
      loading.catch(() => undefined);
      modules.set(entry.pkg, loading);
    }
    try {
      const mod = (await loading) as Record<string, unknown>;
      const plugin = mod[entry.exportName];
      if (isPlugin(plugin) && plugin.id === id) plugins.push(plugin);
      else
        missing.push({
          id,
          pkg: entry.pkg,
          reason: `${entry.pkg} is installed but exports no plug-in '${entry.exportName}' for '${id}' (version mismatch? update it)`,
        });
    } catch (e) {
      missing.push({
        id,
        pkg: entry.pkg,
        reason: notInstalled(e)
          ? `not installed: npm install ${entry.pkg}`
          : `${entry.pkg} failed to load: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  return { plugins, missing };
}

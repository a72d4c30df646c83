import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendPlugin } from './plugin.js';
import {
  BACKEND_PACKAGE_VERSION,
  registerBackend,
  registeredBackends,
  unregisterBackend,
} from './registry.js';
import type * as RegistryExports from './registry.js';

type RegistryModule = typeof RegistryExports;

// A second copy of the module stands for a second installed version of @implicit-bias/backend.
function secondCopy(): RegistryModule {
  let mod: RegistryModule | undefined;
  jest.isolateModules(() => {
    mod = jest.requireActual<RegistryModule>('./registry.js');
  });
  return mod!;
}

const plugin: BackendPlugin = {
  id: 'copies-test',
  description: 'test',
  precision: 'float64',
  priority: 1,
  probe: async () => ({ ok: true }),
  create: async () => {
    throw new Error('not used');
  },
};

afterEach(() => unregisterBackend(plugin.id));

describe('one backend registry per realm, whatever the number of package copies', () => {
  it('BACKEND_PACKAGE_VERSION is the version in package.json', () => {
    const pj = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(BACKEND_PACKAGE_VERSION).toBe(pj.version);
  });

  it('a plug-in registered through one copy is seen by the other, and removed through it', () => {
    const other = secondCopy();
    expect(other.registerBackend).not.toBe(registerBackend); // premise: a distinct copy
    registerBackend(plugin);
    expect(other.registeredBackends().map((p) => p.id)).toContain(plugin.id);
    other.unregisterBackend(plugin.id);
    expect(registeredBackends().map((p) => p.id)).not.toContain(plugin.id);
  });

  it('warns once when copies of two different versions meet', () => {
    const key = Symbol.for('@implicit-bias/backend:registry');
    const shared = (
      globalThis as unknown as Record<symbol, { versions: string[]; warned: boolean }>
    )[key]!;
    const saved = { versions: [...shared.versions], warned: shared.warned };
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      shared.versions.splice(0, shared.versions.length, '0.0.1-other');
      shared.warned = false;
      secondCopy();
      secondCopy();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain(
        `two versions of @implicit-bias/backend are loaded (0.0.1-other, ${BACKEND_PACKAGE_VERSION})`,
      );
    } finally {
      warn.mockRestore();
      shared.versions.splice(0, shared.versions.length, ...saved.versions);
      shared.warned = saved.warned;
    }
  });
});

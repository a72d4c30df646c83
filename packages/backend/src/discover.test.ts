import { discoverBackends } from './discover.js';
import type { BackendPlugin } from './plugin.js';
import { listBackends, selectBackend } from './registry.js';
import type { Backend } from './types.js';

function plugin(id: string, priority: number): BackendPlugin {
  return {
    id,
    description: `fake ${id}`,
    precision: 'float64',
    priority,
    probe: async () => ({ ok: true }),
    create: async () => ({ id }) as unknown as Backend,
  };
}

function notFound(spec: string): Error {
  return Object.assign(new Error(`Cannot find package '${spec}'`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

// A fake installation: only backend-cpu and backend-wasm are "installed".
const installed: Record<string, Record<string, unknown>> = {
  '@implicit-bias/backend-cpu': { cpuPlugin: plugin('cpu', 100) },
  '@implicit-bias/backend-wasm': { wasmPlugin: plugin('wasm', 50) },
};
const importer = async (spec: string): Promise<unknown> => {
  const m = installed[spec];
  if (m === undefined) throw notFound(spec);
  return m;
};

describe('discoverBackends (the one catalogue)', () => {
  it('finds the plug-ins of installed packages and says what to install for the rest', async () => {
    const found = await discoverBackends({ importer });
    expect(found.plugins.map((p) => p.id)).toEqual(['cpu', 'wasm']);
    const tf = found.missing.find((m) => m.id === 'tfjs-cpu');
    expect(tf?.reason).toBe('not installed: npm install @implicit-bias/backend-tfjs');
    expect(found.missing.map((m) => m.id).sort()).toEqual(
      ['cuda', 'tensorflow', 'tfjs-cpu', 'webgl'].sort(),
    );
  });

  it('reports a package that loads but lacks the export, and one that fails to load', async () => {
    const found = await discoverBackends({
      ids: ['cpu', 'webgl'],
      importer: async (spec) => {
        if (spec === '@implicit-bias/backend-cpu') return { somethingElse: 1 };
        throw new Error('SyntaxError in module');
      },
    });
    expect(found.plugins).toEqual([]);
    expect(found.missing[0]!.reason).toMatch(/exports no plug-in 'cpuPlugin'/);
    expect(found.missing[1]!.reason).toMatch(/failed to load: SyntaxError in module/);
  });

  it('imports a package that provides two ids once', async () => {
    const calls: string[] = [];
    await discoverBackends({
      ids: ['tensorflow', 'cuda'],
      importer: async (spec) => {
        calls.push(spec);
        throw notFound(spec);
      },
    });
    expect(calls).toEqual(['@implicit-bias/backend-cuda']);
  });
});

describe('selection without an explicit plug-in list discovers installed packages', () => {
  it('IMPLICIT_BIAS_BACKEND chooses among discovered plug-ins', async () => {
    const be = await selectBackend(undefined, { importer, env: { IMPLICIT_BIAS_BACKEND: 'wasm' } });
    expect(be.id).toBe('wasm');
    const auto = await selectBackend(undefined, { importer, env: {} });
    expect(auto.id).toBe('cpu');
  });

  it('a requested id whose package is missing names the package to install', async () => {
    await expect(
      selectBackend(undefined, { importer, env: { IMPLICIT_BIAS_BACKEND: 'tfjs-cpu' } }),
    ).rejects.toThrow(
      /IMPLICIT_BIAS_BACKEND: backend 'tfjs-cpu' is not available: plug-in not installed: npm install @implicit-bias\/backend-tfjs/,
    );
  });

  it('listBackends marks discovered plug-ins registered and the rest with the install line', async () => {
    const rows = await listBackends({ importer, env: {} });
    expect(rows.find((r) => r.id === 'cpu')?.available).toBe(true);
    expect(rows.find((r) => r.id === 'webgl')?.reason).toMatch(
      /npm install @implicit-bias\/backend-webgl/,
    );
  });

  it('discover: false keeps to the registry', async () => {
    await expect(selectBackend('cpu', { importer, discover: false, env: {} })).rejects.toThrow(
      /not available/,
    );
  });
});

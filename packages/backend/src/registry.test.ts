import { isImplicitBiasError } from '@implicit-bias/core';
import {
  listBackends,
  selectBackend,
  registerBackend,
  unregisterBackend,
  registeredBackends,
} from './registry.js';
import type { BackendPlugin } from './plugin.js';
import type { Backend } from './types.js';

function plugin(id: string, priority: number, ok: boolean | 'throws'): BackendPlugin {
  return {
    id,
    description: `test ${id}`,
    precision: 'float64',
    priority,
    probe: async () => {
      if (ok === 'throws') throw new Error('boom');
      return ok ? { ok: true } : { ok: false, reason: `${id} needs something` };
    },
    // selection only needs identity of the created value
    create: async () => ({ id }) as unknown as Backend,
  };
}

const plugins = [plugin('cpu', 10, true), plugin('wasm', 20, false), plugin('tfjs-cpu', 5, true)];

describe('backend selection', () => {
  it('auto picks the highest-priority available plug-in', async () => {
    const be = await selectBackend('auto', { plugins, env: {} });
    expect(be.id).toBe('cpu');
  });

  it('reads IMPLICIT_BIAS_BACKEND when no name is given', async () => {
    const be = await selectBackend(undefined, {
      plugins,
      env: { IMPLICIT_BIAS_BACKEND: 'tfjs-cpu' },
    });
    expect(be.id).toBe('tfjs-cpu');
  });

  it('an unknown id lists the valid ids and names the variable', async () => {
    await expect(
      selectBackend(undefined, { plugins, env: { IMPLICIT_BIAS_BACKEND: 'nope' } }),
    ).rejects.toThrow(
      /^IMPLICIT_BIAS_BACKEND: unknown backend 'nope'; valid ids: auto, cpu, wasm, tfjs-cpu/,
    );
  });

  it('an unavailable backend gives its reason with code BACKEND_UNAVAILABLE', async () => {
    try {
      await selectBackend('wasm', { plugins, env: {} });
      throw new Error('unreachable');
    } catch (e) {
      expect(isImplicitBiasError(e, 'BACKEND_UNAVAILABLE')).toBe(true);
      expect((e as Error).message).toMatch(/wasm needs something/);
    }
  });

  it('a known but unregistered id says which package to install', async () => {
    await expect(selectBackend('webgl', { plugins, env: {} })).rejects.toThrow(
      /@implicit-bias\/backend-webgl/,
    );
  });

  it('listBackends reports availability, reasons, and known unregistered ids; a throwing probe is contained', async () => {
    const rows = await listBackends({ plugins: [...plugins, plugin('odd', 1, 'throws')] });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId['cpu']!.available).toBe(true);
    expect(byId['wasm']!.reason).toBe('wasm needs something');
    expect(byId['odd']!.reason).toMatch(/probe failed: boom/);
    expect(byId['cuda']!.registered).toBe(false);
    expect(byId['cuda']!.reason).toMatch(/backend-cuda/);
    expect(rows[0]!.id).toBe('wasm');
  });

  it('auto with nothing available explains every reason', async () => {
    await expect(
      selectBackend('auto', { plugins: [plugin('wasm', 1, false)], env: {} }),
    ).rejects.toThrow(/wasm: wasm needs something/);
  });

  it('the global registry starts empty and takes plug-ins explicitly', async () => {
    expect(registeredBackends()).toEqual([]);
    registerBackend(plugin('cpu', 1, true));
    expect((await selectBackend('cpu', { env: {} })).id).toBe('cpu');
    unregisterBackend('cpu');
    expect(registeredBackends()).toEqual([]);
  });
});

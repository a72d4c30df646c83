import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { cudaPlugin, tensorflowPlugin, TFJS_NODE_ENV_VAR } from '@implicit-bias/backend-cuda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodePlugins } from './node-plugins.js';

// Oracle: the harness contract — the shared suites can select every Node backend, and the
// tensorflow entry follows IMPLICIT_BIAS_TFJS_NODE (so CI can point it at a local build).

describe('nodePlugins', () => {
  const saved = process.env[TFJS_NODE_ENV_VAR];
  afterEach(() => {
    if (saved === undefined) delete process.env[TFJS_NODE_ENV_VAR];
    else process.env[TFJS_NODE_ENV_VAR] = saved;
  });

  it('lists cpu first, then tfjs-cpu, wasm, tensorflow and cuda', () => {
    const plugins = nodePlugins();
    expect(plugins.map((p) => p.id)).toEqual(['cpu', 'tfjs-cpu', 'wasm', 'tensorflow', 'cuda']);
    expect(plugins[0]).toBe(cpuPlugin);
    expect(plugins[4]).toBe(cudaPlugin);
  });

  it('uses the default tensorflow plug-in when IMPLICIT_BIAS_TFJS_NODE is unset or blank', () => {
    delete process.env[TFJS_NODE_ENV_VAR];
    expect(nodePlugins()[3]).toBe(tensorflowPlugin);
    process.env[TFJS_NODE_ENV_VAR] = '  ';
    expect(nodePlugins()[3]).toBe(tensorflowPlugin);
  });

  it('loads tensorflow from IMPLICIT_BIAS_TFJS_NODE and says when that folder is no package', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ib-no-tfjs-node-'));
    try {
      process.env[TFJS_NODE_ENV_VAR] = empty;
      const tf = nodePlugins()[3];
      expect(tf).not.toBe(tensorflowPlugin);
      const r = await tf!.probe();
      expect(r).toEqual({
        ok: false,
        reason: expect.stringContaining(`modulePath ${empty} is not a package folder`),
      });
      expect(r.ok ? '' : r.reason).toContain('tools/scripts/setup-tfjs-node');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

import { cpuPlugin } from '@implicit-bias/backend-cpu';
import {
  cudaPlugin,
  tensorflowPlugin,
  TFJS_NODE_ENV_VAR,
  TFJS_NODE_GPU_ENV_VAR,
} from '@implicit-bias/backend-cuda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectTestBackendIds } from './env.js';
import { nodePlugins } from './node-plugins.js';

// Oracle: the harness contract — the shared suites can select every Node backend by id, and the
// tensorflow entry follows IMPLICIT_BIAS_TFJS_NODE (so CI can point it at a local build).

describe('nodePlugins', () => {
  const vars = [TFJS_NODE_ENV_VAR, TFJS_NODE_GPU_ENV_VAR];
  const saved = vars.map((v) => process.env[v]);
  afterEach(() => {
    vars.forEach((v, i) => {
      const value = saved[i];
      if (value === undefined) delete process.env[v];
      else process.env[v] = value;
    });
  });

  it('lists cpu first, then tfjs-cpu, wasm, tensorflow and cuda', () => {
    const plugins = nodePlugins();
    expect(plugins.map((p) => p.id)).toEqual(['cpu', 'tfjs-cpu', 'wasm', 'tensorflow', 'cuda']);
    expect(plugins[0]).toBe(cpuPlugin);
  });

  it('uses the default tensorflow and cuda plug-ins when the folder variables are unset', () => {
    delete process.env[TFJS_NODE_ENV_VAR];
    delete process.env[TFJS_NODE_GPU_ENV_VAR];
    const plugins = nodePlugins();
    expect(plugins[3]).toBe(tensorflowPlugin);
    expect(plugins[4]).toBe(cudaPlugin);
  });

  it('lets IMPLICIT_BIAS_TEST_BACKENDS select tensorflow and cuda', () => {
    expect(
      selectTestBackendIds(nodePlugins(), { IMPLICIT_BIAS_TEST_BACKENDS: 'cpu,tensorflow,cuda' }),
    ).toEqual(['cpu', 'tensorflow', 'cuda']);
  });

  it('its tensorflow entry loads IMPLICIT_BIAS_TFJS_NODE and says when that is no package', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ib-no-tfjs-node-'));
    try {
      process.env[TFJS_NODE_ENV_VAR] = empty;
      const tf = nodePlugins().find((p) => p.id === 'tensorflow');
      const r = await tf?.probe();
      expect(r).toEqual({
        ok: false,
        reason: expect.stringContaining(
          `IMPLICIT_BIAS_TFJS_NODE ${empty} is not a package folder (no package.json there)`,
        ),
      });
      expect(r?.ok ? '' : r?.reason).toContain('tools/scripts/setup-tfjs-node');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

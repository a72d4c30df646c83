import { isImplicitBiasError } from '@implicit-bias/core';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { DEFAULT_TEST_BACKENDS, parseTestBackends, selectTestBackendIds } from './env.js';
import { nodePlugins } from './node-plugins.js';

describe('IMPLICIT_BIAS_TEST_BACKENDS parsing', () => {
  const valid = ['cpu', 'tfjs-cpu', 'wasm'];
  it('defaults to cpu,tfjs-cpu,wasm when unset or blank', () => {
    expect(parseTestBackends(undefined, valid)).toEqual(['cpu', 'tfjs-cpu', 'wasm']);
    expect(parseTestBackends('  ', valid)).toEqual([...DEFAULT_TEST_BACKENDS]);
  });
  it('reads a comma list, trimming blanks and repeats, in the given order', () => {
    expect(parseTestBackends(' wasm , cpu,,wasm', valid)).toEqual(['wasm', 'cpu']);
  });
  it('rejects unknown ids with INVALID_CONFIG naming the variable and the valid ids', () => {
    let err: unknown;
    try {
      parseTestBackends('cpu,webgpu', valid);
    } catch (e) {
      err = e;
    }
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect((err as Error).message).toBe(
      "IMPLICIT_BIAS_TEST_BACKENDS: unknown backend id 'webgpu'; valid ids: cpu, tfjs-cpu, wasm (comma-separated)",
    );
  });
  it('accepts plug-in ids and the default ids', () => {
    const extra = { ...cpuPlugin, id: 'extra' };
    expect(selectTestBackendIds([extra], { IMPLICIT_BIAS_TEST_BACKENDS: 'extra,wasm' })).toEqual([
      'extra',
      'wasm',
    ]);
    expect(selectTestBackendIds([extra], {})).toEqual(['cpu', 'tfjs-cpu', 'wasm']);
  });
  it('nodePlugins lists cpu, tfjs-cpu, wasm, tensorflow and cuda', () => {
    expect(nodePlugins().map((p) => p.id)).toEqual([
      'cpu',
      'tfjs-cpu',
      'wasm',
      'tensorflow',
      'cuda',
    ]);
    expect(nodePlugins()[0]).toBe(cpuPlugin);
  });
});

import { isImplicitBiasError } from '@implicit-bias/core';
import { parseRunConfig } from './run-config.js';

const valid = {
  task: 'regression',
  data: { generator: 'gaussian-regression', seed: 1, n: 5, d: 12 },
  network: { kind: 'diagonal', depth: 3 },
  init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 0 },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-10, atol: 1e-12, until: { loss: 1e-20 } },
  backend: 'cpu',
};

function errorOf(cfg: unknown): { path: string | undefined; message: string } {
  try {
    parseRunConfig(cfg);
  } catch (e) {
    if (!isImplicitBiasError(e, 'INVALID_CONFIG')) throw e;
    return { path: e.path, message: e.message };
  }
  throw new Error('expected INVALID_CONFIG');
}

const edit = (f: (c: Record<string, unknown>) => void): unknown => {
  const c = structuredClone(valid) as Record<string, unknown>;
  f(c);
  return c;
};

describe('run config validation', () => {
  it('accepts a valid config and fills defaults', () => {
    const cfg = parseRunConfig(valid);
    expect(cfg.network).toEqual({ kind: 'diagonal', depth: 3 });
    const noFlow = parseRunConfig(edit((c) => delete c['flow']));
    expect(noFlow.flow.method).toBe('auto');
    expect(noFlow.backend).toBe('cpu'); // as given
    // no default backend: the command's --backend, IMPLICIT_BIAS_BACKEND or the best available
    expect(parseRunConfig(edit((c) => delete c['backend'])).backend).toBeUndefined();
  });

  it('flow.maxSteps sets the step cap (unset: the default applies in flowOptions)', () => {
    const c = parseRunConfig(
      edit((c) => (c['flow'] = { method: 'auto', maxSteps: 5000, until: { loss: 1e-20 } })),
    );
    expect(c.flow.maxSteps).toBe(5000);
    expect(parseRunConfig(valid).flow.maxSteps).toBeUndefined();
  });

  it.each([
    [
      'unknown network kind',
      (c: Record<string, unknown>) => (c['network'] = { kind: 'resnet', depth: 2 }),
      'network.kind',
      /kind must be/,
    ],
    ['missing task', (c: Record<string, unknown>) => delete c['task'], 'task', /is required/],
    [
      'wrong type of depth',
      (c: Record<string, unknown>) => (c['network'] = { kind: 'diagonal', depth: 'three' }),
      'network.depth',
      /depth must be a number/,
    ],
    [
      'negative scale',
      (c: Record<string, unknown>) => (c['init'] = { scheme: 'gaussian', scale: -1, seed: 0 }),
      'init.scale',
      /scale must be > 0/,
    ],
    [
      'unknown field',
      (c: Record<string, unknown>) => (c['colour'] = 'red'),
      'colour',
      /unknown field 'colour'/,
    ],
    [
      'bad hidden width',
      (c: Record<string, unknown>) => (c['network'] = { kind: 'fully-connected', hidden: [10, 0] }),
      'network.hidden[1]',
      /≥ 1/,
    ],
    [
      'incompatible task and loss',
      (c: Record<string, unknown>) => (c['loss'] = 'exponential'),
      'loss',
      /regression needs loss 'squared'/,
    ],
    [
      'gd without a step size',
      (c: Record<string, unknown>) => (c['flow'] = { method: 'gd' }),
      'flow.stepSize',
      /needs a stepSize/,
    ],
    [
      'a step cap that is not a positive integer',
      (c: Record<string, unknown>) =>
        (c['flow'] = { method: 'dopri5', maxSteps: 2.5, until: { loss: 1e-20 } }),
      'flow.maxSteps',
      /maxSteps must be an integer/,
    ],
    [
      'a relative tolerance ≥ 1',
      (c: Record<string, unknown>) => (c['flow'] = { method: 'dopri5', rtol: 2 }),
      'flow.rtol',
      /rtol must be < 1/,
    ],
    [
      'bad data',
      (c: Record<string, unknown>) => (c['data'] = { url: 'x' }),
      'data',
      /data must be/,
    ],
  ])('%s names the path', (_name, mutate, path, message) => {
    const e = errorOf(edit(mutate));
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
  });
});

describe('data config', () => {
  it('a typo in generator options names the field', () => {
    const e = errorOf(
      edit((c) => (c['data'] = { generator: 'gaussian-regression', seed: 1, n: 5, dd: 12 })),
    );
    expect(e.path).toBe('data.d');
  });
  it('an unknown generator lists the valid ones', () => {
    const e = errorOf(edit((c) => (c['data'] = { generator: 'mnist', seed: 1 })));
    expect(e.path).toBe('data.generator');
    expect(e.message).toMatch(/woodworth-sparse/);
  });
  it('a file with a bad format names it', () => {
    const e = errorOf(edit((c) => (c['data'] = { file: 'x.json', format: 'xml' })));
    expect(e.path).toBe('data.format');
  });
});

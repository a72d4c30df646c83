import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = {
  task: 'regression',
  data: { file: 'data.json' },
  network: { kind: 'diagonal', depth: 2 },
  init: {
    scheme: 'explicit',
    params: [
      [0.1, 0.1, 0.1, 0.1],
      [0, 0, 0, 0],
    ],
  },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-10, atol: 1e-12, until: { loss: 1e-18 } },
  backend: 'cpu',
};
writeFileSync(
  join(dir, 'data.json'),
  JSON.stringify({
    X: [
      [1, 2, 0, -1],
      [0, 1, 1, 1],
    ],
    y: [1, -0.5],
  }),
);
writeFileSync(join(dir, 'run.json'), JSON.stringify(config));

describe('implicit-bias train', () => {
  it('trains a config with explicit data and init, resolving the data path against the config (interpolation oracle: Xβ = y)', async () => {
    const io = captureIo(dir);
    expect(await main(['train', '--config', 'run.json', '--out', 'result.json'], io)).toBe(0);
    const r = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
    for (const k of ['status', 'beta', 'params', 'time', 'steps', 'loss', 'invariantDrift'])
      expect(r).toHaveProperty(k);
    const f = [1 * r.beta[0] + 2 * r.beta[1] - r.beta[3], r.beta[1] + r.beta[2] + r.beta[3]];
    expect(Math.abs(f[0] - 1)).toBeLessThan(1e-8);
    expect(Math.abs(f[1] + 0.5)).toBeLessThan(1e-8);
    expect(io.err()).toMatch(/^train: converged/m);
  });

  it('a config without backend honours IMPLICIT_BIAS_BACKEND (and --backend over it)', async () => {
    const { backend: _omit, ...noBackend } = config;
    writeFileSync(join(dir, 'run-nobackend.json'), JSON.stringify(noBackend));
    const bad = captureIo(dir, { IMPLICIT_BIAS_BACKEND: 'no-such-backend' });
    expect(await main(['train', '--config', 'run-nobackend.json'], bad)).toBe(2);
    expect(bad.err()).toMatch(/IMPLICIT_BIAS_BACKEND: unknown backend 'no-such-backend'/);
    const tf = captureIo(dir, { IMPLICIT_BIAS_BACKEND: 'tfjs-cpu' });
    expect(
      await main(
        ['train', '--config', 'run-nobackend.json', '--backend', 'cpu', '--out', 'nb.json'],
        tf,
      ),
    ).toBe(0);
    const unset = captureIo(dir);
    expect(await main(['train', '--config', 'run-nobackend.json'], unset)).toBe(0);
    expect(JSON.parse(unset.out()).status).toBe('converged');
  });

  it('is deterministic: the same config twice gives the same JSON', async () => {
    const a = captureIo(dir);
    const b = captureIo(dir);
    await main(['train', '--config', 'run.json'], a);
    await main(['train', '--config', 'run.json'], b);
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), stats: undefined });
    expect(strip(a.out())).toBe(strip(b.out()));
  });

  it.each([
    ['a missing config file', 'nope.json', /--config: cannot read the config file 'nope.json'/],
    ['malformed JSON', 'bad.json', /--config: 'bad.json' is not valid JSON/],
    ['an unknown network kind', 'kind.json', /^implicit-bias: network.kind: kind must be/],
    ['a missing data file', 'nodata.json', /missing.json: cannot be read/],
    [
      'incompatible task and loss',
      'loss.json',
      /^implicit-bias: loss: regression needs loss 'squared'/,
    ],
  ])('%s exits with code 2 and a one-line message naming the path', async (_n, file, message) => {
    writeFileSync(join(dir, 'bad.json'), '{ "task": ');
    writeFileSync(
      join(dir, 'kind.json'),
      JSON.stringify({ ...config, network: { kind: 'resnet' } }),
    );
    writeFileSync(
      join(dir, 'nodata.json'),
      JSON.stringify({ ...config, data: { file: 'missing.json' } }),
    );
    writeFileSync(join(dir, 'loss.json'), JSON.stringify({ ...config, loss: 'logistic' }));
    const io = captureIo(dir);
    expect(await main(['train', '--config', file], io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().trim().split('\n')).toHaveLength(1);
  });
});

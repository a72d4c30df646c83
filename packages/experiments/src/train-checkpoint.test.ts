import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError } from '@implicit-bias/core';
import { parseJson, stringifyJson } from './json-text.js';
import { buildNetwork, initialParams, loadRunData } from './resolve.js';
import { parseRunConfig } from './run-config.js';
import { readTrainCheckpoint, writeTrainCheckpoint } from './train-checkpoint.js';
import { runTraining } from './train.js';

const cfg = parseRunConfig({
  task: 'regression',
  data: { generator: 'gaussian-regression', seed: 3, n: 3, d: 6 },
  network: { kind: 'diagonal', depth: 2 },
  init: { scheme: 'gaussian', scale: 0.1, seed: 1 },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-10, atol: 1e-13, until: { loss: 1e-18 } },
});

const dir = mkdtempSync(join(tmpdir(), 'ib-ck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function interruptedRun(file: string) {
  const data = await loadRunData(cfg, '.');
  const net = buildNetwork(cfg, data.X.cols);
  const init = initialParams(cfg, net);
  let n = 0;
  let tick = 0;
  const out = await runTraining(cfg, net, data, init, {
    backend: createCpuBackend(),
    checkpointFile: file,
    chunkMs: 4,
    clock: () => ++tick,
    shouldStop: () => ++n >= 3,
  });
  expect(out.kind).toBe('interrupted');
  return { data, net, init };
}

function errorOf(f: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  return f().then(
    () => {
      throw new Error('expected an ImplicitBiasError');
    },
    (e: unknown) => {
      if (!isImplicitBiasError(e)) throw e;
      return { code: e.code, message: e.message };
    },
  );
}

describe('training checkpoints', () => {
  it.each([
    ['truncated', (t: string) => t.slice(0, Math.floor(t.length * 0.7)), /checksum does not match/],
    ['altered', (t: string) => t.replace(/"t":(\d)/, '"t":9$1'), /checksum does not match/],
    ['garbage', () => 'not a checkpoint at all', /header line is not JSON/],
    ['empty', () => '', /header line is not JSON/],
    [
      'of another format',
      () => JSON.stringify({ key: 'k', checkpoint: {} }),
      /not a implicit-bias\/train-checkpoint file/,
    ],
  ])(
    'a checkpoint that is %s is refused with a message naming the file and how to start over (not silently restarted)',
    async (_what, damage, why) => {
      const file = join(dir, `damaged-${_what.replace(/ /g, '-')}.json`);
      const { data, net, init } = await interruptedRun(file);
      writeFileSync(file, damage(readFileSync(file, 'utf8')));
      const e = await errorOf(() =>
        runTraining(cfg, net, data, init, {
          backend: createCpuBackend(),
          checkpointFile: file,
          restartHint: 'pass --restart to start over',
        }),
      );
      expect(e.code).toBe('INVALID_DATA');
      expect(e.message).toContain(file);
      expect(e.message).toMatch(why);
      expect(e.message).toMatch(/pass --restart to start over/);
      // restart: the damaged file is ignored and replaced
      const r = await runTraining(cfg, net, data, init, {
        backend: createCpuBackend(),
        checkpointFile: file,
        restart: true,
      });
      expect(r.kind).toBe('finished');
    },
  );

  it('resume refuses a checkpoint written on another backend or precision', async () => {
    const file = join(dir, 'backend.json');
    await interruptedRun(file);
    const body = parseJson(readFileSync(file, 'utf8').split('\n')[1]!) as { key: string };
    expect(readTrainCheckpoint(file, body.key, { id: 'cpu', precision: 'float64' })).toBeDefined();
    for (const other of [
      { id: 'wasm', precision: 'float32' },
      { id: 'cpu', precision: 'float32' },
    ]) {
      let message = '';
      try {
        readTrainCheckpoint(file, body.key, other);
      } catch (e) {
        if (!isImplicitBiasError(e, 'INVALID_CONFIG')) throw e;
        message = e.message;
      }
      expect(message).toMatch(
        new RegExp(
          `written on backend 'cpu' \\(float64\\) but this run uses '${other.id}' \\(${other.precision}\\)`,
        ),
      );
    }
    // a checkpoint of another run (another key) is not resumed: it will be overwritten
    expect(readTrainCheckpoint(file, 'another run', { id: 'cpu', precision: 'float64' })).toBe(
      undefined,
    );
  });

  it('stale temporary files of a crashed writer are removed; a live writer keeps its own', async () => {
    const file = join(dir, 'stale.json');
    const { data, net, init } = await interruptedRun(file);
    const dead = `${file}.2147483646.tmp`;
    const random = `${file}.x7Hq.tmp`;
    const live = `${file}.${process.ppid}.tmp`;
    const unrelated = join(dir, 'stale.json-other.tmp');
    for (const f of [dead, random, live, unrelated]) writeFileSync(f, '{');
    const r = await runTraining(cfg, net, data, init, {
      backend: createCpuBackend(),
      checkpointFile: file,
    });
    expect(r.kind).toBe('finished');
    expect([dead, random, live, unrelated].map(existsSync)).toEqual([false, false, true, true]);
  });

  it('non-finite numbers round-trip through checkpoints and result JSON (as "Infinity", "-Infinity", "NaN")', () => {
    const value = { a: [1, Infinity, -Infinity, NaN, -0.5], b: { c: 1e308 * 10 } };
    const text = stringifyJson(value);
    expect(text).toBe('{"a":[1,"Infinity","-Infinity","NaN",-0.5],"b":{"c":"Infinity"}}');
    expect(parseJson(text)).toEqual(value);
    const file = join(dir, 'nonfinite.json');
    const history = { time: [0, 1], loss: [1, 0], logLoss: [0, -Infinity], margin: [NaN, 1] };
    writeTrainCheckpoint(file, {
      key: 'k',
      backend: { id: 'cpu', precision: 'float64' },
      state: 'finished',
      result: history,
    });
    const back = readTrainCheckpoint<typeof history>(file, 'k', {
      id: 'cpu',
      precision: 'float64',
    });
    expect(back).toMatchObject({ state: 'finished', result: history });
  });
});

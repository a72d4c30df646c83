import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusLine } from './commands/train.js';
import { main, VERSION } from './main.js';
import { writeResult } from './run-files.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = {
  task: 'regression',
  data: { file: 'data.json' },
  network: { kind: 'diagonal', depth: 2 },
  init: {
    scheme: 'explicit',
    params: [
      [0.1, 0.1, 0.1],
      [0, 0, 0],
    ],
  },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-10, atol: 1e-12, until: { loss: 1e-18 } },
};
const put = (name: string, value: unknown): void =>
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
put('data.json', {
  X: [
    [1, 2, 0],
    [0, 1, 1],
  ],
  y: [1, -0.5],
});
put('run.json', config);
const configText = readFileSync(join(dir, 'run.json'), 'utf8');

async function cli(...args: string[]) {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('exit codes and messages', () => {
  it('--version prints the version of the cli package', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8'));
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
    expect(VERSION).toBe(pkg.version);
  });

  it.each([
    [
      'an infinite entry',
      '{ "X": [[1e999, 0, 1], [0, 1, 1]], "y": [1, 2] }',
      /X\[0\]\[0\] is Infinity/,
    ],
    [
      'a ragged row',
      {
        X: [
          [1, 0, 1],
          [0, 1],
        ],
        y: [1, 2],
      },
      /row|column|length/i,
    ],
    [
      'mismatched X and y',
      {
        X: [
          [1, 0, 1],
          [0, 1, 1],
        ],
        y: [1, 2, 3],
      },
      /y|rows/,
    ],
    ['NaN in a CSV file', 'a,b,y\n1,NaN,2\n0,1,1\n', /NaN|number/],
  ])('%s in the data exits 2 (bad input) with one line naming the file', async (_n, data, why) => {
    const csv = typeof data === 'string' && data.startsWith('a,b');
    put(csv ? 'bad.csv' : 'bad-data.json', data);
    put('bad-run.json', { ...config, data: { file: csv ? 'bad.csv' : 'bad-data.json' } });
    const r = await cli('train', '--config', 'bad-run.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^implicit-bias: .*bad(-data\.json|\.csv)/);
    expect(r.err).toMatch(why);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('a run that reaches flow.maxSteps exits 1 and prints its status and message', async () => {
    put('capped.json', { ...config, flow: { method: 'gd', stepSize: 1e-6, maxSteps: 30 } });
    const r = await cli('train', '--config', 'capped.json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).status).toBe('max-steps');
    expect(r.err).toMatch(/^train: max-steps \(stopped by maxSteps\): .*raise flow\.maxSteps/m);
  });

  it('any status other than converged is printed with its message (e.g. a stiffness status)', () => {
    const line = statusLine('train', {
      status: 'stiff',
      stoppedBy: 'stiff',
      message: "the explicit method is stability-bound; use method 'auto'",
    } as never);
    expect(line).toBe(
      "train: stiff (stopped by stiff): the explicit method is stability-bound; use method 'auto'\n",
    );
  });

  it('non-finite numbers in results are written as strings, so the JSON round-trips', () => {
    const io = captureIo(dir);
    writeResult(io, { margin: -Infinity, normalizedMargin: NaN, loss: 0 }, undefined);
    expect(JSON.parse(io.out())).toEqual({
      margin: '-Infinity',
      normalizedMargin: 'NaN',
      loss: 0,
    });
  });
});

describe('--out and the checkpoint', () => {
  it('a failed final write keeps the finished run in the checkpoint; another --out writes it without training', async () => {
    const direct = await cli('train', '--config', 'run.json');
    expect(direct.code).toBe(0);
    const failed = await cli(
      'train',
      '--config',
      'run.json',
      '--out',
      'nodir/r.json',
      '--checkpoint',
      'ck.json',
    );
    expect(failed.code).toBe(3);
    const lines = failed.err.split('\n').filter((l) => l.startsWith('implicit-bias:'));
    expect(lines[0]).toBe('implicit-bias: cannot write nodir/r.json: no such file or directory');
    expect(lines[1]).toMatch(
      /the finished run is kept in .*ck\.json; rerun with --out <another file> --checkpoint .*ck\.json/,
    );
    expect(existsSync(join(dir, 'ck.json'))).toBe(true);
    const again = await cli(
      'train',
      '--config',
      'run.json',
      '--out',
      'r.json',
      '--checkpoint',
      'ck.json',
    );
    expect(again.code).toBe(0);
    expect(again.err).toMatch(/holds the finished run; writing its result without training/);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe(direct.out);
    expect(existsSync(join(dir, 'ck.json'))).toBe(false);
  });

  it('--out never overwrites an input (however it is spelled), a directory, or a file that is not a result', async () => {
    symlinkSync(join(dir, 'run.json'), join(dir, 'link.json'));
    mkdirSync(join(dir, 'adir'));
    put('notes.txt', 'my notes');
    for (const [out, why] of [
      ['run.json', /'run\.json' is an input of this run/],
      ['./data.json', /'\.\/data\.json' is an input of this run/],
      ['link.json', /'link\.json' is an input of this run/],
      ['adir', /'adir' is a directory/],
      ['notes.txt', /'notes\.txt' exists and is not a result .*pass --force/],
    ] as const) {
      const r = await cli('train', '--config', 'run.json', '--out', out);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`^implicit-bias: --out: ${why.source}`));
    }
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(configText);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes');
    expect((await cli('train', '--config', 'run.json', '--out', 'notes.txt', '--force')).code).toBe(
      0,
    );
    // a previous result is replaced without --force
    expect((await cli('train', '--config', 'run.json', '--out', 'notes.txt')).code).toBe(0);
    const r = await cli('train', '--config', 'run.json', '--checkpoint', 'data.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--checkpoint: .*is an input of this run/);
  });

  it('a corrupt checkpoint is refused (exit 2, naming the file and --restart); --restart starts over', async () => {
    put(
      'run.json.checkpoint.json',
      '{"format":"implicit-bias/train-checkpoint","version":2,"sha256":"00"}\n{"key":',
    );
    const r = await cli('train', '--config', 'run.json');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /checkpoint .*run\.json\.checkpoint\.json is unusable \(its checksum does not match.*pass --restart/,
    );
    expect((await cli('train', '--config', 'run.json', '--restart')).code).toBe(0);
    expect(existsSync(join(dir, 'run.json.checkpoint.json'))).toBe(false);
  });
});

describe('compare when the predictor fails', () => {
  it('writes the training with prediction null and the reason, exit 1 "no prediction" (non-separable data, max-margin predictor)', async () => {
    put('ns-data.json', {
      X: [
        [1, 0],
        [-1, 0],
      ],
      y: [1, 1],
    });
    put('ns.json', {
      task: 'classification',
      data: { file: 'ns-data.json' },
      network: { kind: 'diagonal', depth: 1 },
      init: { scheme: 'gaussian', scale: 0.1, seed: 0 },
      loss: 'exponential',
      flow: { method: 'auto', until: { steps: 40 } },
    });
    const r = await cli('compare', '--config', 'ns.json', '--out', 'ns-out.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^compare: .*; no prediction: .*not linearly separable.*\(NOT_SEPARABLE\)$/m,
    );
    const out = JSON.parse(readFileSync(join(dir, 'ns-out.json'), 'utf8'));
    expect(out.beta).toHaveLength(2);
    expect(out.steps).toBe(40);
    expect(out.prediction).toBeNull();
    expect(out.distance).toBeNull();
    expect(out.predictionError.code).toBe('NOT_SEPARABLE');
    expect(out.predictionError.message).toMatch(/not linearly separable/);
  });
});

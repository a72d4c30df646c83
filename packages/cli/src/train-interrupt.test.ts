import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built command as a real process and sends it real signals, as Ctrl-C, `timeout` or a
// scheduler would. The run cannot finish before the signal: its margin target 1e300 is out of
// reach of plain gradient descent (the margin grows like log t) and its step cap is 10⁹, so
// the only assumption on time is that 10⁹ steps do not finish while the test waits.
const BIN = resolve(__dirname, '../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ib-train-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'endless.json'),
  JSON.stringify({
    task: 'classification',
    data: { generator: 'soudry2018', extra: 0 },
    network: { kind: 'diagonal', depth: 1 },
    init: { scheme: 'gaussian', scale: 0.1, seed: 0 },
    loss: 'exponential',
    flow: {
      method: 'gd',
      stepSize: 0.01,
      time: 'physical',
      until: { margin: 1e300 },
      maxSteps: 1_000_000_000,
    },
  }),
);

const PROGRESS = /^ {2}t = .*steps = \d+$/m;

/** Run the CLI; send `signal` once a progress line is on stderr (the run is under way). */
function runCli(
  args: string[],
  signal: NodeJS.Signals,
): Promise<{ code: number | null; err: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    let sent = false;
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (!sent && PROGRESS.test(err)) {
        sent = true;
        p.kill(signal);
      }
    });
    p.on('close', (code) => res({ code, err }));
  });
}

const stepsOf = (err: string, re: RegExp): number => Number(re.exec(err)?.[1] ?? NaN);

(existsSync(BIN) ? describe : describe.skip)('signals during train and compare', () => {
  it('train: SIGINT exits 130 keeping the checkpoint; the rerun resumes from it and SIGTERM exits 143', async () => {
    const args = ['train', '--config', 'endless.json', '--out', 'r.json'];
    const first = await runCli(args, 'SIGINT');
    expect(first.err).toMatch(/SIGINT: stopping/);
    expect(first.code).toBe(130);
    const kept = stepsOf(first.err, /interrupted after (\d+) steps/);
    expect(kept).toBeGreaterThan(0);
    expect(first.err).toMatch(
      /the work is kept in .*r\.json\.checkpoint\.json; rerun the same command to resume/,
    );
    const ck = join(dir, 'r.json.checkpoint.json');
    expect(readFileSync(ck, 'utf8')).toMatch(/^\{"format":"implicit-bias\/train-checkpoint"/);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);

    const second = await runCli(args, 'SIGTERM');
    expect(second.err).toMatch(/SIGTERM: stopping/);
    expect(second.code).toBe(143);
    expect(stepsOf(second.err, /resuming from .* at step (\d+)/)).toBe(kept);
    expect(stepsOf(second.err, /interrupted after (\d+) steps/)).toBeGreaterThan(kept);
    expect(existsSync(ck)).toBe(true);
  }, 120000);

  it('compare: SIGTERM exits 143 keeping the checkpoint (no prediction is attempted)', async () => {
    const run = await runCli(['compare', '--config', 'endless.json'], 'SIGTERM');
    expect(run.code).toBe(143);
    expect(run.err).toMatch(/the work is kept in .*endless\.json\.checkpoint\.json/);
    expect(run.err).not.toMatch(/prediction/);
    expect(existsSync(join(dir, 'endless.json.checkpoint.json'))).toBe(true);
  }, 120000);
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built command (nx builds the cli before its tests) as a real process and sends it a
// real signal, as a user pressing Ctrl-C (or a scheduler's SIGTERM) would. The run cannot end
// before the signal: IMPLICIT_BIAS_PAUSE_AFTER_POINTS=1 makes it wait for one after its first
// finished point, so nothing here depends on the machine's speed.
const BIN = resolve(__dirname, '../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ib-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAUSED = /reproduce: paused after 1 points, waiting for a signal/;

function runCli(
  cwd: string,
  args: string[],
  signal?: NodeJS.Signals,
): Promise<{ code: number | null; err: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: signal ? { ...process.env, IMPLICIT_BIAS_PAUSE_AFTER_POINTS: '1' } : process.env,
    });
    let err = '';
    let sent = false;
    p.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      if (signal && !sent && PAUSED.test(err)) {
        sent = true;
        p.kill(signal);
      }
    });
    p.on('close', (code) => res({ code, err }));
  });
}

const ARGS = ['reproduce', '--only', 'woodworth2020', '--out', 'out'];
const pointsDir = (cwd: string): string => join(cwd, 'out/points/cpu-float64/woodworth2020');

(existsSync(BIN) ? describe : describe.skip)('interrupting reproduce', () => {
  it('Ctrl-C keeps the finished point, exits 130, and a rerun reuses it and finishes', async () => {
    const first = await runCli(dir, ARGS, 'SIGINT');
    expect(first.err).toMatch(PAUSED);
    expect(first.code).toBe(130);
    expect(first.err).toMatch(/interrupted after 1 points; finished points are kept/);
    expect(readdirSync(pointsDir(dir))).toHaveLength(1);
    expect(existsSync(join(dir, 'out/report.html'))).toBe(false);
    const second = await runCli(dir, ARGS);
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/\(1 reused\)/);
    expect(second.err).toMatch(/reproduce: 5 points \(1 reused, 0 failed\)/);
    expect(readdirSync(pointsDir(dir))).toHaveLength(5);
    expect(existsSync(join(dir, 'out/report.html'))).toBe(true);
  }, 180000);

  it('SIGTERM (a scheduler, `timeout`) stops it the same way, keeping the finished point', async () => {
    const cwd = mkdtempSync(join(dir, 'term-'));
    const r = await runCli(cwd, ARGS, 'SIGTERM');
    expect(r.err).toMatch(PAUSED);
    expect(r.code).toBe(143); // 128 + SIGTERM
    expect(r.err).toMatch(/interrupted after 1 points; finished points are kept/);
    expect(readdirSync(pointsDir(cwd))).toHaveLength(1);
  }, 180000);
});

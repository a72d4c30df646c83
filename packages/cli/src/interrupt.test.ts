import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built command (nx builds the cli before its tests) as a real process and sends it a
// real SIGINT, as a user pressing Ctrl-C would.
const BIN = resolve(__dirname, '../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ib-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(
  args: string[],
  interruptOn?: RegExp,
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
      if (interruptOn && !sent && interruptOn.test(err)) {
        sent = true;
        p.kill('SIGINT');
      }
    });
    p.on('close', (code) => res({ code, err }));
  });
}

(existsSync(BIN) ? describe : describe.skip)('Ctrl-C during reproduce', () => {
  it('keeps the finished points, exits non-zero, and a rerun resumes from them', async () => {
    const args = ['reproduce', '--only', 'woodworth2020', '--out', 'out'];
    const first = await runCli(args, /\[0\/5\]/);
    expect(first.code).toBe(130);
    expect(first.err).toMatch(/interrupted after \d+ points; finished points are kept/);
    const kept = readdirSync(join(dir, 'out/points/woodworth2020'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(5);
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(second.err).toMatch(new RegExp(`${kept.length} reused`));
    expect(existsSync(join(dir, 'out/report.html'))).toBe(true);
  }, 120000);
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Oracle: the output contract written at the top of tools/scripts/setup-tfjs-node — when a
// prerequisite is absent it exits 0, prints nothing on stdout (so CI exports no tfjs-node
// folder) and ends stderr with one `setup-tfjs-node: skipped: <reason>` line. The build path
// itself needs the wheel and the npm registry; CI runs it (.ci/run) and the conformance suite
// checks what it built.

const script = resolve(__dirname, '../../../tools/scripts/setup-tfjs-node');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(
      'bash',
      [script, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

const lastLine = (s: string): string => s.trimEnd().split('\n').at(-1) ?? '';

describe('tools/scripts/setup-tfjs-node skips cleanly', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ib-setup-tfjs-node-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when no wheel is found under the searched folders', async () => {
    const r = await run([join(dir, 'out')], { TF_WHEEL: '', TF_WHEEL_SEARCH: dir });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(lastLine(r.stderr)).toBe(
      `setup-tfjs-node: skipped: no tensorflow_cpu-*.whl found under ${dir} (set TF_WHEEL to one); ` +
        "the tensorflow backend's tests will be skipped",
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('when TF_WHEEL names a file that does not exist', async () => {
    const wheel = join(dir, 'tensorflow_cpu-0-none.whl');
    const r = await run([join(dir, 'out')], { TF_WHEEL: wheel });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(lastLine(r.stderr)).toMatch(
      new RegExp(`^setup-tfjs-node: skipped: TF_WHEEL=${wheel} is not a file`),
    );
  });

  it('when the Node headers are missing', async () => {
    const wheel = join(dir, 'tensorflow_cpu-0-none.whl');
    writeFileSync(wheel, '');
    const r = await run([join(dir, 'out')], { TF_WHEEL: wheel, NODE_DIR: dir });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(lastLine(r.stderr)).toBe(
      `setup-tfjs-node: skipped: no Node headers at ${dir}/include/node/node_api.h ` +
        '(install them, e.g. the nodejs dev package, or set NODE_DIR)',
    );
  });
});

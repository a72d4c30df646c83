import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The monorepo root. */
export const ROOT = resolve(__dirname, '../..');

/** Run a command; never throws. */
export function run(cmd: string, args: string[], cwd = ROOT): { code: number; out: string } {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: r.status ?? 1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** A temporary monorepo root holding copies of the given real packages and root configs. */
export function fixtureRepo(packages: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ib-fixture-'));
  mkdirSync(join(dir, 'packages'));
  for (const p of packages) {
    cpSync(join(ROOT, 'packages', p), join(dir, 'packages', p), {
      recursive: true,
      filter: (src) => !/(node_modules|dist|tsbuildinfo)/.test(src),
    });
  }
  for (const f of ['tsconfig.base.json', 'tsconfig.depcruise.json', 'LICENSE'])
    cpSync(join(ROOT, f), join(dir, f));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ files: [], references: packages.map((p) => ({ path: `packages/${p}` })) }),
  );
  return dir;
}

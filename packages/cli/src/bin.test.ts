import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// npm links a workspace's bin at install time, before anything is built: the bin must be a
// committed file that exists in a fresh clone, and must say what to do when dist/ is missing.
const root = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const bin = join(root, pkg.bin['implicit-bias']);

describe('the implicit-bias bin', () => {
  it('is a committed executable outside dist/, published in "files"', () => {
    expect(pkg.bin['implicit-bias']).toBe('./bin/implicit-bias.js');
    expect(pkg.files).toContain('bin');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('without a build, says to run `npm run build` first and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(bin, join(dir, 'bin/implicit-bias.js'));
      copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
      const r = spawnSync(process.execPath, [join(dir, 'bin/implicit-bias.js'), '--help'], {
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/run `npm run build` first/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (statSync(join(root, 'dist/bin.js'), { throwIfNoEntry: false }) ? it : it.skip)(
    'with a build, runs the command (--version prints the package version)',
    () => {
      const r = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(pkg.version);
    },
  );
});

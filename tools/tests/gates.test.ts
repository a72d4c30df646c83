import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, fixtureRepo, run } from './helpers';

const node = process.execPath;
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

describe('quality gates catch deliberately broken inputs', () => {
  it('check-packages passes on a conforming package and names the fix for a missing README', () => {
    const repo = fixtureRepo(['core', 'backend']);
    const ok = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(ok.out).toContain('every package follows the skeleton');
    expect(ok.code).toBe(0);
    unlinkSync(join(repo, 'packages/backend/README.md'));
    const bad = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/packages\/backend: README.md is missing — add one/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('check-packages flags a wrong internal range and a missing tsconfig reference', () => {
    const repo = fixtureRepo(['core', 'backend']);
    const f = join(repo, 'packages/backend/package.json');
    const pj = JSON.parse(readFileSync(f, 'utf8'));
    pj.peerDependencies['@implicit-bias/core'] = '*';
    writeFileSync(f, JSON.stringify(pj));
    writeFileSync(join(repo, 'packages/backend/tsconfig.json'), JSON.stringify({ references: [] }));
    const bad = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(bad.code).toBe(1);
    const coreVersion = (
      JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(bad.out).toContain(`range '*' for @implicit-bias/core — use "^${coreVersion}"`);
    expect(bad.out).toMatch(/tsconfig.json does not reference @implicit-bias\/core/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('check-packages flags publish hygiene: LICENSE, repository, pinned third-party ranges', () => {
    const repo = fixtureRepo(['core', 'backend']);
    unlinkSync(join(repo, 'packages/core/LICENSE'));
    const f = join(repo, 'packages/backend/package.json');
    const pj = JSON.parse(readFileSync(f, 'utf8'));
    pj.dependencies = { zod: '4.6.7', '@implicit-bias/core': '^0.1.0' };
    delete pj.repository;
    writeFileSync(f, JSON.stringify(pj));
    const bad = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/packages\/core: LICENSE is missing or differs from the root LICENSE/);
    expect(bad.out).toMatch(/packages\/backend: "repository" is missing or wrong/);
    expect(bad.out).toMatch(
      /third-party dependency zod is pinned to '4\.6\.7' — use a caret range/,
    );
    rmSync(repo, { recursive: true, force: true });
  });

  it('dependency rules reject a forbidden import (core importing networks) with the rule and the fix', () => {
    const repo = fixtureRepo(['core', 'backend']);
    const args = [
      'packages',
      '--config',
      join(ROOT, '.dependency-cruiser.cjs'),
      '--output-type',
      'err-long',
    ];
    const ok = run(bin('depcruise'), args, repo);
    expect(ok.code).toBe(0);
    mkdirSync(join(repo, 'packages/networks/src'), { recursive: true });
    writeFileSync(join(repo, 'packages/networks/src/index.ts'), 'export const x = 1;\n');
    appendFileSync(
      join(repo, 'packages/core/src/index.ts'),
      "export { x } from '@implicit-bias/networks';\n",
    );
    const bad = run(bin('depcruise'), args, repo);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/layering-core/);
    expect(bad.out).toMatch(/may import only no other workspace package/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('dependency rules forbid theory from importing a backend', () => {
    const repo = fixtureRepo(['core', 'backend']);
    mkdirSync(join(repo, 'packages/theory/src'), { recursive: true });
    writeFileSync(
      join(repo, 'packages/theory/src/index.ts'),
      "export { selectBackend } from '@implicit-bias/backend';\n",
    );
    const bad = run(
      bin('depcruise'),
      ['packages', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err-long'],
      repo,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/layering-theory/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('lint rejects an explicit any, naming the rule', () => {
    const dir = join(ROOT, 'packages/core/src/__lint_fixture__');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'bad.ts');
    writeFileSync(file, 'export const f = (x: any): number => x;\n');
    try {
      const r = run(bin('eslint'), [file]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/@typescript-eslint\/no-explicit-any/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('format check rejects unformatted code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-fmt-'));
    const file = join(dir, 'ugly.ts');
    writeFileSync(file, 'export const  x = {a:1,\n b:2}\n');
    const r = run(
      bin('prettier'),
      ['--config', join(ROOT, '.prettierrc.json'), '--check', 'ugly.ts'],
      dir,
    );
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/ugly\.ts/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the generator creates a skeleton that fails the gate until it has a test', () => {
    const repo = fixtureRepo(['core']);
    const gen = run(node, [
      join(ROOT, 'tools/scripts/new-package.mjs'),
      'demo',
      '--root',
      repo,
      '--deps',
      'core',
      '--description',
      'A demo package.',
    ]);
    expect(gen.code).toBe(0);
    for (const f of [
      'package.json',
      'README.md',
      'tsconfig.json',
      'jest.config.cjs',
      'src/index.ts',
    ])
      expect(existsSync(join(repo, 'packages/demo', f))).toBe(true);
    const before = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(before.out).toMatch(/packages\/demo: has no tests/);
    writeFileSync(
      join(repo, 'packages/demo/src/demo.test.ts'),
      "it('works', () => expect(1).toBe(1));\n",
    );
    const placeholder = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(placeholder.out).toMatch(
      /packages\/demo: README.md still has the generator's placeholder example/,
    );
    const readme = join(repo, 'packages/demo/README.md');
    writeFileSync(
      readme,
      readFileSync(readme, 'utf8').replace(
        '// a runnable example of about a dozen lines',
        "import {} from '@implicit-bias/demo';",
      ),
    );
    const after = run(node, [join(ROOT, 'tools/scripts/check-packages.mjs'), '--root', repo]);
    expect(after.out).toContain('every package follows the skeleton');
    expect(after.code).toBe(0);
    const bad = run(node, [
      join(ROOT, 'tools/scripts/new-package.mjs'),
      'Bad_Name',
      '--root',
      repo,
      '--description',
      'X.',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/must be kebab-case/);
    rmSync(repo, { recursive: true, force: true });
  });

  it('the CI summary line sums every project and counts extra gate failures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-rep-'));
    writeFileSync(
      join(dir, 'a.json'),
      JSON.stringify({ project: 'a', passed: 3, failed: 0, skipped: 1 }),
    );
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify({ project: 'b', passed: 4, failed: 1, skipped: 0 }),
    );
    const r = run(node, [join(ROOT, 'tools/scripts/summarize-tests.mjs'), dir]);
    const lines = r.out.trim().split('\n');
    expect(lines[lines.length - 1]).toBe('tests: 7 passed, 1 failed');
    rmSync(dir, { recursive: true, force: true });
  });
});

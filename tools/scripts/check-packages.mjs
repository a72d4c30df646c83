#!/usr/bin/env node
// Skeleton gate: every package under packages/ follows the conventions of the monorepo.
// Usage: node tools/scripts/check-packages.mjs [--root DIR]. Exit 1 and one line per problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPOSITORY_URL } from './new-package.mjs';

// Packages whose identity is shared (error brand, backend registry): one copy per install.
const SHARED_IDENTITY = ['@implicit-bias/core', '@implicit-bias/backend'];

const SCOPE = '@implicit-bias';
const PRIVATE = new Set(['testing', 'playground']);

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function readJson(file, problems, where) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${where}: cannot read ${file}: ${e.message}`);
    return undefined;
  }
}

/** Return a list of human-readable problems (empty when everything conforms). */
export function checkPackages(root) {
  const problems = [];
  const pkgsDir = join(root, 'packages');
  const names = existsSync(pkgsDir)
    ? readdirSync(pkgsDir).filter((n) => statSync(join(pkgsDir, n)).isDirectory())
    : [];
  const versions = {};
  for (const n of names) {
    const f = join(pkgsDir, n, 'package.json');
    if (existsSync(f)) versions[`${SCOPE}/${n}`] = JSON.parse(readFileSync(f, 'utf8')).version;
  }
  const rootTs = readJson(join(root, 'tsconfig.json'), problems, 'tsconfig.json') ?? {};
  const rootRefs = new Set((rootTs.references ?? []).map((r) => r.path.replace(/\/$/, '')));

  for (const n of names) {
    const dir = join(pkgsDir, n);
    const at = `packages/${n}`;
    const fix = (what, how) => problems.push(`${at}: ${what} — ${how}`);
    const pjFile = join(dir, 'package.json');
    if (!existsSync(pjFile)) {
      fix(
        'package.json is missing',
        'create the package with `node tools/scripts/new-package.mjs`',
      );
      continue;
    }
    const pj = readJson(pjFile, problems, at);
    if (!pj) continue;
    if (pj.name !== `${SCOPE}/${n}`) fix(`name is '${pj.name}'`, `set "name": "${SCOPE}/${n}"`);
    if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pj.version ?? ''))
      fix('version is not semver', 'set "version": "0.1.0"');
    if (pj.license !== 'MIT') fix('license is not MIT', 'set "license": "MIT"');
    if (pj.type !== 'module') fix('not an ES module package', 'set "type": "module"');
    if (pj.sideEffects !== false)
      fix('sideEffects is not false', 'set "sideEffects": false (nothing registers on import)');
    if (!pj.description) fix('description is missing', 'add a one-sentence "description"');
    const dot = pj.exports?.['.'];
    if (!dot?.types || !dot?.default)
      fix(
        'exports["."] lacks types/default',
        'set "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } }',
      );
    if (!Array.isArray(pj.files) || !pj.files.includes('dist'))
      fix(
        '"files" does not publish dist',
        'set "files": ["dist", "!dist/**/*.test.*", "README.md"]',
      );
    if (!PRIVATE.has(n)) {
      const lic = join(dir, 'LICENSE');
      if (
        !existsSync(lic) ||
        readFileSync(lic, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')
      )
        fix('LICENSE is missing or differs from the root LICENSE', `cp LICENSE ${at}/LICENSE`);
      if (!Array.isArray(pj.files) || !pj.files.includes('LICENSE'))
        fix('"files" does not publish LICENSE', 'add "LICENSE" to "files"');
      if (!Array.isArray(pj.files) || !pj.files.includes('!dist/**/*.d.ts.map'))
        fix(
          '"files" publishes declaration maps that point at unshipped sources',
          'add "!dist/**/*.d.ts.map" to "files"',
        );
      if (pj.repository?.url !== REPOSITORY_URL || pj.repository?.directory !== at)
        fix(
          '"repository" is missing or wrong',
          `set "repository": { "type": "git", "url": "${REPOSITORY_URL}", "directory": "${at}" }`,
        );
      for (const [dep, range] of Object.entries(pj.dependencies ?? {}))
        if (!dep.startsWith(`${SCOPE}/`) && /^\d/.test(range))
          fix(
            `third-party dependency ${dep} is pinned to '${range}'`,
            `use a caret range "^${range}" so consumers can dedupe it`,
          );
    }
    if (!PRIVATE.has(n))
      for (const shared of SHARED_IDENTITY)
        if (pj.dependencies?.[shared] !== undefined)
          fix(
            `${shared} is a plain dependency`,
            `make it a peerDependency (and a devDependency) so that one copy of it is shared`,
          );
    for (const s of ['build', 'lint', 'test'])
      if (!pj.scripts?.[s])
        fix(
          `script "${s}" is missing`,
          'copy the scripts block from tools/scripts/new-package.mjs',
        );
    if (PRIVATE.has(n) && pj.private !== true) fix('must be private', 'set "private": true');
    if (!PRIVATE.has(n) && pj.private === true)
      fix(
        'is private but listed as public',
        'remove "private" or add it to PRIVATE in check-packages',
      );
    for (const [dep, range] of ['dependencies', 'peerDependencies', 'devDependencies'].flatMap(
      (section) => Object.entries(pj[section] ?? {}),
    )) {
      if (!dep.startsWith(`${SCOPE}/`)) continue;
      if (!(dep in versions))
        fix(`depends on unknown workspace package ${dep}`, 'remove it or create the package');
      else if (range !== `^${versions[dep]}`)
        fix(
          `range '${range}' for ${dep}`,
          `use "^${versions[dep]}" (the npm equivalent of workspace:^)`,
        );
    }
    const readme = join(dir, 'README.md');
    if (!existsSync(readme))
      fix(
        'README.md is missing',
        "add one that opens with one sentence, a runnable example and the package's place in the dependency graph",
      );
    else {
      const text = readFileSync(readme, 'utf8');
      if (!text.startsWith(`# ${SCOPE}/${n}`))
        fix('README.md does not start with its package name', `start it with "# ${SCOPE}/${n}"`);
      if (!/```(ts|js|typescript|sh|bash)\n/.test(text))
        fix('README.md has no example code block', 'add a runnable example in a ```ts block');
      if (text.includes('a runnable example of about a dozen lines'))
        fix(
          "README.md still has the generator's placeholder example",
          'replace it with a real runnable example',
        );
      if (!/dependency graph/i.test(text))
        fix(
          'README.md does not place the package in the dependency graph',
          'add a "Place in the dependency graph" section',
        );
    }
    if (!existsSync(join(dir, 'src', 'index.ts')))
      fix('src/index.ts is missing', 'export the public API from src/index.ts');
    const tests = walk(join(dir, 'src')).filter((f) => /\.test\.ts$/.test(f));
    if (tests.length === 0)
      fix('has no tests', 'add at least one src/**/*.test.ts that tests real code');
    // a package whose tests close a cycle (backend-cpu ↔ testing) splits its build into a
    // solution tsconfig.json over tsconfig.lib.json (the library) and tsconfig.test.json
    const tsFile = existsSync(join(dir, 'tsconfig.lib.json'))
      ? 'tsconfig.lib.json'
      : 'tsconfig.json';
    const ts = existsSync(join(dir, tsFile))
      ? readJson(join(dir, tsFile), problems, at)
      : undefined;
    if (!ts)
      fix(
        'tsconfig.json is missing',
        'extend ../../tsconfig.base.json with rootDir src and outDir dist',
      );
    else {
      const refs = new Set(
        (ts.references ?? []).map((r) =>
          r.path
            .replace(/^\.\.\//, '')
            .replace(/\/tsconfig\.lib\.json$/, '')
            .replace(/\/$/, ''),
        ),
      );
      for (const dep of Object.keys({ ...pj.dependencies, ...pj.peerDependencies })) {
        if (dep.startsWith(`${SCOPE}/`) && !refs.has(dep.slice(SCOPE.length + 1)))
          fix(
            `${tsFile} does not reference ${dep}`,
            `add { "path": "../${dep.slice(SCOPE.length + 1)}" } to references`,
          );
      }
    }
    if (!rootRefs.has(`packages/${n}`))
      fix('not referenced from the root tsconfig.json', `add { "path": "packages/${n}" }`);
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--root');
  const root =
    i > 0
      ? resolve(process.argv[i + 1])
      : resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const problems = checkPackages(root);
  if (problems.length) {
    for (const p of problems) console.error(`check-packages: ${p}`);
    console.error(`check-packages: ${problems.length} problem(s) found`);
    process.exit(1);
  }
  console.log('check-packages: every package follows the skeleton');
}

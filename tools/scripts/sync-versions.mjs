#!/usr/bin/env node
// Runs after `changeset version` (npm run version-packages):
// 1. Keeps 0.x releases in 0.x. Changesets bumps a package to 1.0.0 when one of its peer
//    dependencies (core, backend) changes, since the peer range must change; in 0.x semver the
//    minor position is the breaking one, so such a package goes from 0.a.b to 0.(a+1).0 instead.
//    Versions, internal ranges and CHANGELOG headings are rewritten to match.
// 2. Writes each package's version into the source constants that carry it
//    (`export const <NAME>_PACKAGE_VERSION = '…'`), so that a copy of a package knows its own
//    version without reading package.json at run time (browsers, bundlers). A test checks each.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirs = readdirSync(join(root, 'packages')).filter((p) =>
  existsSync(join(root, 'packages', p, 'package.json')),
);
const read = (f) => JSON.parse(readFileSync(f, 'utf8'));
const write = (f, v) => writeFileSync(f, JSON.stringify(v, null, 2) + '\n');

function committedVersion(pkg) {
  try {
    const text = execFileSync('git', ['show', `HEAD:packages/${pkg}/package.json`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(text).version;
  } catch {
    return undefined; // a new package
  }
}

// 1. 0.x stays 0.x
const renames = new Map(); // name → { from, to }
for (const pkg of dirs) {
  const pj = read(join(root, 'packages', pkg, 'package.json'));
  const before = committedVersion(pkg);
  if (before === undefined || before === pj.version) continue;
  const [oMajor, oMinor] = before.split('.').map(Number);
  const [nMajor] = pj.version.split('.').map(Number);
  if (oMajor === 0 && nMajor >= 1)
    renames.set(pj.name, { from: pj.version, to: `0.${oMinor + 1}.0` });
}
for (const pkg of dirs) {
  const file = join(root, 'packages', pkg, 'package.json');
  const pj = read(file);
  const own = renames.get(pj.name);
  if (own) pj.version = own.to;
  for (const section of ['dependencies', 'peerDependencies', 'devDependencies'])
    for (const [dep, range] of Object.entries(pj[section] ?? {})) {
      const r = renames.get(dep);
      if (r && range === `^${r.from}`) pj[section][dep] = `^${r.to}`;
    }
  write(file, pj);
  const log = join(root, 'packages', pkg, 'CHANGELOG.md');
  if (existsSync(log)) {
    let text = readFileSync(log, 'utf8');
    if (own) text = text.replace(`\n## ${own.from}\n`, `\n## ${own.to}\n`);
    for (const [name, r] of renames) text = text.split(`${name}@${r.from}`).join(`${name}@${r.to}`);
    writeFileSync(log, text);
  }
  if (own)
    console.log(`sync-versions: ${pj.name} ${own.from} → ${own.to} (0.x: breaking is minor)`);
}

// 2. version constants in sources
let changed = 0;
for (const pkg of dirs) {
  const { version } = read(join(root, 'packages', pkg, 'package.json'));
  const src = join(root, 'packages', pkg, 'src');
  if (!existsSync(src)) continue;
  for (const f of readdirSync(src).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const file = join(src, f);
    const text = readFileSync(file, 'utf8');
    const next = text.replace(
      /(export const [A-Z_]+_PACKAGE_VERSION = ')[^']*(';)/g,
      (_, a, b) => `${a}${version}${b}`,
    );
    if (next !== text) {
      writeFileSync(file, next);
      changed++;
      console.log(`sync-versions: packages/${pkg}/src/${f} → ${version}`);
    }
  }
}
if (changed === 0) console.log('sync-versions: every version constant is up to date');

#!/usr/bin/env node
// After `changeset version`: write each package's version into the source constants that carry it
// (`export const <NAME>_PACKAGE_VERSION = '…'`), so that a copy of a package knows its own version
// without reading package.json at run time (browsers, bundlers). A test per constant checks it.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let changed = 0;
for (const pkg of readdirSync(join(root, 'packages'))) {
  const pj = join(root, 'packages', pkg, 'package.json');
  const src = join(root, 'packages', pkg, 'src');
  if (!existsSync(pj) || !existsSync(src)) continue;
  const { version } = JSON.parse(readFileSync(pj, 'utf8'));
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

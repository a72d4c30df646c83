#!/usr/bin/env node
// Checks that every API-looking name the prose documentation mentions in backticks (camelCase or
// PascalCase identifiers such as `solveFlow`, `predictRegressionQ`, `RunResult`, optionally
// followed by `(...)` or a `.member`) still exists in the packages' sources, so a rename cannot
// leave the guide, theory pages or ADRs pointing at something that is gone.
// Usage: node tools/scripts/check-docs-names.mjs  (exit 1 with one line per unknown name)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir, keep, out = []) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (e !== 'node_modules' && e !== 'dist') walk(p, keep, out);
    } else if (keep(p)) out.push(p);
  }
  return out;
}

/** Every identifier in the packages' sources (tests excluded) and the root configuration files. */
function sourceIdentifiers() {
  const names = new Set();
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const src = join(root, 'packages', pkg, 'src');
    if (!existsSync(src)) continue;
    for (const f of walk(src, (p) => /\.ts$/.test(p) && !/\.test\.ts$/.test(p)))
      for (const m of readFileSync(f, 'utf8').matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g))
        names.add(m[0]);
  }
  // configuration keys the ADRs discuss (tsconfig, jest, nx, package.json)
  for (const f of readdirSync(root).filter((e) => /\.(json|cjs|mjs)$/.test(e)))
    for (const m of readFileSync(join(root, f), 'utf8').matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g))
      names.add(m[0]);
  return names;
}

/** The prose pages checked: the guide, theory pages, ADRs and the examples README. */
export function proseFiles() {
  return [
    ...walk(join(root, 'docs/guide'), (p) => p.endsWith('.md')),
    ...walk(join(root, 'docs/theory'), (p) => p.endsWith('.md')),
    ...walk(join(root, 'docs/adr'), (p) => p.endsWith('.md')),
    join(root, 'examples/README.md'),
  ].filter(existsSync);
}

/** `file:line: name` for every backticked API-looking name that is not in the sources. */
export function unknownNames(files = proseFiles(), known = sourceIdentifiers()) {
  const out = [];
  for (const file of files) {
    let inFence = false;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
        if (inFence) return;
        for (const m of line.matchAll(
          /`([A-Za-z_][A-Za-z0-9_]*)(?:\([^`]*\)|\.[A-Za-z0-9_.]*)?`/g,
        )) {
          const name = m[1];
          // API-looking: an inner capital (camelCase / PascalCase), not ALL_CAPS or a plain word
          if (!/^[A-Za-z][a-z0-9]*[A-Z]/.test(name) || /^[A-Z0-9_]+$/.test(name)) continue;
          if (!known.has(name)) out.push(`${relative(root, file)}:${i + 1}: ${name}`);
        }
      });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const unknown = unknownNames();
  for (const u of unknown) console.error(`unknown API name: ${u}`);
  if (unknown.length > 0) process.exit(1);
  console.log(
    `docs names: ${proseFiles().length} pages checked, every API name exists in the sources`,
  );
}

#!/usr/bin/env node
// Checks every relative link in the documentation (docs/**/*.md except the generated docs/api,
// README.md, packages/*/README.md, examples/README.md) points at a file or directory that exists, and that
// every `#anchor` into a markdown file matches one of its headings (GitHub's slug rules).
// Usage: node tools/scripts/check-docs-links.mjs  (exit 1 with one line per broken link)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Markdown files to check. */
export function docFiles() {
  const out = [join(root, 'README.md'), join(root, 'examples/README.md')].filter(existsSync);
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) {
        if (p !== join(root, 'docs/api')) walk(p);
      } else if (p.endsWith('.md')) out.push(p);
    }
  };
  walk(join(root, 'docs'));
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const readme = join(root, 'packages', pkg, 'README.md');
    if (existsSync(readme)) out.push(readme);
  }
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1])));
}

/** Broken relative links of one markdown file, as `file:line: target (why)` strings. */
export function brokenLinks(file) {
  const text = readFileSync(file, 'utf8');
  const broken = [];
  let inFence = false;
  text.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const code = line.replace(/`[^`]*`/g, '');
    for (const m of code.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
      const [path, anchor] = target.split('#');
      const dest = path === '' ? file : resolve(dirname(file), path);
      const where = `${relative(root, file)}:${i + 1}`;
      if (!existsSync(dest)) {
        broken.push(`${where}: ${target} (no such file)`);
      } else if (anchor && dest.endsWith('.md') && !anchorsOf(dest).has(anchor)) {
        broken.push(`${where}: ${target} (no heading with anchor #${anchor})`);
      }
    }
  });
  return broken;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const broken = docFiles().flatMap(brokenLinks);
  for (const b of broken) console.error(`broken link: ${b}`);
  if (broken.length > 0) process.exit(1);
  console.log(`docs links: ${docFiles().length} files checked, all relative links resolve`);
}

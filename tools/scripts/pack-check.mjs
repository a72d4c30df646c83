#!/usr/bin/env node
// Publishing dry run: pack every public package, install the tarballs of `core` plus others into a
// fresh project outside the monorepo, import them from ESM and CommonJS, and type-check a consumer.
// Proves "install only the packages you need" and "depend on pinned versions from your own code".
// Then follows docs/guide/getting-started.md literally in another fresh project: runs its `npm`
// lines with the packed tarballs in place of the registry names, runs every ```js block of the
// guide in order, and checks the reproduced regression prediction (so the guide cannot rot).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downstreamCheck, STRICT_CONSUMER } from './downstream-check.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The consumer installs these (and only these) packages from their tarballs.
const CONSUMER = ['core', 'backend', 'backend-cpu'];

function sh(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
/** Fenced blocks of a markdown text: `{ lang, code }` in order (```js, ```sh, …). */
function codeBlocks(markdown) {
  const out = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```\s*([\w-]*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].startsWith('```')) body.push(lines[j++]);
    out.push({ lang: open[1], code: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return out;
}

/** `@implicit-bias/*` packages that `names` need, themselves included (from package.json). */
function internalClosure(names) {
  const seen = new Set();
  const visit = (name) => {
    const dir = name.replace('@implicit-bias/', '');
    if (seen.has(dir)) return;
    const pj = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    seen.add(dir);
    for (const dep of Object.keys({ ...pj.dependencies, ...pj.peerDependencies }))
      if (dep.startsWith('@implicit-bias/')) visit(dep);
  };
  names.forEach(visit);
  return [...seen];
}

/**
 * A new user following only docs/guide/getting-started.md: the guide's `npm init`/`npm install`
 * lines run in a fresh directory outside the monorepo (registry names replaced by the tarballs,
 * plus the tarballs of their internal dependencies, which are not on a registry yet), then each
 * ```js block runs as its own module; the regression block must print `status converged` and a
 * relative distance to the prediction below 1e−8 (measured ~1e−10 in float64).
 */
function followGettingStarted(tarballs) {
  const guide = readFileSync(join(root, 'docs/guide/getting-started.md'), 'utf8');
  const blocks = codeBlocks(guide);
  const install = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.code.split('\n'))
    .map((l) => l.trim())
    .filter((l) => /^npm (init|install)\b/.test(l) && !l.includes('implicit-bias/cli'));
  const installLine = install.find((l) => l.startsWith('npm install'));
  if (!installLine) fail('docs/guide/getting-started.md: no `npm install @implicit-bias/…` line');
  const dir = join(work, 'guide');
  sh('mkdir', ['-p', dir], work);
  for (const line of install) {
    const args = line.split(/\s+/).slice(1);
    if (args[0] === 'install') {
      const named = args.filter((a) => a.startsWith('@implicit-bias/'));
      const files = internalClosure(named).map((n) => {
        if (!tarballs[n]) fail(`getting-started installs ${n}, which is private or missing`);
        return tarballs[n];
      });
      const rest = args.slice(1).filter((a) => !a.startsWith('@implicit-bias/'));
      step(`guide: npm install ${named.join(' ')} (from tarballs, with ${files.length} packages)`);
      sh(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...rest, ...files], dir);
    } else {
      step(`guide: ${line}`);
      sh(npm, args, dir);
    }
  }
  const js = blocks.filter((b) => b.lang === 'js');
  if (js.length === 0) fail('docs/guide/getting-started.md has no ```js block to run');
  let checked = false;
  js.forEach((b, i) => {
    const file = join(dir, `guide-${i}.mjs`);
    writeFileSync(file, b.code);
    let out;
    try {
      out = sh(process.execPath, [file], dir);
    } catch (e) {
      fail(
        `getting-started.md block at line ${b.line} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
    const m = /^distance\s+(\S+)/m.exec(out);
    if (m) {
      const distance = Number(m[1]);
      if (!/status converged/.test(out)) fail(`guide regression did not converge:\n${out}`);
      if (!(distance < 1e-8))
        fail(`guide regression: distance ${m[1]} to the prediction is not below 1e-8:\n${out}`);
      step(`guide: reproduced the regression prediction, relative distance ${m[1]}`);
      checked = true;
    }
  });
  if (!checked) fail('no getting-started block printed `distance <number>`');
}

function step(msg) {
  console.log(`pack-check: ${msg}`);
}
function fail(msg) {
  console.error(`pack-check: FAILED: ${msg}`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'ib-pack-'));
try {
  step('building (tsc -b)');
  sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], root);

  const names = readdirSync(join(root, 'packages')).filter((n) =>
    existsSync(join(root, 'packages', n, 'package.json')),
  );
  const tarballs = {};
  for (const n of names) {
    const pj = JSON.parse(readFileSync(join(root, 'packages', n, 'package.json'), 'utf8'));
    if (pj.private) continue;
    const out = JSON.parse(
      sh(npm, ['pack', '--json', '--pack-destination', work], join(root, 'packages', n)),
    );
    const info = out[0];
    const files = info.files.map((f) => f.path);
    for (const must of ['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts'])
      if (!files.includes(must))
        fail(`${pj.name}: tarball lacks ${must} (check "files" in package.json)`);
    for (const must of ['LICENSE'])
      if (!files.includes(must)) fail(`${pj.name}: tarball lacks ${must} (add it to "files")`);
    if (pj.repository?.directory !== `packages/${n}`)
      fail(`${pj.name}: package.json has no "repository" with directory packages/${n}`);
    // no tests, test helpers, build info, or declaration maps pointing at unshipped sources
    const leaked = files.filter((f) =>
      /\.test\.|\.fixture\.|tsbuildinfo|^src\/|^dist\/testing\/|\.d\.ts\.map$/.test(f),
    );
    if (leaked.length) fail(`${pj.name}: tarball contains ${leaked.join(', ')}`);
    // source maps must carry their sources (src/ is not shipped)
    for (const map of files.filter((f) => f.endsWith('.js.map'))) {
      const m = JSON.parse(readFileSync(join(root, 'packages', n, map), 'utf8'));
      if (!Array.isArray(m.sourcesContent) || m.sourcesContent.some((c) => typeof c !== 'string'))
        fail(`${pj.name}: ${map} points at sources the tarball does not ship (inlineSources)`);
    }
    tarballs[n] = join(work, info.filename);
    step(`packed ${info.filename} (${files.length} files, ${info.size} bytes)`);
  }

  const app = join(work, 'consumer');
  sh('mkdir', ['-p', app], work);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2),
  );
  step(
    `installing ${CONSUMER.map((c) => '@implicit-bias/' + c).join(', ')} from tarballs into ${app}`,
  );
  sh(
    npm,
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...CONSUMER.map((c) => tarballs[c])],
    app,
  );

  writeFileSync(
    join(app, 'esm.mjs'),
    `import { key, normal, ImplicitBiasError } from '@implicit-bias/core';
import { selectBackend, listBackends } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
const be = await selectBackend('cpu', { plugins: [cpuPlugin], env: {} });
const a = be.fromHost(normal(key(1), 6), [2, 3]);
const s = be.toHostSync(be.sum(be.square(a), 1));
const rows = await listBackends({ plugins: [cpuPlugin] });
if (!(s.length === 2 && s[0] > 0 && rows.find((r) => r.id === 'cpu').available)) throw new Error('ESM consumer failed');
try { await selectBackend('nope', { plugins: [cpuPlugin], env: {} }); throw new Error('no error'); }
catch (e) { if (!(e instanceof ImplicitBiasError) || e.code !== 'BACKEND_UNAVAILABLE') throw e; }
console.log('esm ok');
`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `// Node >= 20.19 loads these ES modules from CommonJS with require() (no top-level await in them).
const { key, uniform } = require('@implicit-bias/core');
const { createCpuBackend } = require('@implicit-bias/backend-cpu');
const be = createCpuBackend();
const x = be.toHostSync(be.fromHost(uniform(key(2), 4), [4]));
if (x.length !== 4) throw new Error('CJS consumer failed');
console.log('cjs ok');
`,
  );
  writeFileSync(
    join(app, 'consumer.ts'),
    `import { key, normal, type Key, type HostMatrix } from '@implicit-bias/core';
import type { Backend, BackendPlugin } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
const k: Key = key(3);
const m: HostMatrix = { rows: 1, cols: 2, data: normal(k, 2) };
const p: BackendPlugin = cpuPlugin;
export async function total(): Promise<number> {
  const be: Backend = await p.create();
  const s = be.toHostSync(be.sum(be.fromHost(m.data, [2]), 0));
  return s[0] ?? 0;
}
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: STRICT_CONSUMER,
      files: ['consumer.ts'],
    }),
  );
  step(sh(process.execPath, ['esm.mjs'], app).trim());
  step(sh(process.execPath, ['cjs.cjs'], app).trim());
  sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  step('consumer.ts type-checks against the published declarations');
  followGettingStarted(tarballs);
  downstreamCheck({ root, work, tarballs, closure: internalClosure, step, fail });
  step('ok');
} catch (e) {
  fail(`${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

#!/usr/bin/env node
// Publishing dry run: pack every public package, install the tarballs of `core` plus others into a
// fresh project outside the monorepo, import them from ESM and CommonJS, and type-check a consumer.
// Proves "install only the packages you need" and "depend on pinned versions from your own code".
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The consumer installs these (and only these) packages from their tarballs.
const CONSUMER = ['core', 'backend', 'backend-cpu'];

function sh(cmd, args, cwd) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
    const leaked = files.filter((f) => /\.test\.|tsbuildinfo|^src\//.test(f));
    if (leaked.length) fail(`${pj.name}: tarball contains ${leaked.join(', ')}`);
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
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
      },
      files: ['consumer.ts'],
    }),
  );
  step(sh(process.execPath, ['esm.mjs'], app).trim());
  step(sh(process.execPath, ['cjs.cjs'], app).trim());
  sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  step('consumer.ts type-checks against the published declarations');
  step('ok');
} catch (e) {
  fail(`${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

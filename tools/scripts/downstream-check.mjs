// The downstream app of the root README ("Install only what you need"), built from the packed
// tarballs in a fresh project outside the monorepo:
//   1. installs the README's `npm install` line (tarballs in place of registry names; core and
//      backend arrive as peers), runs the README's script with IMPLICIT_BIAS_BACKEND=cpu and =wasm
//      (only the variable changes) and checks each result against its precision;
//   2. type-checks a strict TypeScript app (NodeNext, `types: []`, ESM .ts and CommonJS .cts);
//   3. installs a second version of core and of backend beside the first (aliases core-next and
//      backend-next) and checks that errors from one copy are recognized by the other, that both
//      share one plug-in registry, and that the two-versions warning names both versions.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** The compiler options of a strict downstream TypeScript app (no @types beyond what it names). */
export const STRICT_CONSUMER = {
  target: 'ES2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  types: [],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
};

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd, args, cwd, env = process.env) {
  return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The fenced blocks of the README section headed `### Install only what you need`. */
function readmeSection(root) {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  const start = text.indexOf('### Install only what you need');
  if (start < 0) throw new Error('README.md has no "### Install only what you need" section');
  const rest = text.slice(start + 3);
  const end = rest.search(/\n##+ /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    code: m[2],
  }));
  const install = blocks.find((b) => b.lang === 'sh')?.code.trim();
  const script = blocks.find((b) => b.lang === 'js')?.code;
  if (!install?.startsWith('npm install ') || script === undefined)
    throw new Error(
      'README "Install only what you need" needs an `npm install` ```sh and a ```js block',
    );
  return { names: install.split(/\s+/).slice(2), script };
}

/** Repack a tarball as another version (and patch the constants that carry the version). */
function otherVersion(tarball, version, work, name) {
  const dir = join(work, `${name}-src`);
  mkdirSync(dir, { recursive: true });
  sh('tar', ['xzf', tarball, '-C', dir], work);
  const pj = join(dir, 'package', 'package.json');
  const meta = JSON.parse(readFileSync(pj, 'utf8'));
  const old = meta.version;
  meta.version = version;
  writeFileSync(pj, JSON.stringify(meta, null, 2));
  const dist = join(dir, 'package', 'dist');
  for (const f of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const js = readFileSync(join(dist, f), 'utf8');
    const patched = js.replace(`_PACKAGE_VERSION = '${old}'`, `_PACKAGE_VERSION = '${version}'`);
    if (patched !== js) writeFileSync(join(dist, f), patched);
  }
  const out = join(work, `${name}-${version}.tgz`);
  sh('tar', ['czf', out, '-C', dir, 'package'], work);
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/**
 * Run the downstream checks. `tarballs` maps package folder names to packed tarballs; `closure`
 * gives the internal packages that a list of package names needs (peers included).
 */
export function downstreamCheck({ root, work, tarballs, closure, step, fail }) {
  const { names, script } = readmeSection(root);
  const app = join(work, 'downstream');
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'downstream', version: '1.0.0', private: true, type: 'module' }),
  );
  const files = closure(names).map((n) => {
    if (!tarballs[n]) fail(`README installs ${n}, which is private or missing`);
    return tarballs[n];
  });
  step(`downstream: npm install ${names.join(' ')} (${files.length} tarballs)`);
  sh(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], app);
  writeFileSync(join(app, 'downstream.mjs'), script);

  // 1. the same script on cpu and wasm, only the variable changes
  const expect = {
    cpu: { precision: 'float64', below: 1e-8 },
    wasm: { precision: 'float32', below: 1e-3 },
  };
  for (const [id, want] of Object.entries(expect)) {
    let out;
    try {
      out = sh(process.execPath, ['downstream.mjs'], app, {
        ...process.env,
        IMPLICIT_BIAS_BACKEND: id,
      });
    } catch (e) {
      fail(`downstream script on ${id} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
    const head = new RegExp(`^backend ${id} ${want.precision} status converged$`, 'm');
    const d = Number(/^distance (\S+)$/m.exec(out)?.[1]);
    if (!head.test(out) || !(d < want.below) || !/^error INVALID_CONFIG$/m.test(out))
      fail(`downstream script on ${id}: expected ${head}, distance < ${want.below}:\n${out}`);
    step(
      `downstream: IMPLICIT_BIAS_BACKEND=${id} → ${want.precision}, distance ${d.toExponential(2)}`,
    );
  }

  // 2. a strict TypeScript app, ESM and CommonJS, with a restricted types list
  writeFileSync(
    join(app, 'app.ts'),
    `import { selectBackend, type Backend } from '@implicit-bias/backend';
import { isImplicitBiasError, type HostMatrix } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import { solveFlow, type FlowSolution } from '@implicit-bias/flow';
import { predictRegression, maxMarginL1 } from '@implicit-bias/theory';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { wasmPlugin } from '@implicit-bias/backend-wasm';
export async function run(): Promise<number> {
  const backend: Backend = await selectBackend(undefined, { plugins: [cpuPlugin, wasmPlugin] });
  const X: HostMatrix = { rows: 2, cols: 4, data: Float64Array.of(1, 2, 0, -1, 0, 1, 1, 1) };
  const y = [1, -0.5];
  const network = diagonal({ dim: 4, depth: 3 });
  const init = initialize(network, { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 0 });
  const s: FlowSolution = await solveFlow(
    { network, X, y, loss: 'squared', init, backend },
    { method: 'auto', until: { loss: 1e-20 } },
  );
  const p = predictRegression(network, { X, y }, { alpha: 0.5 });
  try {
    diagonal({ dim: 0, depth: 3 });
  } catch (e) {
    if (isImplicitBiasError(e)) return e.code.length;
  }
  if ('notSupported' in p) return -1;
  const l1 = await maxMarginL1({ X, y: [1, -1] }); // { X, y } and { Z, y } are both accepted
  if (l1.status !== 'converged') return -2;
  const status: 'converged' | 'max-steps' | 'non-finite' | 'stalled' = p.status;
  return (s.runs[0]?.beta[0] ?? 0) + (p.beta[0] ?? 0) + status.length;
}
`,
  );
  writeFileSync(
    join(app, 'app.cts'),
    `import core = require('@implicit-bias/core');
import backend = require('@implicit-bias/backend');
import networks = require('@implicit-bias/networks');
export function depth(): number {
  const net = networks.diagonal({ dim: 3, depth: 2 });
  return net.depth + (core.isImplicitBiasError(new Error('x')) ? 1 : 0) + backend.BACKEND_ENV_VAR.length;
}
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: STRICT_CONSUMER,
      files: ['app.ts', 'app.cts'],
    }),
  );
  try {
    sh(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      app,
    );
  } catch (e) {
    fail(
      `downstream: the strict TypeScript app does not type-check:\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
  }
  step('downstream: strict TypeScript app (NodeNext, ESM + CommonJS, types: []) type-checks');

  // 3. a second version of core and backend beside the first
  const coreNext = otherVersion(tarballs.core, '0.99.0-next', work, 'core');
  const backendNext = otherVersion(tarballs.backend, '0.99.0-next', work, 'backend');
  sh(
    npm,
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--legacy-peer-deps',
      `core-next@file:${coreNext}`,
      `backend-next@file:${backendNext}`,
    ],
    app,
  );
  writeFileSync(
    join(app, 'two-copies.mjs'),
    `import * as coreNext from 'core-next';
import * as backendNext from 'backend-next';
import * as backend from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { diagonal } from '@implicit-bias/networks';
if (coreNext.ImplicitBiasError === (await import('@implicit-bias/core')).ImplicitBiasError)
  throw new Error('core-next is not a second copy');
try {
  diagonal({ dim: 0, depth: 3 });
  throw new Error('no error thrown');
} catch (e) {
  if (!coreNext.isImplicitBiasError(e, 'INVALID_CONFIG') || !(e instanceof coreNext.ImplicitBiasError))
    throw new Error('an error from core 0.x is not recognized by core-next: ' + e);
}
backendNext.registerBackend(cpuPlugin);
if (!backend.registeredBackends().some((p) => p.id === 'cpu'))
  throw new Error('a plug-in registered through backend-next is not seen by @implicit-bias/backend');
const be = await backend.selectBackend('cpu', { discover: false, env: {} });
console.log('two copies ok', be.id);
`,
  );
  let r;
  try {
    r = execFileSync(process.execPath, ['two-copies.mjs'], {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    fail(`downstream: two versions of core/backend:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  if (!/two copies ok cpu/.test(r)) fail(`downstream: two versions of core/backend:\n${r}`);
  // the warning goes to stderr: run again capturing it
  const warned = sh('bash', ['-c', 'node two-copies.mjs 2>&1 >/dev/null'], app);
  if (!/two versions of @implicit-bias\/backend are loaded \(.*0\.99\.0-next.*\)/.test(warned))
    fail(`downstream: no warning when two versions of backend meet:\n${warned}`);
  step('downstream: two versions of core and backend share error checks and one registry (warned)');
}

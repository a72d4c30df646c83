#!/usr/bin/env node
// Check the `cuda` backend (tfjs-node-gpu) on this machine end to end and print a short report:
// prerequisites (NVIDIA GPU and driver, CUDA 11.2 / cuDNN 8.1 libraries, the tfjs-node-gpu
// package), the Backend conformance suite on `cuda`, and a throughput benchmark against the
// float64 `cpu` backend. Installs nothing and downloads nothing. See README.md beside this file.
//
//   npm run build && node tools/gpu-check/gpu-check.mjs [--package-dir DIR] [--quick] [--json FILE]
//
// With --backend tensorflow it checks the native CPU backend (tfjs-node) the same way, which is
// how CI exercises the conformance and benchmark steps of this script without a GPU.
//
// Exit status: 0 cuda works and conforms; 1 cuda runs but a conformance case or the benchmark
// failed; 2 cuda is unavailable here (the report says exactly what is missing); 3 bad usage or
// the workspace packages are not built.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NEEDED_TFJS = '4.22';

const FLAVOURS = {
  cuda: { pkg: '@tensorflow/tfjs-node-gpu', envVar: 'IMPLICIT_BIAS_TFJS_NODE_GPU', gpu: true },
  tensorflow: { pkg: '@tensorflow/tfjs-node', envVar: 'IMPLICIT_BIAS_TFJS_NODE', gpu: false },
};

const USAGE = `usage: node tools/gpu-check/gpu-check.mjs [options]
  --package-dir DIR    folder of the installed @tensorflow/tfjs-node-gpu package (default:
                       $IMPLICIT_BIAS_TFJS_NODE_GPU, else the package resolved from the repository)
  --backend ID         cuda (default) or tensorflow (tfjs-node on the CPU, no GPU checks; its
                       folder defaults to $IMPLICIT_BIAS_TFJS_NODE)
  --quick              smaller benchmark (n = 128 and 256, 3 repetitions)
  --json FILE          also write the report as JSON
  -h, --help           this text`;

function fail(code, message) {
  console.error(`gpu-check: ${message}`);
  process.exit(code);
}

function parseCli() {
  try {
    const { values } = parseArgs({
      options: {
        'package-dir': { type: 'string' },
        backend: { type: 'string', default: 'cuda' },
        quick: { type: 'boolean', default: false },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (!Object.hasOwn(FLAVOURS, values.backend)) {
      console.error(USAGE);
      return fail(3, `--backend must be cuda or tensorflow, not '${values.backend}'`);
    }
    return values;
  } catch (e) {
    console.error(USAGE);
    return fail(3, e instanceof Error ? e.message : String(e));
  }
}

const message = (e) => (e instanceof Error ? e.message : String(e));

function run(cmd, args) {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: 15_000 }, (err, stdout, stderr) =>
      done(err ? { ok: false, error: message(err), stderr: String(stderr) } : { ok: true, stdout }),
    );
  });
}

// ---- the checks: each returns { name, ok, detail } ----

async function checkGpu(detectNvidiaGpu) {
  const smi = await run('nvidia-smi', [
    '--query-gpu=name,driver_version,memory.total',
    '--format=csv,noheader',
  ]);
  if (smi.ok) {
    const gpus = smi.stdout
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(',').map((x) => x.trim()));
    const drivers = gpus.map((g) => Number.parseFloat(g[1] ?? ''));
    const old = drivers.filter((d) => !(d >= 450));
    const detail = gpus.map((g) => `${g[0]} (driver ${g[1]}, ${g[2]})`).join('; ');
    if (gpus.length === 0) return { name: 'GPU', ok: false, detail: '`nvidia-smi` lists no GPU' };
    if (old.length > 0) {
      return {
        name: 'GPU',
        ok: false,
        detail: `${detail}: driver older than 450, which CUDA 11.2 needs; update the NVIDIA driver`,
      };
    }
    return { name: 'GPU', ok: true, detail };
  }
  const r = await detectNvidiaGpu();
  return r.ok
    ? { name: 'GPU', ok: true, detail: `/dev/nvidia0 exists (nvidia-smi: ${smi.error})` }
    : { name: 'GPU', ok: false, detail: r.reason };
}

async function checkLibraries(detectCudaLibraries, CUDA_LIBRARIES) {
  const r = await detectCudaLibraries();
  return r.ok
    ? { name: 'CUDA libraries', ok: true, detail: `found ${CUDA_LIBRARIES.join(', ')}` }
    : { name: 'CUDA libraries', ok: false, detail: r.reason };
}

function findPackage(flavour, dirOption) {
  const { pkg, envVar } = flavour;
  const short = pkg.slice('@tensorflow/'.length);
  const fromEnv = process.env[envVar]?.trim();
  let dir = dirOption ?? (fromEnv ? fromEnv : undefined);
  let how = dirOption ? '--package-dir' : fromEnv ? envVar : 'the repository';
  if (dir === undefined) {
    try {
      const req = createRequire(join(ROOT, 'package.json'));
      dir = dirname(req.resolve(`${pkg}/package.json`));
    } catch {
      return {
        check: {
          name: short,
          ok: false,
          detail:
            `${pkg} is not installed (neither resolvable from the repository nor named by ` +
            `--package-dir / ${envVar}); install it once, e.g. ` +
            `\`npm install --prefix ~/${short} ${pkg}@4.22.0\` (its install script downloads ` +
            `libtensorflow 2.9.1), then pass --package-dir ~/${short}/node_modules/${pkg}`,
        },
      };
    }
  }
  dir = resolve(dir);
  const pj = join(dir, 'package.json');
  if (!existsSync(pj)) {
    return {
      check: {
        name: short,
        ok: false,
        detail: `${dir} (from ${how}) is not a package folder: no package.json there`,
      },
    };
  }
  const { name, version } = JSON.parse(readFileSync(pj, 'utf8'));
  const problems = [];
  if (name !== pkg) problems.push(`it is ${name}, not ${pkg}`);
  if (!String(version).startsWith(`${NEEDED_TFJS}.`))
    problems.push(
      `version ${version}; this check and its CUDA / cuDNN versions are for ${NEEDED_TFJS}.x`,
    );
  const libDir = join(dir, 'lib');
  const bindings = existsSync(libDir)
    ? readdirSync(libDir).filter((d) => existsSync(join(libDir, d, 'tfjs_binding.node')))
    : [];
  if (bindings.length === 0) {
    problems.push(
      'no native binding (lib/napi-v*/tfjs_binding.node): its install script did not run; run ' +
        `\`npm rebuild ${pkg} --foreground-scripts\` where it is installed`,
    );
  }
  how = how === 'the repository' ? 'resolved from the repository' : `from ${how}`;
  return {
    dir,
    check: {
      name: short,
      ok: problems.length === 0,
      detail: `${name}@${version} at ${dir} (${how})${problems.length ? `: ${problems.join('; ')}` : ''}`,
    },
  };
}

// ---- benchmark ----

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeOp(be, make, op, reps, warmup) {
  const inputs = make();
  const once = () => {
    const t0 = performance.now();
    // the host result leaves the scope through the closure, not as its return value: tf.tidy
    // walks a returned container element by element (~1 µs per entry), which would swamp the
    // kernels being measured
    let out;
    be.scope(() => {
      out = be.toHostSync(op(inputs));
    });
    const ms = performance.now() - t0;
    if (out === undefined || out.length === 0) throw new Error('empty read-back');
    return ms;
  };
  try {
    for (let i = 0; i < warmup; i++) once();
    const ms = [];
    for (let i = 0; i < reps; i++) ms.push(once());
    return median(ms);
  } finally {
    be.dispose(inputs);
  }
}

async function benchmark(backends, core, quick) {
  // n ≥ 2048 only where a GPU is timed; on CPUs a 2048 matmul takes seconds
  const big = backends.some((b) => b.id === 'cuda');
  const sizes = quick ? [128, 256] : big ? [256, 1024, 2048, 4096] : [256, 1024];
  const rows = [];
  for (const n of sizes) {
    const a = core.normal(core.key(1, n), n * n);
    const b = core.normal(core.key(2, n), n * n);
    for (const [label, flops, op] of [
      ['matmul', 2 * n ** 3, (be, [x, y]) => be.matmul(x, y)],
      ['logSumExp', 4 * n * n, (be, [x]) => be.logSumExp(x, -1)],
    ]) {
      const row = { op: label, n, ms: {}, gflops: {} };
      for (const { id, be } of backends) {
        // the plain-TypeScript cpu backend is timed up to n = 1024 (a 2048 matmul takes seconds)
        if (id === 'cpu' && n > 1024) continue;
        const reps = quick || id === 'cpu' ? 3 : 10;
        const ms = timeOp(
          be,
          () => [be.fromHost(a, [n, n]), be.fromHost(b, [n, n])],
          (xs) => op(be, xs),
          reps,
          quick ? 1 : 3,
        );
        row.ms[id] = ms;
        row.gflops[id] = flops / (ms * 1e6);
      }
      rows.push(row);
    }
  }
  return rows;
}

// ---- report ----

function printReport(report) {
  const mark = (ok) => (ok ? 'ok     ' : 'MISSING');
  const id = report.backend;
  console.log(`gpu-check: the ${id} backend (${FLAVOURS[id].pkg}) on this machine`);
  console.log(`  machine: ${report.machine}`);
  for (const c of report.checks) console.log(`  [${mark(c.ok)}] ${c.name}: ${c.detail}`);
  if (!report.backendStatus.available) {
    console.log(`  ${id}: unavailable — ${report.backendStatus.reason}`);
    console.log(`  conformance and benchmark: not run (${id} is unavailable)`);
  } else {
    const c = report.conformance;
    console.log(`  conformance: ${c.passed}/${c.total} cases passed on ${id} (float32 tolerances)`);
    for (const f of c.failures) console.log(`    failed: ${f.name}: ${f.message}`);
    console.log('  throughput (median of repeated calls incl. read-back; GFLOP/s):');
    for (const r of report.benchmark) {
      const cells = Object.keys(r.ms).map(
        (id) => `${id} ${r.ms[id].toFixed(2)} ms (${r.gflops[id].toFixed(1)} GFLOP/s)`,
      );
      console.log(`    ${r.op} ${r.n}x${r.n}: ${cells.join(', ')}`);
    }
  }
  console.log(`verdict: ${report.verdict}`);
}

async function main() {
  const opts = parseCli();
  let cudaPkg;
  let core;
  try {
    cudaPkg = await import('@implicit-bias/backend-cuda');
    core = await import('@implicit-bias/core');
  } catch (e) {
    fail(3, `cannot load the workspace packages (${message(e)}); run \`npm run build\` first`);
  }
  const { createCudaPlugin, createTensorflowPlugin, detectNvidiaGpu, detectCudaLibraries } =
    cudaPkg;
  const { CUDA_LIBRARIES } = cudaPkg;
  const id = opts.backend;
  const flavour = FLAVOURS[id];
  const machine =
    `${os.platform()} ${os.arch()}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ` +
    `Node ${process.version}`;
  const checks = [];
  if (
    flavour.gpu &&
    (!(os.platform() === 'linux' || os.platform() === 'win32') || os.arch() !== 'x64')
  ) {
    checks.push({
      name: 'platform',
      ok: false,
      detail: `${os.platform()} ${os.arch()}: tfjs-node-gpu ships GPU builds for Linux and Windows on x64 only`,
    });
  }
  if (flavour.gpu) {
    checks.push(await checkGpu(detectNvidiaGpu));
    checks.push(await checkLibraries(detectCudaLibraries, CUDA_LIBRARIES));
  }
  const pkg = findPackage(flavour, opts['package-dir']);
  checks.push(pkg.check);

  const create = id === 'cuda' ? createCudaPlugin : createTensorflowPlugin;
  const plugin = create(pkg.dir === undefined ? {} : { modulePath: pkg.dir });
  const probe = await plugin.probe();
  const report = {
    backend: id,
    machine,
    checks,
    backendStatus: probe.ok ? { available: true } : { available: false, reason: probe.reason },
    conformance: undefined,
    benchmark: undefined,
    verdict: '',
  };
  let status = 0;
  if (!probe.ok) {
    status = 2;
    const missing = checks.filter((c) => !c.ok).map((c) => c.name);
    report.verdict = `${id} is unavailable here (missing: ${missing.length ? missing.join(', ') : 'see the reason above'})`;
  } else {
    let be;
    try {
      be = await plugin.create();
    } catch (e) {
      report.backendStatus = { available: false, reason: `create() failed: ${message(e)}` };
      report.verdict = `${id} is unavailable here (create() failed)`;
      status = 2;
    }
    if (be !== undefined) {
      try {
        let testing;
        try {
          testing = await import('@implicit-bias/testing');
        } catch (e) {
          fail(
            3,
            `cannot load @implicit-bias/testing (${message(e)}); run \`npm run build\` first`,
          );
        }
        const cases = testing.conformanceCases();
        const failures = await testing.checkConformance(be, cases);
        report.conformance = {
          total: cases.length,
          passed: cases.length - failures.length,
          failures,
        };
        const { cpuPlugin } = await import('@implicit-bias/backend-cpu');
        const cpu = await cpuPlugin.create();
        try {
          report.benchmark = await benchmark(
            [
              { id, be },
              { id: 'cpu', be: cpu },
            ],
            core,
            opts.quick,
          );
        } finally {
          await cpu.close();
        }
        status = failures.length === 0 ? 0 : 1;
        report.verdict =
          failures.length === 0
            ? `${id} works: every conformance case passed`
            : `${id} runs but ${failures.length} conformance case(s) failed`;
      } catch (e) {
        status = 1;
        report.verdict = `${id} runs but the check failed: ${message(e)}`;
      } finally {
        await be.close();
      }
    }
  }
  printReport(report);
  if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exit(status);
}

main().catch((e) =>
  fail(1, `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : e}`),
);

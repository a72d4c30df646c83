#!/usr/bin/env node
// The float64 kernel layer of @implicit-bias/backend-cpu alone (issue #20 item 6): WebAssembly
// SIMD against the plain JavaScript loops, side by side in one run (samples interleaved), with
// NumPy's BLAS as the peer (peers/numpy_kernels.py) when python3 with NumPy 2.x is present.
//
//   node tools/bench/kernels.mjs [--quick] [--reps N] [--no-peer] [--json FILE]
//
// Tables: GFLOP/s and GB/s (bytes of the operands each call must read and write) of
//   gemv-pair  y = A·x then g = Aᵀ·y (one gradient of a linear model; A stays resident in the
//              kernel module's memory across calls, as the data matrix of a run does)
//   gram       A·diag(w)·Aᵀ
//   mul        element-wise a·b of length m·n (operands copied in and out every call)
// at 10×100, 100×200, 100×1000, 1000×1000; then the crossover of small gemv pairs (operands
// under 32 KiB are copied every call), which sets DEFAULT_MIN_WORK in kernels-wasm.ts; then the
// squared-loss residual and gradient on one thread and on the machine's threads (up to 4), which
// sets DEFAULT_THREAD_MIN_WORK in threads.ts; then the real-input FFT (`host.rdft`, forward and
// inverse) on the kernels against JavaScript at n = 100, 200, 1000; then one
// gradient (flow's field evaluation) of diagonal, fully-connected and convolutional networks on
// two cpu backends, kernels 'wasm' and 'js', each fused and generic, interleaved.
// Needs the packages built (`npm run build`). Timings never appear in tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuJsKernels, cpuKernelInfo, createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { networkField } from '@implicit-bias/flow';
import { buildNetwork } from './lib/sections.mjs';
import { machineLine, markdownTable, summarize } from './lib/common.mjs';

// the forced WebAssembly kernels (every size on wasm), not part of the package's public API
const { loadWasmKernels } = await import(
  new URL('../../packages/backend-cpu/dist/kernels-wasm.js', import.meta.url).href
);
const { wasmRdft } = await import(
  new URL('../../packages/backend-cpu/dist/fft-wasm.js', import.meta.url).href
);
const { rdft } = await import(
  new URL('../../packages/backend-cpu/dist/fft-real.js', import.meta.url).href
);

const { values: cli } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    'no-peer': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const REPS = Number(cli.reps ?? (cli.quick ? 5 : 15));
const SIZES = cli.quick
  ? [
      [10, 100],
      [100, 200],
    ]
  : [
      [10, 100],
      [100, 200],
      [100, 1000],
      [1000, 1000],
    ];
const CROSSOVER = [
  [2, 8],
  [4, 16],
  [8, 32],
  [8, 64],
  [16, 64],
  [16, 128],
  [32, 128],
  [32, 256],
  [64, 256],
];

const wasm = loadWasmKernels(0);
if (typeof wasm === 'string') {
  console.error(`kernels.mjs: WebAssembly SIMD kernels unavailable: ${wasm}`);
  process.exit(1);
}

function random(n, seed) {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Work of one call: floating-point operations and bytes read + written. */
function cost(kernel, m, n) {
  if (kernel === 'gemv-pair') return { flops: 4 * m * n, bytes: 8 * (2 * m * n + 2 * m + 2 * n) };
  if (kernel === 'gram') return { flops: m * (m + 1) * n + m * n, bytes: 8 * (m * n + n + m * m) };
  return { flops: m * n, bytes: 24 * m * n };
}

function call(k, kernel, m, n, ops) {
  if (kernel === 'gemv-pair') return () => k.gemvT(ops.A, k.gemv(ops.A, ops.x, m, n), m, n);
  if (kernel === 'gram') return () => k.gram(ops.A, ops.w, m, n);
  return () => k.mul(ops.a, ops.b);
}

/** Interleaved samples (µs per call) of several implementations of one cell. */
function measure(fns, reps) {
  for (const f of fns) for (let i = 0; i < 3; i++) f();
  const inner = fns.map((f) => {
    const t0 = performance.now();
    f();
    return Math.max(1, Math.round(2 / Math.max(performance.now() - t0, 1e-4)));
  });
  const samples = fns.map(() => []);
  for (let r = 0; r < reps; r++) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      for (let j = 0; j < inner[i]; j++) f();
      samples[i].push(((performance.now() - t0) / inner[i]) * 1e3);
    });
  }
  return samples.map(summarize);
}

function runPeer(cells) {
  if (cli['no-peer']) return { reason: 'disabled with --no-peer' };
  const script = fileURLToPath(new URL('./peers/numpy_kernels.py', import.meta.url));
  const python = process.env.BENCH_PYTHON ?? 'python3';
  const r = spawnSync(python, [script], {
    input: JSON.stringify({ cells }),
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    timeout: 600_000,
  });
  if (r.error || r.status !== 0) return { reason: (r.error?.message ?? r.stderr).split('\n')[0] };
  return { cells: JSON.parse(r.stdout).cells };
}

const kernels = ['gemv-pair', 'gram', 'mul'];
const cells = [];
for (const kernel of kernels) {
  for (const [m, n] of SIZES) {
    if (kernel === 'gram' && m * m * n > 2e8) continue; // 1000×1000: ~1 s per js call
    const ops = {
      A: random(m * n, 1),
      x: random(n, 2),
      w: random(n, 3).map((v) => Math.abs(v) + 0.1),
    };
    ops.a = ops.A;
    ops.b = random(m * n, 4);
    console.error(`measuring ${kernel} ${m}×${n}`);
    const [w, j] = measure(
      [call(wasm, kernel, m, n, ops), call(cpuJsKernels, kernel, m, n, ops)],
      REPS,
    );
    cells.push({ kernel, m, n, ...cost(kernel, m, n), wasm: w, js: j });
  }
}
const crossover = [];
for (const [m, n] of CROSSOVER) {
  const ops = { A: random(m * n, 5), x: random(n, 6) };
  const [w, j] = measure(
    [call(wasm, 'gemv-pair', m, n, ops), call(cpuJsKernels, 'gemv-pair', m, n, ops)],
    REPS,
  );
  crossover.push({ m, n, work: m * n, wasm: w, js: j });
}
/**
 * One field evaluation (the gradient of every layer) of `arch` depth L on backend `be`: the fused
 * host pass (what the flow calls) or, with `fused` false, the generic path of backend ops.
 */
function gradientCall(be, arch, L, n, d, fused = true) {
  const net = buildNetwork(arch, L, d, 100);
  const [kx, ky, kp] = split(key(7), 3);
  const yh = normal(ky, n);
  const size = net.paramSizes.reduce((a, b) => a + b, 0);
  const state = Float64Array.from(normal(kp, size), (v) =>
    arch === 'diagonal' ? 0.5 * v : v / Math.sqrt(d),
  );
  const field = networkField({
    network: net,
    backend: be,
    X: be.fromHost(normal(kx, n * d), [n, d]),
    y: be.fromHost(yh, [n]),
    labels: yh,
    loss: 'squared',
    time: 'physical',
    fused,
  });
  const out = new Float64Array(state.length); // the steppers' preallocated output
  return () => field.evaluate(state, 1, undefined, out);
}
// threads: the squared-loss residual and gradient (host.residualGradient) of one run or a batch
// on one thread against the machine's threads, every size sent to threads (sets
// DEFAULT_THREAD_MIN_WORK in backend-cpu threads.ts)
const THREADS = Math.min(4, availableParallelism());
const THREAD_CELLS = cli.quick
  ? [
      [1, 100, 1000],
      [64, 100, 200],
    ]
  : [
      [1, 100, 200],
      [1, 100, 500],
      [1, 100, 1000],
      [1, 1000, 1000],
      [16, 10, 100],
      [64, 10, 100],
      [16, 100, 200],
      [64, 100, 200],
    ];
const threaded = [];
if (THREADS > 1) {
  const single = loadWasmKernels(0, { threads: 1 });
  const multi = loadWasmKernels(0, { threads: THREADS, minWork: 0 });
  for (const [rows, n, d] of THREAD_CELLS) {
    console.error(`measuring residualGradient ${rows}×${n}×${d} on 1 and ${THREADS} threads`);
    const X = random(n * d, 5);
    const B = random(rows * d, 6);
    const y = random(n, 7);
    const r = new Float64Array(rows * n);
    const u = new Float64Array(rows * d);
    const [one, many] = measure(
      [single, multi].map((k) => () => k.residualGradientInto(X, B, y, rows, n, d, r, u)),
      REPS,
    );
    threaded.push({ rows, n, d, work: rows * n * d, one, many });
  }
}

// the real-input FFT: one forward and one inverse transform per call, kernels against JavaScript
const ffts = [];
for (const n of [100, 200, 1000]) {
  console.error(`measuring rdft at n = ${n}`);
  const x = random(n, n);
  const re = new Float64Array(Math.floor(n / 2) + 1);
  const im = new Float64Array(re.length);
  const y = new Float64Array(n);
  const pair = (t) => () => {
    for (let r = 0; r < 100; r++) {
      t.forward(x, re, im);
      t.inverse(re, im, y);
    }
  };
  const [w, j] = measure([pair(wasmRdft(n)), pair(rdft(n))], REPS);
  ffts.push({ n, wasm: w, js: j });
}

const gradients = [];
const backends = {
  wasm: createCpuBackend({ kernels: 'wasm' }),
  js: createCpuBackend({ kernels: 'js' }),
};
for (const arch of ['diagonal', 'fully-connected', 'convolutional'])
  for (const L of [2, 3])
    for (const [n, d] of SIZES) {
      console.error(`measuring the ${arch} L=${L} gradient at ${n}×${d}`);
      const [w, j, wg, jg] = measure(
        [
          gradientCall(backends.wasm, arch, L, n, d),
          gradientCall(backends.js, arch, L, n, d),
          gradientCall(backends.wasm, arch, L, n, d, false),
          gradientCall(backends.js, arch, L, n, d, false),
        ],
        REPS,
      );
      gradients.push({ arch, L, n, d, wasm: w, js: j, wasmGeneric: wg, jsGeneric: jg });
    }
const peer = runPeer(cells.map(({ kernel, m, n }) => ({ kernel, m, n, reps: REPS, seed: 0 })));
if (peer.cells) peer.cells.forEach((p, i) => (cells[i].numpy = summarize(p.samples_us)));
else console.error(`skipping the NumPy peer: ${peer.reason}`);

const g = (c, s) => (s ? ((c.flops / s.medianUs) * 1e-3).toFixed(2) : '–');
const gb = (c, s) => (s ? ((c.bytes / s.medianUs) * 1e-3).toFixed(1) : '–');
const us = (s) => (s ? s.medianUs.toFixed(s.medianUs >= 100 ? 0 : 1) : '–');
console.log(
  `# cpu kernels, ${new Date().toISOString()}\n\n${machineLine()}; default path: ${JSON.stringify(cpuKernelInfo())}; ${REPS} interleaved samples, medians.\n`,
);
console.log(
  markdownTable(
    [
      'kernel',
      'size',
      'wasm µs',
      'js µs',
      'wasm/js speed-up',
      'wasm GFLOP/s',
      'js GFLOP/s',
      'wasm GB/s',
      'js GB/s',
      'NumPy µs',
      'NumPy GFLOP/s',
      'wasm vs NumPy',
    ],
    cells.map((c) => [
      c.kernel,
      `${c.m}×${c.n}`,
      us(c.wasm),
      us(c.js),
      `${(c.js.medianUs / c.wasm.medianUs).toFixed(2)}×`,
      g(c, c.wasm),
      g(c, c.js),
      gb(c, c.wasm),
      gb(c, c.js),
      us(c.numpy),
      g(c, c.numpy),
      c.numpy ? `${(c.numpy.medianUs / c.wasm.medianUs).toFixed(2)}×` : '–',
    ]),
  ),
);
console.log('\nCrossover of the gemv pair (operands copied in every call):\n');
console.log(
  markdownTable(
    ['size', 'm·n', 'wasm µs', 'js µs', 'wasm/js speed-up'],
    crossover.map((c) => [
      `${c.m}×${c.n}`,
      String(c.work),
      us(c.wasm),
      us(c.js),
      `${(c.js.medianUs / c.wasm.medianUs).toFixed(2)}×`,
    ]),
  ),
);
console.log(
  `\nThe squared-loss residual and gradient (\`host.residualGradient\`, B runs sharing X) on 1 and ${THREADS} threads (every size sent to threads; the default sends B·n·d ≥ 2¹⁶):\n`,
);
console.log(
  threaded.length === 0
    ? 'one thread only on this machine'
    : markdownTable(
        ['B', 'n×d', 'B·n·d', '1 thread µs', `${THREADS} threads µs`, 'speed-up'],
        threaded.map((c) => [
          String(c.rows),
          `${c.n}×${c.d}`,
          String(c.work),
          us(c.one),
          us(c.many),
          `${(c.one.medianUs / c.many.medianUs).toFixed(2)}×`,
        ]),
      ),
);
console.log(
  '\nThe real-input FFT `host.rdft(n)`, µs per transform (mean of forward and inverse):\n',
);
console.log(
  markdownTable(
    ['n', 'wasm µs', 'js µs', 'speed-up'],
    ffts.map((c) => [
      String(c.n),
      (c.wasm.medianUs / 200).toFixed(2),
      (c.js.medianUs / 200).toFixed(2),
      `${(c.js.medianUs / c.wasm.medianUs).toFixed(2)}×`,
    ]),
  ),
);
console.log(
  '\nOne gradient (field evaluation) on cpu backends with kernels wasm and js, fused (one host pass per row, what the flow calls) and generic (one backend op per step, `fused: false`):\n',
);
console.log(
  markdownTable(
    [
      'network',
      'L',
      'n×d',
      'wasm fused µs',
      'wasm generic µs',
      'fused speed-up',
      'js fused µs',
      'js generic µs',
      'wasm/js (fused)',
    ],
    gradients.map((c) => [
      c.arch,
      String(c.L),
      `${c.n}×${c.d}`,
      us(c.wasm),
      us(c.wasmGeneric),
      `${(c.wasmGeneric.medianUs / c.wasm.medianUs).toFixed(2)}×`,
      us(c.js),
      us(c.jsGeneric),
      `${(c.js.medianUs / c.wasm.medianUs).toFixed(2)}×`,
    ]),
  ),
);
if (cli.json) {
  mkdirSync(dirname(resolve(cli.json)), { recursive: true });
  writeFileSync(
    resolve(cli.json),
    `${JSON.stringify({ machine: machineLine(), cells, crossover, threaded, ffts, gradients }, null, 1)}\n`,
  );
}

#!/usr/bin/env node
// Time any set of Backend ops on any set of backends, side by side in one run.
//
//   node tools/bench/ops.mjs [--backends cpu,tfjs-cpu,wasm] [--ops matmul,logSumExp,...|all]
//                            [--sizes 100x200,1000x1000] [--batch B] [--reps N] [--warmup N]
//                            [--seed S] [--json out.json]
//
// Needs the packages built (`npx tsc -b`); they are imported by name through the workspace
// symlinks in node_modules. Prints a markdown table on stdout, progress on stderr. Numbers
// depend on the machine: they are measured here, never asserted in tests (see README.md).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KNOWN_BACKENDS, listBackends, selectBackend } from '@implicit-bias/backend';
import { key, normal } from '@implicit-bias/core';
import {
  fmtRate,
  fmtUs,
  loadPlugins,
  machine as machineInfo,
  machineLine,
  markdownTable,
  summarize,
} from './lib/common.mjs';

const DEFAULT_OPS = [
  'matmul',
  'add',
  'mul',
  'sum',
  'logSumExp',
  'softmax',
  'circularConvolve',
  'circularCorrelate',
];

const USAGE = `usage: node tools/bench/ops.mjs [options]
  --backends a,b,...   backend ids (default: every known backend; unavailable ones are skipped)
  --ops a,b,...|all    Backend ops to time (default: ${DEFAULT_OPS.join(',')})
  --sizes MxN,...      matrix sizes; inputs are [batch, M, N] (default: 100x200,500x500)
  --batch B            leading batch axis of every input (default: 1)
  --reps N             timed repetitions per cell (default: 20)
  --warmup N           untimed repetitions before timing (default: 3)
  --seed S             seed of the inputs, normal(key(S, i), n) (default: 0)
  --json FILE          also write the raw numbers (every sample) as JSON
  -h, --help           this text`;

// ---- the ops: each names its inputs (host data made from the seed) and how to call it ----
// Input kinds: 'normal' = standard normal entries; 'positive' = |normal| + 0.5 (for sqrt, log,
// pow and the divisor of div). `s` is the input shape [B, M, N]; `t` the shape [B, N, M].

const same =
  (k1, k2 = 'normal') =>
  (s) => [
    [k1, s],
    [k2, s],
  ];
const one =
  (k = 'normal') =>
  (s) => [[k, s]];

const OPS = {
  // creation and read-back (the read-back after every op is part of every timing)
  fromHost: { inputs: () => [], host: true, run: (be, _inputs, h, s) => be.fromHost(h, s) },
  fill: { inputs: () => [], run: (be, _inputs, _h, s) => be.fill(s, 1.5) },
  toHostSync: { inputs: one(), run: (_be, [a]) => a },
  // shape
  reshape: { inputs: one(), run: (be, [a], _h, s) => be.reshape(a, [s[0], s[1] * s[2]]) },
  slice: {
    inputs: one(),
    run: (be, [a], _h, s) => be.slice(a, [0, Math.floor(s[1] / 4), 0], [-1, half(s[1]), -1]),
  },
  concat: { inputs: same('normal'), run: (be, [a, b]) => be.concat([a, b], -1) },
  gather: {
    inputs: one(),
    run: (be, [a], _h, s) => be.gather(a, reversed(s[1]), 1),
  },
  transpose: { inputs: one(), run: (be, [a]) => be.transpose(a, [0, 2, 1]) },
  pad: {
    inputs: one(),
    run: (be, [a]) =>
      be.pad(a, [
        [0, 0],
        [1, 1],
        [1, 1],
      ]),
  },
  // element-wise
  add: { inputs: same('normal'), run: (be, [a, b]) => be.add(a, b) },
  sub: { inputs: same('normal'), run: (be, [a, b]) => be.sub(a, b) },
  mul: { inputs: same('normal'), run: (be, [a, b]) => be.mul(a, b) },
  div: { inputs: same('normal', 'positive'), run: (be, [a, b]) => be.div(a, b) },
  maximum: { inputs: same('normal'), run: (be, [a, b]) => be.maximum(a, b) },
  scale: { inputs: one(), run: (be, [a]) => be.scale(a, 1.5) },
  addScalar: { inputs: one(), run: (be, [a]) => be.addScalar(a, 0.5) },
  neg: { inputs: one(), run: (be, [a]) => be.neg(a) },
  abs: { inputs: one(), run: (be, [a]) => be.abs(a) },
  sign: { inputs: one(), run: (be, [a]) => be.sign(a) },
  square: { inputs: one(), run: (be, [a]) => be.square(a) },
  sqrt: { inputs: one('positive'), run: (be, [a]) => be.sqrt(a) },
  pow: { inputs: one('positive'), run: (be, [a]) => be.pow(a, 1.5) },
  exp: { inputs: one(), run: (be, [a]) => be.exp(a) },
  log: { inputs: one('positive'), run: (be, [a]) => be.log(a) },
  sigmoid: { inputs: one(), run: (be, [a]) => be.sigmoid(a) },
  softplus: { inputs: one(), run: (be, [a]) => be.softplus(a) },
  // reductions, along the last axis
  sum: { inputs: one(), run: (be, [a]) => be.sum(a, -1) },
  max: { inputs: one(), run: (be, [a]) => be.max(a, -1) },
  min: { inputs: one(), run: (be, [a]) => be.min(a, -1) },
  logSumExp: { inputs: one(), run: (be, [a]) => be.logSumExp(a, -1) },
  softmax: { inputs: one(), run: (be, [a]) => be.softmax(a, -1) },
  // linear algebra: [B,M,N]·[B,N,M] -> [B,M,M]; circular ops along the last axis (length N)
  matmul: {
    inputs: (s, t) => [
      ['normal', s],
      ['normal', t],
    ],
    run: (be, [a, b]) => be.matmul(a, b),
  },
  circularConvolve: { inputs: same('normal'), run: (be, [a, b]) => be.circularConvolve(a, b) },
  circularCorrelate: { inputs: same('normal'), run: (be, [a, b]) => be.circularCorrelate(a, b) },
};

function half(n) {
  return Math.max(1, Math.floor(n / 2));
}

function reversed(n) {
  return Array.from({ length: n }, (_, i) => n - 1 - i);
}

// ---- arguments ----

function usageError(message) {
  console.error(`ops.mjs: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

function list(value) {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

function positiveInt(name, value, min) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) usageError(`--${name} must be an integer >= ${min}`);
  return n;
}

function parseSize(text) {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(text);
  const rows = m ? Number(m[1]) : NaN;
  const cols = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(rows >= 1 && cols >= 1)) {
    usageError(`bad size '${text}': use MxN with positive integers, e.g. 100x200`);
  }
  return { label: `${rows}x${cols}`, rows, cols };
}

function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        backends: { type: 'string' },
        ops: { type: 'string', default: DEFAULT_OPS.join(',') },
        sizes: { type: 'string', default: '100x200,500x500' },
        batch: { type: 'string', default: '1' },
        reps: { type: 'string', default: '20' },
        warmup: { type: 'string', default: '3' },
        seed: { type: 'string', default: '0' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    usageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const validOps = Object.keys(OPS);
  const ops = v.ops.trim() === 'all' ? validOps : [...new Set(list(v.ops))];
  const unknownOps = ops.filter((o) => !Object.hasOwn(OPS, o));
  if (ops.length === 0) usageError(`--ops is empty; valid ops: all, ${validOps.join(', ')}`);
  if (unknownOps.length > 0) {
    usageError(
      `unknown op${unknownOps.length === 1 ? '' : 's'} '${unknownOps.join(', ')}'; ` +
        `valid ops: all, ${validOps.join(', ')}`,
    );
  }
  const sizes = list(v.sizes).map(parseSize);
  if (sizes.length === 0) usageError('--sizes is empty');
  return {
    backends: v.backends === undefined ? undefined : [...new Set(list(v.backends))],
    ops,
    sizes,
    batch: positiveInt('batch', v.batch, 1),
    reps: positiveInt('reps', v.reps, 1),
    warmup: positiveInt('warmup', v.warmup, 0),
    seed: positiveInt('seed', v.seed, 0),
    json: v.json,
  };
}

// ---- timing ----

function hostInputs(spec, shape, seed) {
  const kinds = OPS[spec].inputs(shape, [shape[0], shape[2], shape[1]]);
  return kinds.map(([kind, s], i) => {
    const n = s.reduce((p, d) => p * d, 1);
    const data = normal(key(seed, i), n);
    if (kind === 'positive') for (let j = 0; j < n; j++) data[j] = Math.abs(data[j]) + 0.5;
    return { data, shape: s };
  });
}

/** Time one op on one backend: warm-up, then `reps` × (op + toHostSync) each inside `scope`. */
function timeCell(be, opName, shape, cfg) {
  const op = OPS[opName];
  const host = hostInputs(opName, shape, cfg.seed);
  // fromHost times the copy of a fresh batch of host data; every other op gets device inputs
  const hostData = op.host
    ? normal(
        key(cfg.seed, 0),
        shape.reduce((p, d) => p * d, 1),
      )
    : null;
  const before = be.liveArrays();
  const inputs = host.map((h) => be.fromHost(h.data, h.shape));
  const once = () => {
    const t0 = performance.now();
    // the scope frees the result (and any temporaries): only host numbers leave it
    const out = be.scope(() => be.toHostSync(op.run(be, inputs, hostData, shape)));
    const t1 = performance.now();
    if (out.length === 0) throw new Error('empty read-back');
    return (t1 - t0) * 1e3;
  };
  try {
    for (let i = 0; i < cfg.warmup; i++) once();
    const samplesUs = [];
    for (let i = 0; i < cfg.reps; i++) samplesUs.push(once());
    return { samplesUs, ...summarize(samplesUs) };
  } finally {
    be.dispose(inputs);
    const after = be.liveArrays();
    if (before !== undefined && after !== undefined && after > before) {
      console.error(`  warning: ${be.id} ${opName}: ${after - before} array(s) still live`);
    }
  }
}

// ---- main ----

async function main() {
  const cfg = parseCli(process.argv.slice(2));
  const { plugins, importErrors } = await loadPlugins();
  const validIds = [...new Set([...Object.keys(KNOWN_BACKENDS), ...plugins.map((p) => p.id)])];
  const wanted = cfg.backends ?? validIds;
  const unknown = wanted.filter((id) => !validIds.includes(id));
  if (wanted.length === 0)
    usageError(`--backends is empty; valid backends: ${validIds.join(', ')}`);
  if (unknown.length > 0) {
    usageError(`unknown backend '${unknown.join(', ')}'; valid backends: ${validIds.join(', ')}`);
  }

  const infos = await listBackends({ plugins, env: {} });
  const status = wanted.map((id) => {
    const info = infos.find((r) => r.id === id);
    const pkg = KNOWN_BACKENDS[id]?.pkg;
    let reason = info?.reason ?? 'unknown backend';
    if (info && !info.registered && pkg && importErrors.has(pkg)) {
      reason = `cannot import ${pkg}: ${importErrors.get(pkg)} (run \`npx tsc -b\` first?)`;
    }
    return {
      id,
      available: info?.available === true,
      precision: info?.precision,
      reason: info?.available ? undefined : reason,
    };
  });
  const skipped = status.filter((s) => !s.available);
  for (const s of skipped) console.error(`skipping ${s.id}: ${s.reason}`);
  const usable = status.filter((s) => s.available);
  if (usable.length === 0) {
    console.error('ops.mjs: none of the requested backends is available here');
    process.exit(1);
  }

  // cells[op|size][backend] = result or { error }; backends run one after another, because the
  // tfjs-based ones share one global tfjs engine
  const cells = new Map();
  const rowKey = (op, size) => `${op}|${size.label}`;
  let failures = 0;
  for (const s of usable) {
    let be;
    try {
      be = await selectBackend(s.id, { plugins, env: {} });
    } catch (e) {
      s.available = false;
      s.reason = `create() failed: ${e instanceof Error ? e.message : String(e)}`;
      console.error(`skipping ${s.id}: ${s.reason}`);
      skipped.push(s);
      continue;
    }
    s.precision = be.precision;
    try {
      for (const size of cfg.sizes) {
        const shape = [cfg.batch, size.rows, size.cols];
        for (const op of cfg.ops) {
          process.stderr.write(`${s.id} ${op} ${shape.join('x')} ... `);
          let r;
          try {
            r = timeCell(be, op, shape, cfg);
            process.stderr.write(`${fmtUs(r.medianUs)}\n`);
          } catch (e) {
            failures++;
            r = { error: e instanceof Error ? e.message : String(e) };
            process.stderr.write(`error: ${r.error}\n`);
          }
          const k = rowKey(op, size);
          if (!cells.has(k)) cells.set(k, { op, size, shape, byBackend: new Map() });
          cells.get(k).byBackend.set(s.id, r);
        }
      }
    } finally {
      await be.close();
    }
  }
  const ran = usable.filter((s) => s.available);

  // ratio to the fastest backend of each row
  const results = [];
  for (const row of cells.values()) {
    const medians = [...row.byBackend.values()].filter((r) => !r.error).map((r) => r.medianUs);
    const fastest = Math.min(...medians);
    for (const [backend, r] of row.byBackend) {
      if (!r.error) r.ratioToFastest = r.medianUs / fastest;
      results.push({ backend, op: row.op, size: row.size.label, shape: row.shape, ...r });
    }
  }

  // the table: one row per op × size, one column per backend
  const order = (a, b) =>
    cfg.sizes.indexOf(a.size) - cfg.sizes.indexOf(b.size) ||
    cfg.ops.indexOf(a.op) - cfg.ops.indexOf(b.op);
  const rows = [...cells.values()].sort(order).map((row) => [
    row.op,
    row.shape.join('×'),
    ...ran.map((s) => {
      const r = row.byBackend.get(s.id);
      if (!r) return '–';
      if (r.error) return `error: ${r.error.replace(/\|/g, '\\|').slice(0, 60)}`;
      return `${fmtUs(r.medianUs)} ±${fmtUs(r.iqrUs / 2)} · ${fmtRate(r.opsPerSec)} · ${r.ratioToFastest.toFixed(2)}×`;
    }),
  ]);
  const mi = machineInfo();
  const machine = machineLine(mi);
  const header = ['op', 'input', ...ran.map((s) => `${s.id} (${s.precision})`)];
  const out = [
    `Op timings: median ±IQR/2 per call (op + toHostSync inside scope) · calls/s · ratio to the fastest backend of the row`,
    `reps ${cfg.reps}, warm-up ${cfg.warmup}, batch ${cfg.batch}, seed ${cfg.seed}; ${machine}; ${new Date().toISOString()}`,
    '',
    markdownTable(header, rows),
  ];
  if (skipped.length > 0) {
    out.push('', 'Skipped (unavailable here):', ...skipped.map((s) => `- ${s.id}: ${s.reason}`));
  }
  console.log(out.join('\n'));

  if (cfg.json !== undefined) {
    const raw = {
      tool: 'tools/bench/ops.mjs',
      date: new Date().toISOString(),
      machine: mi,
      settings: {
        ops: cfg.ops,
        sizes: cfg.sizes.map((s) => s.label),
        batch: cfg.batch,
        reps: cfg.reps,
        warmup: cfg.warmup,
        seed: cfg.seed,
      },
      backends: status.map(({ id, available, precision, reason }) => ({
        id,
        available,
        precision,
        reason,
      })),
      results,
    };
    writeFileSync(cfg.json, `${JSON.stringify(raw, null, 2)}\n`);
    console.error(`wrote ${cfg.json}`);
  }
  if (failures > 0) process.exitCode = 1;
}

await main();

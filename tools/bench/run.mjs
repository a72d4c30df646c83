#!/usr/bin/env node
// npm run bench: gradient throughput per backend, time to accuracy (regression and
// classification) against fixed-step gradient descent and a NumPy peer, batched vs sequential
// runs; writes docs/benchmarks.md, its plots and the raw numbers (see README.md).
//
//   node tools/bench/run.mjs [--quick] [--sections throughput,accuracy,classification,batched]
//                            [--out docs/benchmarks.md] [--json out/bench/results.json]
//                            [--backends cpu,tfjs-cpu,wasm] [--no-peer]
//
// Needs the packages built (`npm run build`). Progress goes to stderr.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { KNOWN_BACKENDS, listBackends } from '@implicit-bias/backend';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { renderFigureSvg } from '@implicit-bias/experiments';
import { loadPlugins, machine } from './lib/common.mjs';
import { probePeer } from './lib/peer.mjs';
import { figures, renderMarkdown } from './lib/report.mjs';
import { analysis, settingsFor, SECTIONS } from './lib/settings.mjs';
import {
  accuracyProblem,
  batchedSection,
  classificationSection,
  throughputPeer,
  throughputSection,
} from './lib/sections.mjs';

const USAGE = `usage: node tools/bench/run.mjs [options]
  --quick              smoke test: tiny sizes and budgets (about a minute), not for the record
  --sections a,b       any of ${SECTIONS.join(', ')} (default: all)
  --backends a,b       backend ids (default: cpu, tfjs-cpu, wasm, tensorflow; unavailable ones are skipped)
  --out FILE           the markdown report (default: docs/benchmarks.md; plots go to <dir>/benchmarks/)
  --json FILE          raw results (default: out/bench/results.json)
  --no-peer            skip the NumPy peer
  --unfused            throughput: also time the cpu backend's generic path (column cpu-unfused)
  --render FILE        measure nothing: rewrite the report and plots from a results JSON of an earlier run
  -h, --help           this text`;

function usageError(msg) {
  console.error(`run.mjs: ${msg}`);
  console.error(USAGE);
  process.exit(2);
}

function parseCli(argv) {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        sections: { type: 'string', default: SECTIONS.join(',') },
        backends: { type: 'string', default: 'cpu,tfjs-cpu,wasm,tensorflow' },
        out: { type: 'string', default: 'docs/benchmarks.md' },
        json: { type: 'string', default: 'out/bench/results.json' },
        'no-peer': { type: 'boolean', default: false },
        unfused: { type: 'boolean', default: false },
        render: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    usageError(e instanceof Error ? e.message : String(e));
  }
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const sections = v.sections
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = sections.filter((s) => !SECTIONS.includes(s));
  if (sections.length === 0 || bad.length > 0) {
    usageError(`unknown section '${bad.join(', ')}'; valid sections: ${SECTIONS.join(', ')}`);
  }
  const backends = v.backends
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { ...v, sections, backends, noPeer: v['no-peer'] };
}

async function main() {
  const t0 = performance.now();
  const cli = parseCli(process.argv.slice(2));
  if (cli.render !== undefined) {
    const results = JSON.parse(readFileSync(resolve(cli.render), 'utf8'));
    results.analysis = analysis(results);
    await writeReport(results, cli);
    return;
  }
  const settings = settingsFor(cli.quick);
  const { plugins, importErrors } = await loadPlugins();
  const infos = await listBackends({ plugins, env: {} });
  const backends = cli.backends.map((id) => {
    const info = infos.find((r) => r.id === id);
    const pkg = KNOWN_BACKENDS[id]?.pkg;
    let reason =
      info?.reason ?? `unknown backend; known: ${Object.keys(KNOWN_BACKENDS).join(', ')}`;
    if (info && !info.registered && pkg && importErrors.has(pkg)) {
      reason = `cannot import ${pkg}: ${importErrors.get(pkg)} (run \`npm run build\` first?)`;
    }
    return {
      id,
      available: info?.available === true,
      precision: info?.precision,
      ...(info?.available ? {} : { reason }),
    };
  });
  for (const b of backends) if (!b.available) console.error(`skipping ${b.id}: ${b.reason}`);
  const usable = backends.filter((b) => b.available);
  const peer = cli.noPeer ? { available: false, reason: 'disabled with --no-peer' } : probePeer();
  if (!peer.available) console.error(`skipping the NumPy peer: ${peer.reason}`);

  const ctx = { plugins, usable, peer, cpu: createCpuBackend() };
  const results = {
    tool: 'tools/bench/run.mjs',
    date: new Date().toISOString(),
    command:
      `npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`.replace(
        / --$/,
        '',
      ),
    machine: machine(),
    settings: { quick: cli.quick, sections: cli.sections, ...settings },
    backends,
    peer,
  };
  if (cli.sections.includes('throughput')) {
    results.throughput = [
      ...(await throughputSection(ctx, { ...settings.throughput, unfused: cli.unfused })),
      ...throughputPeer(ctx, settings.throughput),
    ];
  }
  if (cli.sections.includes('accuracy')) {
    results.accuracy = [];
    for (const [L, alpha, extra] of settings.accuracy.problems) {
      results.accuracy.push(await accuracyProblem(ctx, settings.accuracy, L, alpha, extra));
    }
  }
  if (cli.sections.includes('classification')) {
    results.classification = await classificationSection(ctx, settings.classification);
  }
  if (cli.sections.includes('batched')) {
    results.batched = await batchedSection(ctx, settings.batched);
  }
  await ctx.cpu.close();
  results.totalS = (performance.now() - t0) / 1e3;
  results.notes = settings.notes;
  results.analysis = analysis(results);

  const jsonPath = resolve(cli.json);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 1)}\n`);
  console.error(`wrote ${cli.json}`);

  await writeReport(results, cli);
}

/** Write the markdown report and its plots (the raw JSON is written by the caller). */
async function writeReport(results, cli) {
  const outPath = resolve(cli.out);
  const figDir = join(dirname(outPath), basename(outPath, '.md'));
  mkdirSync(figDir, { recursive: true });
  const written = [];
  for (const f of figures(results)) {
    try {
      writeFileSync(join(figDir, f.file), await renderFigureSvg(f.spec, f.rows));
      written.push(f.file);
    } catch (e) {
      console.error(`figure ${f.file} not rendered: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let md = renderMarkdown(results, written).replaceAll('](benchmarks/', `](${basename(figDir)}/`);
  try {
    // the repository's formatting, so that `prettier --check .` passes on the generated file
    const prettier = await import('prettier');
    md = await prettier.format(md, {
      ...(await prettier.resolveConfig(outPath)),
      filepath: outPath,
    });
  } catch (e) {
    console.error(`not formatted with prettier: ${e instanceof Error ? e.message : String(e)}`);
  }
  writeFileSync(outPath, md);
  console.error(`wrote ${cli.out} and ${written.length} plot(s) in ${figDir}`);
}

await main();

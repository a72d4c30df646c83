// Shared pieces of the cluster job-file tests (slurm-integration.mjs, kubernetes-jobs.mjs):
// a small check harness that writes the CI summary file, the test sweep, the CLI runner, the
// store comparison and the figure check.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (`npm run build` makes it). */
export const CLI = join(ROOT, 'packages/cli/dist/bin.js');

/**
 * Named checks with pass/fail counts, printed as they run and written as
 * `.reports/jest/<project>.json` (the format tools/scripts/summarize-tests.mjs adds up).
 */
export class Checks {
  /** @param {string} project name in the CI summary */
  constructor(project) {
    this.project = project;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    /** @type {string[]} */
    this.failures = [];
  }

  /**
   * Run one check; a thrown error fails it (with its message). Returns whether it passed.
   * @param {string} name
   * @param {() => unknown} fn
   */
  async check(name, fn) {
    try {
      await fn();
      this.passed++;
      console.log(`  ✓ ${name}`);
      return true;
    } catch (e) {
      this.failed++;
      const msg = e instanceof Error ? e.message : String(e);
      this.failures.push(`${name}: ${msg}`);
      console.log(`  ✗ ${name}\n      ${msg.split('\n').join('\n      ')}`);
      return false;
    }
  }

  /** Record checks that were not run, with the reason. @param {string[]} names @param {string} why */
  skip(names, why) {
    for (const n of names) console.log(`  - ${n} (skipped: ${why})`);
    this.skipped += names.length;
  }

  /** Write the summary file and print the closing line; returns the exit code. */
  finish(reportDir = join(ROOT, '.reports/jest')) {
    mkdirSync(reportDir, { recursive: true });
    const summary = {
      project: this.project,
      passed: this.passed,
      failed: this.failed,
      skipped: this.skipped,
      suites: 1,
      success: this.failed === 0,
    };
    writeFileSync(join(reportDir, `${this.project}.json`), JSON.stringify(summary, null, 2) + '\n');
    console.log(
      `${this.project}: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`,
    );
    return this.failed === 0 ? 0 : 1;
  }
}

/** Throw `message` unless `cond`. @param {unknown} cond @param {string} message */
export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Run a command; resolves with its exit code and output (never rejects on a non-zero exit).
 * @param {string} file
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string | undefined>, timeoutMs?: number }} [o]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function run(file, args, o = {}) {
  return new Promise((resolveRun) => {
    execFile(
      file,
      args,
      {
        cwd: o.cwd ?? ROOT,
        env: o.env ?? process.env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: o.timeoutMs ?? 300_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolveRun({ code, stdout: String(stdout), stderr: String(stderr || err?.message || '') });
      },
    );
  });
}

/** Run a command and throw with its output when it exits non-zero. */
export async function runOk(file, args, o = {}) {
  const r = await run(file, args, o);
  if (r.code !== 0)
    throw new Error(
      `${file} ${args.join(' ')} exited ${r.code}\n${(r.stderr + r.stdout).trim().slice(-2000)}`,
    );
  return r;
}

/**
 * Poll `ready` every 200 ms until it returns true. `limitMs` only guards against a hang (the
 * error names what never happened); nothing is asserted about how long it took.
 * @param {number} limitMs
 * @param {string} what
 * @param {() => Promise<boolean> | boolean} ready
 */
export async function waitFor(limitMs, what, ready) {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > end) throw new Error(`gave up after ${limitMs / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

/** Run the built CLI. @param {string[]} args */
export function cli(args, o = {}) {
  return runOk(process.execPath, [CLI, ...args], o);
}

/** Index of the run whose data file is the gate (shard 1 of 4, after runs 1 and 5). */
export const GATE_INDEX = 9;
/** The gate's data file name, relative to the spec. */
export const GATE_FILE = 'gate.json';

/**
 * The test sweep: 24 small regression runs (depth 2, 3 × scale 0.25, 0.5, 1 × data seed 1-4),
 * as a `list` so that exactly one run, {@link GATE_INDEX}, reads its data from a file instead
 * of the generator. The Slurm test makes that file a named pipe, so the shard holding that run
 * stores the runs before it and then waits, and cannot finish before it is killed.
 */
export function testSweepSpec() {
  /** @type {Record<string, unknown>[]} */
  const list = [];
  for (const depth of [2, 3])
    for (const scale of [0.25, 0.5, 1])
      for (const seed of [1, 2, 3, 4]) {
        const entry = { 'network.depth': depth, 'init.scale': scale };
        list.push(
          list.length === GATE_INDEX
            ? { ...entry, data: { file: GATE_FILE } }
            : { ...entry, 'data.seed': seed },
        );
      }
  return {
    name: 'cluster-check',
    description: 'Job-file test sweep: 24 small diagonal-network regressions.',
    base: {
      task: 'regression',
      loss: 'squared',
      data: { generator: 'gaussian-regression', n: 4, d: 6, seed: 1 },
      network: { kind: 'diagonal', depth: 2 },
      init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 0 },
      flow: { method: 'auto', until: { loss: 1e-8 } },
    },
    list,
  };
}

/** The gate run's data set: 4 samples in 6 dimensions, y = X β* with a sparse β*. */
export function gateData() {
  const X = [];
  const y = [];
  const beta = [1, 0, -0.5, 0, 0, 0.25];
  for (let i = 0; i < 4; i++) {
    const row = [];
    for (let j = 0; j < 6; j++) row.push(Math.round(100 * Math.sin(1 + 7 * i + 3 * j)) / 100);
    X.push(row);
    y.push(row.reduce((s, x, j) => s + x * beta[j], 0));
  }
  return { X, y };
}

/**
 * The records of a store (file or directory) through `sweep export --format jsonl`.
 * @param {string} store
 * @returns {Promise<Record<string, unknown>[]>}
 */
export async function exportRecords(store) {
  const { stdout } = await cli(['sweep', 'export', '--store', store, '--format', 'jsonl']);
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

const RESULT_FIELDS = ['index', 'config', 'overrides', 'status', 'summary', 'params', 'error'];

/**
 * Differences between a store's records and the reference's: ids missing or extra, ids stored
 * twice, and any result field that differs. Results are compared as the JSON text the store
 * keeps (JSON numbers round-trip every double exactly, so equal text is equal bits); only the
 * wall-clock timings are left out.
 * @param {Record<string, unknown>[]} actual
 * @param {Record<string, unknown>[]} expected
 */
export function compareRecords(actual, expected) {
  const problems = [];
  const ids = actual.map((r) => String(r.id));
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) problems.push(`stored more than once: ${[...new Set(dup)].join(', ')}`);
  const want = new Map(expected.map((r) => [String(r.id), r]));
  const have = new Map(actual.map((r) => [String(r.id), r]));
  const missing = [...want.keys()].filter((id) => !have.has(id));
  const extra = [...have.keys()].filter((id) => !want.has(id));
  if (missing.length) problems.push(`missing: ${missing.join(', ')}`);
  if (extra.length) problems.push(`not in the reference: ${extra.join(', ')}`);
  for (const [id, r] of have) {
    const e = want.get(id);
    if (e === undefined) continue;
    const diff = RESULT_FIELDS.filter((f) => JSON.stringify(r[f]) !== JSON.stringify(e[f]));
    if (diff.length) problems.push(`run ${id} differs in ${diff.join(', ')}`);
  }
  return problems;
}

/**
 * The data marks of a figure rendered by `sweep report` (Vega SVG): the shapes inside the
 * `role-mark` groups whose geometry is finite. An empty figure (no rows plotted, or x values
 * that are NaN) has none.
 * @param {string} svg
 * @returns {{ marks: number, nan: number }}
 */
export function figureDataMarks(svg) {
  let marks = 0;
  let nan = 0;
  const group = /<g class="mark-(?:symbol|line|area|rect|rule) role-mark\b[^"]*"[^>]*>/g;
  for (let m = group.exec(svg); m !== null; m = group.exec(svg)) {
    // the group's own shapes: up to the next group opening or closing
    const rest = svg.slice(m.index + m[0].length);
    const body = rest.slice(0, rest.search(/<g\b|<\/g>/));
    for (const shape of body.match(/<(?:path|rect|line)\b[^>]*>/g) ?? []) {
      const geometry = [
        /\bd="([^"]*)"/.exec(shape)?.[1],
        /\btransform="([^"]*)"/.exec(shape)?.[1],
      ].filter((g) => g !== undefined);
      if (geometry.length === 0 || /NaN|Infinity/.test(shape)) {
        nan++;
        continue;
      }
      if (geometry.some((g) => /[0-9]/.test(g))) marks++;
    }
  }
  return { marks, nan };
}

/**
 * Check a `sweep report` output directory: report.html and at least one figure, every figure
 * with data marks and none with NaN geometry. Throws naming the empty figures.
 * @param {string} dir
 */
export function checkReportFigures(dir) {
  assert(existsSync(join(dir, 'report.html')), `no report.html in ${dir}`);
  const figDir = join(dir, 'figures');
  const files = existsSync(figDir) ? readdirSync(figDir).filter((f) => f.endsWith('.svg')) : [];
  assert(files.length > 0, `no figures in ${figDir}`);
  const empty = [];
  for (const f of files.sort()) {
    const { marks, nan } = figureDataMarks(readFileSync(join(figDir, f), 'utf8'));
    if (marks === 0 || nan > 0) empty.push(`${f} (${marks} data marks, ${nan} with NaN geometry)`);
  }
  assert(empty.length === 0, `figures without plotted data: ${empty.join('; ')}`);
  return files;
}

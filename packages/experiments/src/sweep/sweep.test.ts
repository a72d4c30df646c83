import {
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { compareRun } from '../compare-run.js';
import { parseRunConfig } from '../run-config.js';
import {
  canonicalJson,
  claimsDirOf,
  listClaims,
  collectStores,
  expandSweep,
  mergeStores,
  parseShard,
  parseSweepSpec,
  renderSweepReport,
  runIdOf,
  runSweep,
  shardFromEnv,
  shardRuns,
  storeMetaFor,
  SweepStore,
  toCsv,
  toJsonLines,
} from './index.js';
import type { SweepSpec } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-sweep-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = {
  task: 'regression',
  loss: 'squared',
  data: { generator: 'gaussian-regression', n: 3, d: 5, seed: 1 },
  network: { kind: 'diagonal', depth: 2 },
  init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 1 },
  flow: { method: 'dopri5', rtol: 1e-6, atol: 1e-9, until: { loss: 1e-6 } },
};
const spec = (extra: Record<string, unknown> = {}): unknown => ({
  name: 'unit',
  base: BASE,
  ...extra,
});
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('sweep spec', () => {
  it('rejects unknown fields and bad grids with the JSON path and the fix', () => {
    expect(errorOf(() => parseSweepSpec(spec({ grdi: {} })))).toBe(
      "grdi: unknown field 'grdi'; remove it or check its spelling (valid: name, description, base, grid, list)",
    );
    expect(errorOf(() => parseSweepSpec(spec({ grid: { 'network.depth': 3 } })))).toBe(
      'grid["network.depth"]: each grid axis must be an array of values',
    );
    expect(errorOf(() => parseSweepSpec(spec({ grid: { 'init.scale': [] } })))).toBe(
      'grid["init.scale"]: each grid axis needs at least one value',
    );
    expect(errorOf(() => parseSweepSpec(spec({ grid: { 'network..depth': [1] } })))).toMatch(
      /^grid.*field paths are dotted config fields/,
    );
    expect(errorOf(() => parseSweepSpec({ name: 'x y', base: BASE }))).toBe(
      "name: name may only contain letters, digits, '.', '_', '-'",
    );
  });

  it('validates every run config and blames the override that broke it', () => {
    expect(errorOf(() => parseSweepSpec(spec({ grid: { 'init.scale': [0.5, -1] } })))).toBe(
      'grid["init.scale"]: init.scale: scale must be > 0 (in the run of grid point init.scale=-1)',
    );
    expect(errorOf(() => parseSweepSpec(spec({ list: [{}, { 'network.deph': 2 }] })))).toBe(
      'list[1]["network.deph"]: network.deph: unknown field \'deph\'; remove it or check its spelling (in the run of list[1])',
    );
    expect(
      errorOf(() =>
        parseSweepSpec({ name: 'u', base: { ...BASE, flow: { ...BASE.flow, rtoll: 1 } } }),
      ),
    ).toBe("base.flow.rtoll: unknown field 'rtoll'; remove it or check its spelling");
    expect(errorOf(() => parseSweepSpec({ name: 'u', base: { ...BASE, loss: 'logistic' } }))).toBe(
      "base.loss: regression needs loss 'squared', got 'logistic'",
    );
  });

  it('expands grid × list in a fixed order with ids that hash the resolved config', () => {
    const s = parseSweepSpec(
      spec({
        grid: { 'init.scale': [0.5, 1], 'data.seed': [1, 2, 3] },
        list: [{ 'network.depth': 2 }, { 'network.depth': 3 }],
      }),
    );
    const runs = expandSweep(s);
    expect(runs).toHaveLength(2 * 2 * 3);
    expect(runs.map((r) => r.index)).toEqual([...runs.keys()]);
    // last grid axis fastest, list entries outermost
    expect(runs.slice(0, 4).map((r) => r.overrides)).toEqual([
      { 'network.depth': 2, 'init.scale': 0.5, 'data.seed': 1 },
      { 'network.depth': 2, 'init.scale': 0.5, 'data.seed': 2 },
      { 'network.depth': 2, 'init.scale': 0.5, 'data.seed': 3 },
      { 'network.depth': 2, 'init.scale': 1, 'data.seed': 1 },
    ]);
    expect(runs[11]!.config.network).toEqual({ kind: 'diagonal', depth: 3 });
    for (const r of runs) expect(r.id).toBe(runIdOf(parseRunConfig(r.config)));
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
  });

  it('ids do not depend on key order or on spelling out defaults (invariance oracle)', () => {
    const reordered = Object.fromEntries(Object.entries(BASE).reverse());
    const withDefaults = { ...BASE, backend: 'cpu' };
    const [a] = expandSweep(parseSweepSpec({ name: 'a', base: BASE }));
    const [b] = expandSweep(parseSweepSpec({ name: 'b', base: reordered }));
    const [c] = expandSweep(parseSweepSpec({ name: 'c', base: withDefaults }));
    expect(b!.id).toBe(a!.id);
    expect(c!.id).toBe(a!.id);
    // two overrides that resolve to the same config are one run
    const dup = expandSweep(parseSweepSpec(spec({ list: [{ 'init.scale': 0.5 }, {}] })));
    expect(dup).toHaveLength(1);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe('shards', () => {
  it('the shards of a sweep partition it: disjoint, and together every run', () => {
    const runs = expandSweep(
      parseSweepSpec(spec({ grid: { 'init.scale': [0.5, 1, 2], 'data.seed': [1, 2, 3, 4, 5] } })),
    );
    for (const count of [1, 2, 4, 7, 20]) {
      const parts = Array.from({ length: count }, (_, index) => shardRuns(runs, { index, count }));
      const ids = parts.flat().map((r) => r.id);
      expect(ids.length).toBe(runs.length);
      expect(new Set(ids)).toEqual(new Set(runs.map((r) => r.id)));
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('reads --shard, SLURM arrays and Kubernetes Indexed Jobs, with clear errors', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(errorOf(() => parseShard('5/5'))).toMatch(/^--shard: shard index 5 is not below/);
    expect(errorOf(() => parseShard('1-4'))).toMatch(/^--shard: expected i\/N/);
    expect(shardFromEnv({})).toBeUndefined();
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({
      index: 3,
      count: 4,
    });
    expect(
      shardFromEnv({
        SLURM_ARRAY_TASK_ID: '4',
        SLURM_ARRAY_TASK_COUNT: '4',
        SLURM_ARRAY_TASK_MIN: '1',
      }),
    ).toEqual({ index: 3, count: 4 });
    expect(errorOf(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '1' }))).toMatch(
      /^SLURM_ARRAY_TASK_COUNT: SLURM_ARRAY_TASK_ID is set/,
    );
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2' }, 3)).toEqual({ index: 2, count: 3 });
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', JOB_COMPLETIONS: '3' })).toEqual({
      index: 2,
      count: 3,
    });
    expect(errorOf(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' }))).toMatch(/^--completions:/);
    expect(errorOf(() => shardFromEnv({ JOB_COMPLETION_INDEX: 'x' }, 2))).toMatch(
      /^JOB_COMPLETION_INDEX: must be a non-negative integer/,
    );
  });
});

describe('sweep store and runs (in this thread)', () => {
  const s = parseSweepSpec(
    spec({ grid: { 'init.scale': [0.5, 1], 'data.seed': [1, 2] } }),
  ) as SweepSpec;
  const storeDir = join(dir, 'store');

  it('stores each run once; a rerun skips them; results equal compareRun on the same config (independent path)', async () => {
    let stop = false;
    const first = await runSweep(s, {
      storeDir,
      baseDir: dir,
      workers: 0,
      shouldStop: () => stop,
      onProgress: (p) => (stop ||= p.last !== undefined), // stop once one run is stored
    });
    expect(first).toMatchObject({ total: 4, ran: 1, skipped: 0, interrupted: true });
    const second = await runSweep(s, { storeDir, baseDir: dir, workers: 0 });
    expect(second).toMatchObject({ total: 4, ran: 3, skipped: 1, failed: 0, interrupted: false });
    const third = await runSweep(s, { storeDir, baseDir: dir, workers: 0 });
    expect(third).toMatchObject({ ran: 0, skipped: 4 });
    const { records } = collectStores([second.storeFile]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    const backend = createCpuBackend();
    try {
      for (const r of records.slice(0, 2)) {
        const direct = await compareRun(r.config, backend);
        expect(r.summary!.beta).toEqual(direct.train.beta);
        expect(r.params).toEqual(direct.train.params);
        expect(r.summary!.distance).toBe(direct.distance);
        expect(r.summary!.loss).toBeLessThanOrEqual(1e-6);
      }
    } finally {
      await backend.close();
    }
  }, 60000);

  it('two handles on one shard store (a requeued job beside its first copy) keep each run once', () => {
    const file = join(storeDir, 'sweep.sqlite');
    const a = SweepStore.open(file);
    const b = SweepStore.open(file);
    try {
      const [rec] = a.all();
      const run = {
        id: rec!.id,
        index: rec!.index,
        config: rec!.config,
        overrides: rec!.overrides,
      };
      expect(b.put(run, rec!)).toBe(false);
      expect(a.counts()).toEqual({ done: 4, failed: 0 });
      expect(() => a.putAll([rec!])).toThrow(/run [0-9a-f]{16} is stored already/);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a store of another sweep in the same place', async () => {
    const other = parseSweepSpec(spec({ grid: { 'init.scale': [2] } }));
    await expect(runSweep(other, { storeDir, baseDir: dir, workers: 0 })).rejects.toThrow(
      /holds sweep 'unit' .* the spec changed since it was written; use a new --store directory/,
    );
  });

  it('refuses foreign, garbage, truncated and newer-schema files without changing them', () => {
    const good = join(storeDir, 'sweep.sqlite');
    const cases: [string, (f: string) => void, RegExp][] = [
      ['short', (f) => writeFileSync(f, 'SQLite'), /too short for SQLite/],
      ['text', (f) => writeFileSync(f, 'x'.repeat(200)), /not an SQLite database/],
      [
        'foreign',
        (f) => {
          const db = new Database(f);
          db.pragma('application_id = 42');
          db.exec('CREATE TABLE t (x)');
          db.close();
        },
        /application_id 0x0000002a, expected 0x49425357/,
      ],
      [
        'newer',
        (f) => {
          copyFileSync(good, f);
          const db = new Database(f);
          db.pragma('user_version = 2');
          db.close();
        },
        /schema v2 is not v1; upgrade implicit-bias to read it/,
      ],
    ];
    for (const [name, make, message] of cases) {
      const f = join(dir, `${name}.sqlite`);
      make(f);
      const before = readFileSync(f);
      expect(errorOf(() => SweepStore.open(f))).toMatch(message);
      expect(readFileSync(f).equals(before)).toBe(true);
      expect(existsSync(`${f}-wal`)).toBe(false);
    }
  });

  it('merge refuses other sweeps and an existing output, writing nothing; exports JSONL and CSV', () => {
    const runs = expandSweep(s);
    const otherSpec = parseSweepSpec(spec({ grid: { 'init.scale': [3] } }));
    const otherFile = join(dir, 'other.sqlite');
    SweepStore.create(
      otherFile,
      storeMetaFor(otherSpec, expandSweep(otherSpec), { index: 0, count: 1 }),
    ).close();
    const good = join(storeDir, 'sweep.sqlite');
    const out = join(dir, 'merged.sqlite');
    expect(errorOf(() => mergeStores([good, otherFile], out))).toMatch(
      /belongs to sweep 'unit' \([0-9a-f]{16}, 1 shards\) but sweep\.sqlite to 'unit'/,
    );
    expect(existsSync(out)).toBe(false);
    expect(mergeStores([good], out).shards).toEqual([0]);
    expect(errorOf(() => mergeStores([good], out))).toMatch(/exists already/);
    const { records } = collectStores([out]);
    expect(records).toHaveLength(runs.length);
    const lines = toJsonLines(records).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(runs.map((r) => r.id));
    // RFC 4180: a field with a comma, quote or newline is quoted, quotes doubled
    const failed = { ...records[0]!, status: 'failed' as const, summary: null, error: 'a, "b"\nc' };
    const csv = toCsv([failed]);
    expect(csv.split('\n')[1]).toBe(`${failed.id},0,failed,"a, ""b""`);
    expect(csv.split('\n')[0]).toBe(
      'id,index,status,error,init.scale,data.seed,flowStatus,stoppedBy,steps,time,loss,logLoss,margin,normalizedMargin,distance,totalMs',
    );
  });

  it('the report plots the judged metrics against the varied fields', async () => {
    const { meta, records } = collectStores([join(storeDir, 'sweep.sqlite')]);
    const r = await renderSweepReport(meta, records);
    expect(r.figures.map((f) => f.id)).toEqual([
      'distance-vs-init.scale',
      'loss-vs-init.scale',
      'distance-vs-data.seed',
      'loss-vs-data.seed',
    ]);
    // oracle: one point mark per distinct (x, series) pair, here 2 scales × 2 seeds; an empty
    // figure (Vega-Lite reading init.scale as a nested field) has none
    for (const f of r.figures)
      expect((f.svg.match(/aria-roledescription="point"/g) ?? []).length).toBe(4);
    expect(r.html).toContain('every run of the sweep is stored and finished without error');
    expect(r.rows).toHaveLength(4);
  }, 30000);
});

describe('claims: several runners on one store', () => {
  const s = parseSweepSpec(
    spec({ grid: { 'init.scale': [0.5, 1], 'data.seed': [1, 2, 3] } }),
  ) as SweepSpec;
  const runs = expandSweep(s);

  it('two runners started together on one new store compute every run exactly once', async () => {
    const storeDir = join(dir, 'claims-two');
    const computed: string[][] = [[], []];
    const [a, b] = await Promise.all(
      [0, 1].map((k) =>
        runSweep(s, {
          storeDir,
          baseDir: dir,
          workers: 0,
          onProgress: (p) => void (p.last && computed[k]!.push(p.last.id)),
        }),
      ),
    );
    // every result write is one `last` progress event of the runner that computed it
    const all = [...computed[0]!, ...computed[1]!];
    expect(all.sort()).toEqual(runs.map((r) => r.id).sort());
    expect(a!.ran + b!.ran).toBe(runs.length);
    const { records } = collectStores([a!.storeFile]);
    expect(records).toHaveLength(runs.length);
    expect(existsSync(claimsDirOf(a!.storeFile))).toBe(false); // every claim released
  }, 60000);

  it('respects a live claim, takes over a stale one, trusts other hosts; merge sees only results', async () => {
    const storeDir = join(dir, 'claims-stale');
    const file = join(storeDir, 'sweep.sqlite');
    const claims = claimsDirOf(file);
    mkdirSync(claims, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    const claim = (run: number, pid: number, host = hostname()): string => {
      const f = join(claims, `${runs[run]!.id}.claim`);
      writeFileSync(f, JSON.stringify({ pid, host, time: '2020-01-01T00:00:00Z', token: 'x' }));
      return f;
    };
    const live = claim(0, process.pid); // another runner of this (live) process
    const stale = claim(1, dead);
    const remote = claim(2, dead, 'another-host.example');
    expect(listClaims(file)).toHaveLength(3);
    const r = await runSweep(s, { storeDir, baseDir: dir, workers: 0 });
    expect(r.ran).toBe(runs.length - 2);
    expect(r.interrupted).toBe(false);
    expect(r.claimedElsewhere).toEqual([
      { id: runs[0]!.id, by: { pid: process.pid, host: hostname() } },
      { id: runs[2]!.id, by: { pid: dead, host: 'another-host.example' } },
    ]);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(remote)).toBe(true);
    expect(existsSync(stale)).toBe(false); // taken over, run, stored and released
    const stored = collectStores([file]).records.map((x) => x.id);
    expect(stored).toContain(runs[1]!.id);
    expect(stored).not.toContain(runs[0]!.id);
    // a merge reads results only: the claimed runs are not in it, and it carries no claims
    const out = join(dir, 'claims-merged.sqlite');
    mergeStores([file], out);
    expect(collectStores([out]).records).toHaveLength(runs.length - 2);
    expect(existsSync(claimsDirOf(out))).toBe(false);
  }, 60000);
});

/**
 * Acceptance tests of `implicit-bias sweep`, with real processes of the built CLI
 * (`dist/bin.js`; `nx run cli:test` builds first). Oracle throughout: the same sweep run once,
 * uninterrupted and unsharded — a run's results depend only on its config, so every other way
 * of running the sweep (killed and resumed, sharded and merged) must store identical records
 * (timings excepted, which are wall-clock measurements).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { collectStores, expandSweep, parseSweepSpec } from '@implicit-bias/experiments';
import type { SweepRecord } from '@implicit-bias/experiments';
import { withEnvBackend } from './commands/sweep-run.js';

const BIN = resolve(__dirname, '../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ib-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// depth-2 diagonal regression on tiny data: 8 runs of a few hundred milliseconds at most
const SPEC = {
  name: 'acceptance',
  base: {
    task: 'regression',
    loss: 'squared',
    data: { generator: 'gaussian-regression', n: 3, d: 6, seed: 1 },
    network: { kind: 'diagonal', depth: 2 },
    init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 1 },
    flow: { method: 'dopri5', rtol: 1e-6, atol: 1e-9, until: { loss: 1e-6 } },
  },
  grid: { 'init.scale': [0.5, 1], 'data.seed': [1, 2, 3, 4] },
};
const TOTAL = 8;
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify(SPEC, null, 2));

interface Proc {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI; `onStderr` may kill the child (it gets the text so far). */
function cli(
  args: readonly string[],
  opts: { env?: Record<string, string>; onStderr?: (text: string, kill: () => void) => void } = {},
): Promise<Proc> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? dir, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** A record without its wall-clock timings: what must be identical between runs. */
const result = (r: SweepRecord) => ({
  id: r.id,
  index: r.index,
  config: r.config,
  overrides: r.overrides,
  status: r.status,
  summary: r.summary,
  params: r.params,
  error: r.error,
});

/** Name, size, SHA-256 and mtime of every file under a directory. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        const hash = createHash('sha256').update(readFileSync(p)).digest('hex');
        out[p.slice(root.length)] = `${st.size} ${hash} ${st.mtimeMs}`;
      }
    }
  };
  walk(root);
  return out;
}

let reference: SweepRecord[] = [];

describe('implicit-bias sweep (real processes)', () => {
  // the reference sweep (2 worker threads) and the sweep to be killed (1 worker) run at once
  let ref: Proc;
  let killed: Proc;
  let killedAfter = -1;
  beforeAll(async () => {
    [ref, killed] = await Promise.all([
      cli(['sweep', 'run', '--spec', 'spec.json', '--store', 'ref', '--workers', '2']),
      // the sweep pauses after its second stored run (test seam) and is killed there: no race
      // between the kill and the sweep's end, whatever the machine's speed
      cli(['sweep', 'run', '--spec', 'spec.json', '--store', 'killed', '--workers', '1'], {
        env: { IMPLICIT_BIAS_PAUSE_AFTER_RUNS: '2' },
        onStderr: (text, kill) => {
          const m = /sweep: paused after (\d+) runs, waiting for a signal/.exec(text);
          if (killedAfter < 0 && m) {
            killedAfter = Number(m[1]);
            kill();
          }
        },
      }),
    ]);
  }, 60000);

  it('an uninterrupted sweep on the worker pool stores every run once, all converged', () => {
    expect(ref.stderr).toMatch(/8 runs stored \(8 now, 0 before, 0 failed\)/);
    expect(ref.code).toBe(0);
    reference = collectStores([join(dir, 'ref', 'sweep.sqlite')]).records;
    expect(reference).toHaveLength(TOTAL);
    expect(new Set(reference.map((r) => r.id)).size).toBe(TOTAL);
    for (const r of reference) {
      expect(r.status).toBe('done');
      expect(r.summary?.flowStatus).toBe('converged');
      expect(r.summary!.loss).toBeLessThanOrEqual(1e-6);
    }
  });

  it('SIGKILL mid-sweep, then a restart: every run exactly once, identical to the uninterrupted sweep', async () => {
    expect(killed.signal).toBe('SIGKILL');
    const file = join(dir, 'killed', 'sweep.sqlite');
    const partial = collectStores([file]).records;
    // killed while paused after exactly 2 stored runs (one worker: nothing else in flight)
    expect(killedAfter).toBe(2);
    expect(partial.length).toBe(2);

    const again = await cli(['sweep', 'run', '--spec', 'spec.json', '--store', 'killed']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${partial.length} stored already`);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: TOTAL, skipped: partial.length });
    // every run exactly once (the reference's ids are distinct), with identical results
    const records = collectStores([file]).records;
    expect(records.map((r) => r.id)).toEqual(reference.map((r) => r.id));
    expect(records.map(result)).toEqual(reference.map(result));
  }, 60000);

  it('leaves a run claimed by another live process to it, says so, and stores the rest', async () => {
    const [first] = expandSweep(parseSweepSpec(SPEC));
    const claims = join(dir, 'claimed', 'sweep.sqlite.claims');
    mkdirSync(claims, { recursive: true });
    // this test process is alive: its claim must be respected
    const claim = {
      pid: process.pid,
      host: hostname(),
      time: new Date().toISOString(),
      token: 't',
    };
    writeFileSync(join(claims, `${first!.id}.claim`), JSON.stringify(claim));
    const r = await cli([
      'sweep',
      'run',
      '--spec',
      'spec.json',
      '--store',
      'claimed',
      '--workers',
      '0',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ran: TOTAL - 1, claimedElsewhere: 1 });
    expect(r.stderr).toContain(
      `1 runs are being run by other processes on this store (pid ${process.pid} on ${hostname()})`,
    );
    const records = collectStores([join(dir, 'claimed', 'sweep.sqlite')]).records;
    expect(records.map((x) => x.id)).not.toContain(first!.id);
    expect(records.map(result)).toEqual(reference.filter((x) => x.id !== first!.id).map(result));
    expect(readdirSync(claims)).toEqual([`${first!.id}.claim`]);
  }, 60000);

  // shards 0 and 1 run in their main thread (--workers 0), shard 2 on a pool: the merged
  // records equal the pool-run reference, so thread and pool agree too
  it('shards 0..2 as separate processes (flag, SLURM, Kubernetes), merged, equal the unsharded sweep', async () => {
    const runs = await Promise.all([
      cli([
        'sweep',
        'run',
        '--spec',
        'spec.json',
        '--store',
        'shards',
        '--shard',
        '0/3',
        '--workers',
        '0',
      ]),
      cli(['sweep', 'run', '--spec', 'spec.json', '--store', 'shards', '--workers', '0'], {
        env: { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' },
      }),
      cli(
        [
          'sweep',
          'run',
          '--spec',
          'spec.json',
          '--store',
          'shards',
          '--workers',
          '1',
          '--completions',
          '3',
        ],
        {
          env: { JOB_COMPLETION_INDEX: '2' },
        },
      ),
    ]);
    for (const p of runs) expect(p.code).toBe(0);
    expect(runs.map((p) => (JSON.parse(p.stdout) as { total: number }).total)).toEqual([3, 3, 2]);
    const merge = await cli(['sweep', 'merge', 'shards', '--out', 'merged.sqlite']);
    expect(merge.code).toBe(0);
    expect(merge.stderr).toMatch(/3 stores → .*merged\.sqlite: 8\/8 runs \(0 failed\)/);
    const merged = collectStores([join(dir, 'merged.sqlite')]);
    expect(merged.meta.shards).toEqual([0, 1, 2]);
    expect(merged.records.map(result)).toEqual(reference.map(result));

    // read-only commands on the stores, at once
    const [status, csv, report] = await Promise.all([
      cli(['sweep', 'status', '--store', 'shards', '--json']),
      cli(['sweep', 'export', '--store', 'merged.sqlite', '--format', 'csv']),
      cli(['sweep', 'report', '--store', 'merged.sqlite', '--out', 'report']),
    ]);
    expect(status.code).toBe(0);
    const st = JSON.parse(status.stdout) as { shards: number[]; done: number }[];
    expect(st.map((s) => [s.shards, s.done])).toEqual([
      [[0], 3],
      [[1], 3],
      [[2], 2],
    ]);

    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id,index,status,error,init\.scale,data\.seed,/);
    expect(lines).toHaveLength(TOTAL + 1);
    // the CSV's scalar results are the reference's (JSON text of the same doubles)
    for (const [i, r] of reference.entries()) {
      const cells = lines[i + 1]!.split(',');
      expect(cells[0]).toBe(r.id);
      expect(Number(cells[10])).toBe(r.summary!.loss);
    }
    expect(report.code).toBe(0);
    const html = readFileSync(join(dir, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('holds:');
    for (const f of ['distance-vs-init.scale.svg', 'loss-vs-init.scale.svg'])
      expect(statSync(join(dir, 'report', 'figures', f)).size).toBeGreaterThan(1000);
  }, 90000);

  describe('clear errors that change nothing on disk', () => {
    // the fixtures are made and every refused command is started at once (they are independent)
    const cases: Record<string, { store: string; args: string[] }> = {};
    const before: Record<string, Record<string, string>> = {};
    const got: Record<string, Proc> = {};
    beforeAll(async () => {
      mkdirSync(join(dir, 'garbage'));
      writeFileSync(
        join(dir, 'garbage', 'sweep.sqlite'),
        'these are not the bytes of a database\n'.repeat(10),
      );
      mkdirSync(join(dir, 'foreign'));
      const db = new Database(join(dir, 'foreign', 'sweep.sqlite'));
      db.exec('CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES (1)');
      db.close();
      mkdirSync(join(dir, 'damaged'));
      const damaged = join(dir, 'damaged', 'sweep.sqlite');
      copyFileSync(join(dir, 'ref', 'sweep.sqlite'), damaged);
      const bytes = readFileSync(damaged);
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xa5, pageSize, pageSize + 64); // the b-tree header of page 2
      writeFileSync(damaged, bytes);
      mkdirSync(join(dir, 'overlap'));
      for (const i of [0, 1])
        copyFileSync(
          join(dir, 'shards', `shard-${i}-of-3.sqlite`),
          join(dir, 'overlap', `shard-${i}-of-3.sqlite`),
        );
      copyFileSync(
        join(dir, 'shards', 'shard-0-of-3.sqlite'),
        join(dir, 'overlap', 'copy-of-0.sqlite'),
      );
      mkdirSync(join(dir, 'specs'));
      writeFileSync(join(dir, 'specs', 'top.json'), JSON.stringify({ ...SPEC, grdi: SPEC.grid }));
      const run = (store: string, spec = 'spec.json') => [
        'sweep',
        'run',
        '--spec',
        spec,
        '--store',
        store,
      ];
      Object.assign(cases, {
        garbage: { store: 'garbage', args: run('garbage') },
        foreign: { store: 'foreign', args: run('foreign') },
        damaged: { store: 'damaged', args: run('damaged') },
        top: { store: 'specs', args: run('specs/out', 'specs/top.json') },
        overlap: {
          store: 'overlap',
          args: [
            'sweep',
            'merge',
            'overlap',
            'overlap/copy-of-0.sqlite',
            '--out',
            'overlap/out.sqlite',
          ],
        },
      });
      for (const [k, c] of Object.entries(cases)) before[k] = snapshot(join(dir, c.store));
      const procs = await Promise.all(Object.values(cases).map((c) => cli(c.args)));
      Object.keys(cases).forEach((k, i) => (got[k] = procs[i]!));
    }, 60000);

    const refused = (name: string, message: RegExp): void => {
      const p = got[name]!;
      expect(p.stderr).toMatch(message);
      expect(p.stderr.trim().split('\n')).toHaveLength(1);
      expect(p.code).toBe(2);
      expect(snapshot(join(dir, cases[name]!.store))).toEqual(before[name]);
    };

    it('a store file that is not SQLite (garbage) is refused', () => {
      refused(
        'garbage',
        /garbage\/sweep\.sqlite: not a sweep store \(not an SQLite database: corrupt or foreign file\)/,
      );
    });

    it('a foreign SQLite database (another application id) is refused', () => {
      const foreign =
        /not a sweep store \(an SQLite database with application_id 0x00000000, expected 0x49425357\)/;
      refused('foreign', foreign);
    });

    it('a sweep store damaged inside (a page overwritten) is refused', () => {
      refused('damaged', /damaged\/sweep\.sqlite: corrupt sweep store/);
    });

    it('a spec with an unknown field names its JSON path and creates no store', () => {
      refused('top', /^implicit-bias: grdi: unknown field 'grdi'; remove it or check its spelling/);
      expect(existsSync(join(dir, 'specs', 'out'))).toBe(false);
    });

    it('an overlapping merge (a shard given twice) is refused and writes nothing', () => {
      refused(
        'overlap',
        /overlapping stores: shard 0\/3 is in both .*shard-0-of-3\.sqlite and .*copy-of-0\.sqlite; give each shard once/,
      );
      expect(existsSync(join(dir, 'overlap', 'out.sqlite'))).toBe(false);
    });
  });
});

describe('a sweep names its backend in every run', () => {
  it('IMPLICIT_BIAS_BACKEND fills a spec without backend; an explicit one wins; default cpu', () => {
    const bare = { name: 's', base: { task: 'regression' }, grid: { 'data.seed': [1] } };
    const spec = bare as unknown as Parameters<typeof withEnvBackend>[0];
    expect(withEnvBackend(spec, { IMPLICIT_BIAS_BACKEND: 'wasm' }).base).toMatchObject({
      backend: 'wasm',
    });
    expect(withEnvBackend(spec, {})).toBe(spec);
    const own = { ...bare, base: { ...bare.base, backend: 'cpu' } } as unknown as typeof spec;
    expect(withEnvBackend(own, { IMPLICIT_BIAS_BACKEND: 'wasm' }).base).toMatchObject({
      backend: 'cpu',
    });
    expect(
      expandSweep(SPEC as unknown as typeof spec).every((r) => r.config.backend === 'cpu'),
    ).toBe(true);
  });
});

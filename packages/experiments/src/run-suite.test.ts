import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import type { ExperimentDefinition } from './experiment.js';
import { gridOf, PointInterruptedError } from './experiment.js';
import { PointStore } from './point-store.js';
import { runSuite } from './run-suite.js';

// The runner is tested with a definition whose metric is a closed form evaluated on the backend
// (‖x‖² of a known vector), so every stored number can be checked exactly.
let runs = 0;
const def: ExperimentDefinition = {
  id: 'norms',
  title: 'Squared norms',
  description: 'sum of squares of (a, a, ..., a) of length n is n·a².',
  grid: {
    quick: gridOf({ n: [1, 2, 3], a: [0.5, 2] }),
    full: gridOf({ n: [1, 2, 3, 4], a: [0.5, 2] }),
  },
  async run(p, { backend }) {
    runs++;
    const n = Number(p['n']);
    const a = Number(p['a']);
    if (n === 3 && a === 2) throw new Error('deliberate failure');
    const x = backend.fromHost(new Float64Array(n).fill(a), [n]);
    return { sq: backend.toHostSync(backend.sum(backend.square(x), 0))[0]! };
  },
  figures: [
    {
      id: 'sq',
      title: 'n·a²',
      caption: 'grows linearly in n',
      x: { field: 'n', title: 'n' },
      y: { field: 'sq', title: 'sum', log: true },
      series: 'a',
    },
  ],
  columns: [
    ['n', 'n'],
    ['a', 'a'],
    ['sq', 'Σx²'],
  ],
  checks: (pts) => [
    {
      claim: 'sum equals n·a²',
      passed: pts.every(
        (p) =>
          p.metrics['error'] !== undefined ||
          p.metrics['sq'] === Number(p.params['n']) * Number(p.params['a']) ** 2,
      ),
      detail: `${pts.length} points`,
    },
  ],
};

describe('runSuite', () => {
  const out = mkdtempSync(join(tmpdir(), 'ib-suite-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const backend = createCpuBackend();

  it('stops between points when asked and resumes without recomputing finished points', async () => {
    let calls = 0;
    const first = await runSuite([def], {
      mode: 'quick',
      outDir: out,
      backend,
      protocol: 'p',
      shouldStop: () => ++calls > 2,
    });
    expect(first.interrupted).toBe(true);
    expect(runs).toBe(2);
    const second = await runSuite([def], {
      mode: 'quick',
      outDir: out,
      backend,
      protocol: 'test protocol',
    });
    expect(second.interrupted).toBe(false);
    expect(second.reused).toBe(2);
    expect(runs).toBe(6);
    expect(second.failed).toBe(1);
  });

  it('writes results.json, figures and a report with the checks and the failed point', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const pts = results.experiments.norms as {
      params: { n: number; a: number };
      metrics: { sq?: number; error?: string };
    }[];
    expect(pts).toHaveLength(6);
    const p = pts.find((q) => q.params.n === 2 && q.params.a === 2)!;
    expect(p.metrics.sq).toBe(8);
    expect(pts.find((q) => q.params.n === 3 && q.params.a === 2)!.metrics.error).toBe(
      'deliberate failure',
    );
    expect(existsSync(join(out, 'figures/norms-sq.svg'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('test protocol');
    expect(html).toContain('<strong>holds:</strong> sum equals n·a²');
    expect(html).toContain('<svg');
  });

  it('writes every figure atomically (no temporary files left) and labels points with the backend', () => {
    expect(readdirSync(join(out, 'figures')).filter((f) => !f.endsWith('.svg'))).toEqual([]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results).toMatchObject({ backend: 'cpu', precision: 'float64' });
    for (const p of results.experiments.norms)
      expect(p).toMatchObject({ backend: 'cpu', precision: 'float64' });
  });

  it('recomputes every point on another backend or precision instead of relabelling them', async () => {
    const before = runs;
    const f32 = { ...backend, id: backend.id, precision: 'float32' as const };
    const r = await runSuite([def], { mode: 'quick', outDir: out, backend: f32, protocol: 'p' });
    expect(r.reused).toBe(0);
    expect(runs - before).toBe(6);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.precision).toBe('float32');
    // the float64 points are still there, under their own key
    expect(new PointStore(out, { backend: 'cpu', precision: 'float64' }).all('norms')).toHaveLength(
      6,
    );
  });

  it('running one experiment into a folder keeps the report sections of the others', async () => {
    const other: ExperimentDefinition = { ...def, id: 'norms-b', title: 'Other norms' };
    const third: ExperimentDefinition = { ...def, id: 'never-run', title: 'Never run' };
    await runSuite([other], { mode: 'quick', outDir: out, backend, protocol: 'p' });
    const r = await runSuite([def], {
      mode: 'quick',
      outDir: out,
      backend,
      protocol: 'p',
      reportWith: [other, def, third],
    });
    expect(r.kept).toEqual([{ id: 'norms-b', points: 6, of: 6 }]);
    expect(r.sections.map((s) => s.id)).toEqual(['norms-b', 'norms']);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(Object.keys(results.experiments)).toEqual(['norms-b', 'norms']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Other norms');
    expect(html).not.toContain('Never run');
  });

  it('a point stopped mid-way is dropped, the finished ones are kept, and the rerun finishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-suite-stop-'));
    try {
      let stopNow = false;
      let chunks = 0;
      const stored: string[] = [];
      // a point that works in chunks forever unless stopped: it cannot finish before the stop
      const endless: ExperimentDefinition = {
        ...def,
        id: 'endless',
        async run(p, ctx) {
          if (Number(p['n']) === 1) return { sq: Number(p['a']) ** 2 };
          for (;;) {
            await new Promise((r) => setImmediate(r));
            if (++chunks === 3) stopNow = true; // the "signal" arrives during the third chunk
            if (ctx.shouldStop?.()) throw new PointInterruptedError();
          }
        },
      };
      const r = await runSuite([endless], {
        mode: 'quick',
        outDir: dir,
        backend,
        protocol: 'p',
        shouldStop: () => stopNow,
        onProgress: (p) => stored.push(`${p.done}`),
      });
      expect(r).toMatchObject({ interrupted: true, points: 2, failed: 0 });
      const kept = new PointStore(dir, { backend: 'cpu', precision: 'float64' }).all('endless');
      expect(kept.map((p) => p.id)).toEqual(['a=0.5_n=1', 'a=2_n=1']);
      const again = await runSuite([{ ...endless, run: def.run }], {
        mode: 'quick',
        outDir: dir,
        backend,
        protocol: 'p',
      });
      expect(again).toMatchObject({ interrupted: false, points: 6, reused: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits in betweenPoints and checks the stop request after it, before the next point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-suite-pause-'));
    try {
      let stop = false;
      const seen: number[] = [];
      const r = await runSuite([def], {
        mode: 'quick',
        outDir: dir,
        backend,
        protocol: 'p',
        shouldStop: () => stop,
        betweenPoints: async (p) => {
          seen.push(p.done);
          if (p.done === 1) stop = true;
        },
      });
      expect(seen).toEqual([1]); // not before the first point: nothing happened yet
      expect(r).toMatchObject({ interrupted: true, points: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

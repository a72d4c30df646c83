import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import type { ExperimentDefinition } from './experiment.js';
import { gridOf } from './experiment.js';
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
});

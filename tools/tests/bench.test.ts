import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, run } from './helpers';

// tools/bench is plain ESM (.mjs) run by node; these tests drive its pure parts through a child
// node process and never assert a timing.
const node = process.execPath;

/** Evaluate an ESM snippet with the bench modules and return its JSON output. */
function evalModule<T>(code: string): T {
  const r = run(node, ['--input-type=module', '-e', code]);
  if (r.code !== 0) throw new Error(r.out);
  return JSON.parse(r.out) as T;
}

const lib = (name: string): string => JSON.stringify(join(ROOT, 'tools/bench/lib', name));

/** A results object shaped like run.mjs's, with hand-chosen numbers. */
function fixture(): Record<string, unknown> {
  const cell = (
    backend: string,
    n: number,
    d: number,
    medianUs: number,
    precision = 'float32',
  ) => ({
    backend,
    precision,
    arch: 'diagonal',
    L: 2,
    n,
    d,
    reps: 5,
    medianUs,
    q1Us: medianUs * 0.9,
    q3Us: medianUs * 1.1,
    iqrUs: medianUs * 0.2,
    opsPerSec: 1e6 / medianUs,
    peakMB: 1.5,
  });
  return {
    date: '2026-01-01T00:00:00.000Z',
    command: 'npm run bench',
    totalS: 12,
    machine: {
      cpu: 'Test CPU',
      cores: 2,
      memoryGiB: 8,
      platform: 'linux',
      arch: 'x64',
      node: 'v20',
    },
    settings: {
      quick: false,
      throughput: { warmup: 1, reps: 5, cellBudgetS: 1, minReps: 3, hidden: 16 },
      accuracy: {
        n: 100,
        d: 1000,
        sparsity: 5,
        seed: 1,
        tol: 1e-6,
        stepFactor: 1.9,
        rtol: 1e-9,
        gridFactor: 1.25,
        budgetS: 25,
      },
      classification: { rtol: 1e-10, budgetS: 30 },
      batched: { B: 64, steps: 50, L: 2, n: 100, d: 200 },
    },
    backends: [
      { id: 'cpu', available: true, precision: 'float64' },
      { id: 'tensorflow', available: false, reason: 'not installed' },
    ],
    peer: { available: true, python: '3.11', numpy: '2.4', blas: 'openblas' },
    throughput: [
      cell('cpu', 100, 200, 100, 'float64'),
      cell('tfjs-cpu', 100, 200, 400),
      cell('wasm', 100, 200, 250),
      cell('numpy', 100, 200, 50, 'float64'),
      cell('cpu', 1000, 1000, 3000, 'float64'),
      cell('wasm', 1000, 1000, 1000),
      cell('numpy', 1000, 1000, 1000, 'float64'),
      {
        backend: 'tfjs-cpu',
        precision: 'float32',
        arch: 'diagonal',
        L: 2,
        n: 1000,
        d: 1000,
        skipped: 'too slow for the 1 s budget',
      },
    ],
    accuracy: [
      {
        L: 3,
        alpha: 1e-3,
        n: 100,
        d: 1000,
        sparsity: 5,
        predStatus: 'converged',
        predMs: 50,
        lambdaMax: 100,
        step: 0.019,
        flowTime: 200,
        methods: [
          {
            method: 'reduced ODE (auto)',
            reached: true,
            wallS: 2,
            time: 200,
            error: 5e-7,
            fieldEvals: 900,
            jacobianEvals: 40,
            trace: [{ t: 200, wall: 2, err: 5e-7 }],
          },
          {
            method: 'gd (ours, cpu)',
            reached: false,
            wallS: 25,
            time: 50,
            error: 1e-2,
            fieldEvals: 2632,
            steps: 2632,
            status: 'budget (25 s)',
            lowerBoundS: 100,
            extrapolatedS: 1e6,
            stepNeeded: 1.9e-6,
            trace: [{ t: 50, wall: 25, err: 1e-2 }],
          },
          {
            method: 'dopri5 (ours, cpu)',
            reached: true,
            wallS: 20,
            time: 200,
            error: 9e-7,
            fieldEvals: 50000,
            trace: [{ t: 200, wall: 20, err: 9e-7 }],
          },
          {
            method: 'gd (NumPy peer)',
            reached: true,
            wallS: 10,
            time: 200,
            error: 9.9e-7,
            fieldEvals: 10527,
            steps: 10527,
            trace: [{ t: 200, wall: 10, err: 9.9e-7 }],
          },
        ],
      },
    ],
    classification: [
      {
        L: 2,
        method: 'dopri5',
        rows: [
          {
            target: 100,
            reached: true,
            wallS: 1,
            fieldEvals: 1214,
            jacobianEvals: 0,
            steps: 200,
            stepper: 'dopri5',
            status: 'reached',
          },
        ],
      },
    ],
    batched: [
      {
        backend: 'tfjs-cpu',
        precision: 'float32',
        B: 64,
        steps: 50,
        batchedS: 1,
        sequentialS: 3,
        speedup: 3,
        maxDiff: 0,
      },
      {
        backend: 'wasm',
        precision: 'float32',
        B: 64,
        steps: 50,
        batchedS: 1,
        sequentialS: 8,
        speedup: 8,
        maxDiff: 1e-7,
      },
    ],
    notes: ['a note'],
    analysis: ['an analysis line'],
  };
}

describe('bench report (tools/bench/lib/report.mjs, pure)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ib-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'results.json');
  writeFileSync(file, JSON.stringify(fixture()));

  it('evaluates every target from the numbers: ratios, met or not, and by how much a target is missed', () => {
    const targets = evalModule<
      { target: string; measured: string; met?: boolean; shortfall?: string }[]
    >(
      `import { readFileSync } from 'node:fs';
       import { evaluateTargets } from ${lib('report.mjs')};
       console.log(JSON.stringify(evaluateTargets(JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8')))));`,
    );
    const by = (re: RegExp) => targets.find((t) => re.test(t.target));
    // best tfjs at 100×200 is wasm (250 µs): 250/100 = 2.5× < 3× → missed by 1.2×
    expect(by(/3× best tfjs/)).toMatchObject({
      measured: '2.50× (vs wasm)',
      met: false,
      shortfall: '1.20× short',
    });
    // cpu 3000 µs vs best wasm 1000 µs: 3× slower, 1.5× beyond the 2× allowance
    expect(by(/within 2×/)).toMatchObject({ met: false, shortfall: '1.50× beyond the allowance' });
    expect(by(/≥ 1× NumPy.*100×200/)).toMatchObject({ measured: '0.50×', met: false });
    // issue #20: ≥ 1× NumPy at every size up to 1000×1000 (issue #9 asked 0.5× there)
    expect(by(/≥ 1× NumPy.*1000×1000/)).toMatchObject({ measured: '0.33×', met: false });
    expect(by(/≥ 0.5× NumPy/)).toBeUndefined();
    // the reduced ODE (2 s) against gd that did not finish: judged against gd's lower bound (100 s)
    expect(by(/reduced ODE.*gd \(ours/)).toMatchObject({ met: true });
    expect(by(/reduced ODE.*gd \(ours/)!.measured).toMatch(/^50\.0×/);
    // dopri5 (20 s) against NumPy gd that reached it (10 s): 0.5×, 100× short of 50×
    expect(by(/dopri5.*NumPy/)).toMatchObject({
      measured: expect.stringMatching(/^0\.50×/),
      met: false,
      shortfall: '100.0× short',
    });
    expect(by(/batched.*tfjs-cpu/)).toMatchObject({ measured: '3.00×', met: false });
    expect(by(/batched.*wasm/)).toMatchObject({ measured: '8.00×', met: true });
  });

  it('renders the markdown: machine, skipped backends and cells with reasons, extrapolations marked, plots linked', () => {
    const md = evalModule<string>(
      `import { readFileSync } from 'node:fs';
       import { renderMarkdown } from ${lib('report.mjs')};
       const r = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
       console.log(JSON.stringify(renderMarkdown(r, ['throughput-diagonal.svg', 'accuracy-L3-alpha1e-3.svg'])));`,
    );
    expect(md).toContain('Test CPU ×2, linux x64, node v20');
    expect(md).toContain('tensorflow: skipped — not installed');
    expect(md).toContain('tfjs-cpu diagonal L=2 1000×1000: too slow for the 1 s budget');
    expect(md).toContain('side by side in one run');
    // cpu cell with its ratio to NumPy (50/100 = 0.5) and peak memory
    expect(md).toMatch(/100 µs ±10\.0 µs · 10\.0k\/s · 0\.50× np · 1\.5 MB/);
    // gd that did not reach the tolerance: extrapolated wall time marked ², reason and lower bound
    expect(md).toMatch(/\| gd \(ours, cpu\) +\| no +\| ≈ 1000000\.00 s² /);
    expect(md).toContain('≥ 100.00 s just to reach t = 200 at this h');
    expect(md).toContain('![throughput-diagonal.svg](benchmarks/throughput-diagonal.svg)');
    expect(md).toContain('- an analysis line');
    expect(md).toMatch(/\| wasm \(float32\) +\| 64 +\| 50 +\| 1\.00 s +\| 8\.00 s +\| 8\.00× /);
  });

  it('builds one throughput figure per architecture and one error-vs-time figure per problem', () => {
    const figs = evalModule<{ file: string; rows: Record<string, unknown>[] }[]>(
      `import { readFileSync } from 'node:fs';
       import { figures } from ${lib('report.mjs')};
       console.log(JSON.stringify(figures(JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8')))));`,
    );
    expect(figs.map((f) => f.file)).toEqual([
      'throughput-diagonal.svg',
      'accuracy-L3-alpha1e-3.svg',
    ]);
    // the skipped cell has no rate and is left out of the plot
    expect(figs[0]!.rows).toHaveLength(7);
    expect(figs[1]!.rows).toHaveLength(4);
  });
});

describe('gd estimates (tools/bench/lib/estimates.mjs, pure)', () => {
  it('detects the plateau of gd and scales the step by tol/plateau (error ∝ h)', () => {
    const out = evalModule<{
      plateau?: number;
      none?: number | null;
      early?: number | null;
      m: Record<string, number | string>;
    }>(
      `import { gdEstimate, plateauOf } from ${lib('estimates.mjs')};
       const flat = { reached: false, trace: [1, 2, 4, 8, 16].map((t) => ({ t, err: t < 4 ? 1 / t : 0.1 })) };
       const falling = { reached: false, trace: [1, 2, 4, 8, 16].map((t) => ({ t, err: 1 / t })) };
       const m = { reached: false, wallS: 10, steps: 1000, status: 'budget' };
       gdEstimate(m, 50, 0.01, 1e-6, plateauOf(flat, 10));
       console.log(JSON.stringify({
         plateau: plateauOf(flat, 10),
         none: plateauOf(falling, 10) ?? null,
         // before the exact flow is within tolerance a flat error is the flow's own plateau
         early: plateauOf(flat, 100) ?? null,
         m,
       }));`,
    );
    expect(out.plateau).toBe(0.1);
    expect(out.none).toBeNull();
    expect(out.early).toBeNull();
    // 10 ms per step; flow time 50 at h = 0.01 is 5000 steps = 50 s; h·tol/plateau = 1e-7
    expect(out.m['lowerBoundS']).toBeCloseTo(50, 10);
    expect(out.m['stepNeeded']).toBeCloseTo(1e-7, 20);
    expect(out.m['extrapolatedS']).toBeCloseTo(5e6, 3);
    expect(String(out.m['status'])).toMatch(/stalls at error 1\.00e-1/);
  });
});

describe('npm run bench --quick (reduced solver wiring, needs the build)', () => {
  it('the reduced ODE, dopri5 and gd all run; the reduced ODE and dopri5 reach 1e-6 of argmin Q (oracle: theory dual Newton)', () => {
    if (!existsSync(join(ROOT, 'packages/experiments/dist/index.js'))) {
      throw new Error('packages are not built: run `npm run build` before the tools tests');
    }
    const dir = mkdtempSync(join(tmpdir(), 'ib-bench-quick-'));
    const json = join(dir, 'r.json');
    const r = run(node, [
      join(ROOT, 'tools/bench/run.mjs'),
      '--quick',
      '--sections',
      'accuracy',
      '--backends',
      'cpu',
      '--no-peer',
      '--out',
      join(dir, 'b.md'),
      '--json',
      json,
    ]);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(json, 'utf8')) as {
      accuracy: {
        predStatus: string;
        flowTime?: number;
        methods: { method: string; reached: boolean; error: number; time: number }[];
      }[];
    };
    const p = res.accuracy[0]!;
    expect(p.predStatus).toBe('converged');
    const reduced = p.methods.find((m) => m.method.startsWith('reduced'))!;
    const dopri = p.methods.find((m) => m.method.startsWith('dopri5'))!;
    expect(reduced.reached).toBe(true);
    expect(reduced.error).toBeLessThanOrEqual(1e-6);
    // the full network integrated independently reaches the same tolerance at the same flow time
    // T_c up to the check grids: each reports the first grid time ≥ T_c (factors 1.5 and 1.25)
    expect(dopri.reached).toBe(true);
    expect(dopri.time / reduced.time).toBeGreaterThanOrEqual(1 / 1.25);
    expect(dopri.time / reduced.time).toBeLessThanOrEqual(1.5);
    const md = readFileSync(join(dir, 'b.md'), 'utf8');
    expect(md).toContain('NumPy peer: skipped — disabled with --no-peer');
    expect(md).toContain('quick smoke-test mode');
    rmSync(dir, { recursive: true, force: true });
  });
});

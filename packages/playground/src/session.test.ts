import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError } from '@implicit-bias/core';
import { solveFlow } from '@implicit-bias/flow';
import { predictRegressionQ } from '@implicit-bias/theory';
import { describeEachBackend } from '@implicit-bias/testing';
import { readPastedData } from './pasted-data.js';
import { distanceTolerance, flowSettings, prepareRun, runPlayground } from './session.js';
import type { PlaygroundSettings, RunFrame } from './session.js';

/**
 * A deterministic milliseconds clock: every reading advances it by 1, so a chunk of `chunkMs`
 * ends after a fixed number of flow steps whatever the machine's speed (tests never depend on
 * timing).
 */
// (Every `advance` chunk takes at least one flow iteration, so any chunk length makes progress.)
function tickingClock(): () => number {
  let now = 0;
  return () => ++now;
}

const regression: PlaygroundSettings = {
  network: 'diagonal',
  depth: 2,
  alpha: 1,
  task: 'regression',
  data: { source: 'generated', n: 3, d: 6, seed: 0 },
};

describe('playground runs', () => {
  it('the diagonal-regression prediction is argmin Q of the generated data (theory, S = I)', async () => {
    const run = await prepareRun(regression);
    const q = predictRegressionQ({ A: run.dataset.X, y: run.dataset.y, L: 2, alpha: 1 });
    expect('notSupported' in run.prediction).toBe(false);
    if (!('notSupported' in run.prediction)) {
      expect(Array.from(run.prediction.beta)).toEqual(Array.from(q.rho));
      expect(run.prediction.exact).toBe(true);
    }
  });

  it('says which predictions are exact limits (docs/theory/README.md: odeco regression, max margin)', async () => {
    const exact = async (s: Partial<PlaygroundSettings>): Promise<boolean | string> => {
      const p = (await prepareRun({ ...regression, ...s })).prediction;
      return 'notSupported' in p ? p.notSupported : p.exact;
    };
    const cls = {
      task: 'classification',
      data: { source: 'generated', n: 4, d: 5, seed: 1 },
    } as const;
    expect(await exact({ network: 'diagonal' })).toBe(true);
    // min-ℓ2 is only the α → 0 reference point from Gaussian layers
    expect(await exact({ network: 'fully-connected' })).toBe(false);
    // the complex analogue of argmin Q is approximate (docs/theory/q-potential.md)
    expect(await exact({ network: 'convolutional' })).toBe(false);
    expect(await exact({ network: 'fully-connected', ...cls })).toBe(true);
    expect(await exact({ network: 'diagonal', ...cls })).toBe(true);
  });

  it('running in chunks follows the uninterrupted solve bit for bit (resume invariant, cpu)', async () => {
    const run = await prepareRun(regression);
    const be = createCpuBackend();
    const frames: RunFrame[] = [];
    const chunked = await runPlayground(run, be, {
      chunkMs: 8,
      clock: tickingClock(),
      onFrame: (f) => frames.push(f),
    });
    const whole = await solveFlow(
      {
        network: run.network,
        X: run.dataset.X,
        y: run.dataset.y,
        loss: run.loss,
        init: [run.init],
        backend: be,
      },
      flowSettings(run, be.precision),
    );
    // the ticking clock cuts the run every few steps, on any machine: the flow reads the clock
    // at least once per step, so a chunk of 8 ms on it holds at most 8 steps
    expect(frames.length).toBeGreaterThan(10);
    const stepsPerChunk = frames.map((f, i) => f.steps - (i === 0 ? 0 : frames[i - 1]!.steps));
    expect(Math.max(...stepsPerChunk)).toBeLessThanOrEqual(8);
    expect(frames.slice(0, -1).every((f) => !f.done && f.status === 'running')).toBe(true);
    expect(frames.map((f) => f.time)).toEqual([...frames.map((f) => f.time)].sort((a, b) => a - b));
    // the plotted trajectory starts at t = 0, increases strictly and ends at the final state
    const pts = frames.flatMap((f) => f.points);
    expect(pts[0]!.time).toBe(0);
    expect(pts.every((q, i) => i === 0 || q.time > pts[i - 1]!.time)).toBe(true);
    expect(pts[pts.length - 1]!.time).toBe(chunked.time);
    expect(pts[pts.length - 1]!.distance).toBe(chunked.distance);
    expect(chunked.done).toBe(true);
    expect(Array.from(chunked.beta)).toEqual(Array.from(whole.runs[0]!.beta));
    expect(chunked.steps).toBe(whole.runs[0]!.steps);
  }, 60_000);

  it('shouldStop ends a run early with status stopped', async () => {
    const run = await prepareRun(regression);
    const last = await runPlayground(run, createCpuBackend(), {
      chunkMs: 4,
      clock: tickingClock(),
      shouldStop: () => true,
    });
    // the first chunk ends after a step or two on the ticking clock, long before convergence
    expect([last.done, last.status, last.steps > 0]).toEqual([true, 'stopped', true]);
  });

  it('a classification run moves towards the max-margin direction (Theorem: 1 − cos falls), in one chunk or many', async () => {
    const run = await prepareRun({
      network: 'diagonal',
      depth: 2,
      alpha: 0.5,
      task: 'classification',
      data: { source: 'generated', n: 4, d: 5, seed: 1 },
    });
    const runIn = async (chunkMs: number): Promise<RunFrame[]> => {
      const frames: RunFrame[] = [];
      await runPlayground(run, createCpuBackend(), {
        chunkMs,
        clock: tickingClock(),
        onFrame: (f) => frames.push(f),
      });
      return frames;
    };
    // one chunk (what a fast machine does with the default 100 ms) and many small ones
    for (const frames of [await runIn(1e9), await runIn(16)]) {
      const last = frames[frames.length - 1]!;
      expect(last.status).toBe('converged');
      // the distance at t = 0 (the first plotted point), not the first frame's end
      const start = frames[0]!.points[0]!;
      expect(start.time).toBe(0);
      expect(last.distance!).toBeLessThan(start.distance!);
      expect(last.normalizedMargin).toBeGreaterThan(0);
    }
  }, 60_000);

  it('bad settings throw INVALID_CONFIG naming the field', async () => {
    const cases: [Partial<PlaygroundSettings>, string][] = [
      [{ alpha: 0 }, 'alpha'],
      [{ depth: 0 }, 'depth'],
      [{ data: { source: 'generated', n: 3, d: 1000, seed: 0 } }, 'data.d'],
    ];
    for (const [patch, path] of cases) {
      const err = await prepareRun({ ...regression, ...patch }).catch((e: unknown) => e);
      expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
      expect((err as { path?: string }).path).toBe(path);
    }
    const pasted = readPastedData('1,2,1\n3,4,-1\n', 'classification');
    if (!pasted.ok) throw new Error(pasted.message);
    const err = await prepareRun({
      ...regression,
      data: { source: 'pasted', dataset: pasted.dataset },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/read for classification, but the task is regression/);
  });
});

// Oracle: argmin Q_{L,α} (docs/theory/q-potential.md, exact for diagonal networks). Tolerance: the
// backend's rounding over ~1000 operations, at least the float64 integrator's 1e-6.
describeEachBackend('playground regression on every backend', ({ backend }) => {
  it('a depth-2 diagonal regression ends within distanceTolerance of argmin Q', async () => {
    const run = await prepareRun(regression);
    const last = await runPlayground(run, backend());
    expect(last.status).toBe('converged');
    expect(last.distance!).toBeLessThanOrEqual(distanceTolerance(backend().precision));
  }, 60_000);
});

import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { relativeDistance } from '@implicit-bias/core';
import { parseRunConfig } from './run-config.js';
import { buildNetwork, initialParams, loadRunData } from './resolve.js';
import { stringifyJson } from './json-text.js';
import { DEFAULT_MAX_STEPS } from './run-config.js';
import type { RunConfig } from './run-config.js';
import { defaultUntil, flowOptions, runTraining, trainRun } from './train.js';

async function setUp(c: RunConfig) {
  const data = await loadRunData(c, '.');
  const net = buildNetwork(c, data.X.cols);
  return { data, net, init: initialParams(c, net) };
}

/** A deterministic clock: one tick per call, so chunks are cut by the solver's own progress. */
function tickClock(): () => number {
  let n = 0;
  return () => ++n;
}

const cfg = parseRunConfig({
  task: 'regression',
  data: { generator: 'gaussian-regression', seed: 3, n: 3, d: 6 },
  network: { kind: 'diagonal', depth: 1 },
  init: { scheme: 'gaussian', scale: 0.1, seed: 1 },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-11, atol: 1e-14, until: { loss: 1e-20 } },
});

describe('trainRun', () => {
  it('depth-1 squared loss converges to the interpolant closest to the init (closed form: β0 + Xᵀ(XXᵀ)⁻¹(y − Xβ0))', async () => {
    const data = await loadRunData(cfg, '.');
    const net = buildNetwork(cfg, data.X.cols);
    const init = initialParams(cfg, net);
    const r = (await trainRun(cfg, net, data, init, { backend: createCpuBackend() }))!;
    expect(r.status).toBe('converged');
    // closed form: gradient flow on a linear model moves β only within the row space of X
    const { rows: n, cols: d, data: X } = data.X;
    const b0 = init[0]!;
    const res = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * b0[j]!;
      res[i] = data.y[i]! - s;
    }
    const G = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += X[i * d + j]! * X[k * d + j]!;
        G[i * n + k] = s;
      }
    // solve G λ = res by Gaussian elimination (n = 3)
    const A = Array.from({ length: n }, (_, i) => [...G.slice(i * n, i * n + n), res[i]!]);
    for (let c = 0; c < n; c++) {
      for (let r2 = c + 1; r2 < n; r2++) {
        const f = A[r2]![c]! / A[c]![c]!;
        for (let k = c; k <= n; k++) A[r2]![k]! -= f * A[c]![k]!;
      }
    }
    const lam = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = A[i]![n]!;
      for (let k = i + 1; k < n; k++) s -= A[i]![k]! * lam[k]!;
      lam[i] = s / A[i]![i]!;
    }
    const expected = Float64Array.from(b0, (v, j) => {
      let s = v;
      for (let i = 0; i < n; i++) s += X[i * d + j]! * lam[i]!;
      return s;
    });
    expect(relativeDistance(r.beta, expected)).toBeLessThan(1e-9);
  });

  it('an interrupted run resumes from its checkpoint on the identical trajectory (bit-for-bit on cpu)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-train-'));
    const data = await loadRunData(cfg, '.');
    const net = buildNetwork(cfg, data.X.cols);
    const init = initialParams(cfg, net);
    const backend = createCpuBackend();
    const whole = (await trainRun(cfg, net, data, init, { backend }))!;
    const file = join(dir, 'ck.json');
    let chunks = 0;
    const stopped = await trainRun(cfg, net, data, init, {
      backend,
      checkpointFile: file,
      chunkMs: 1,
      shouldStop: () => ++chunks >= 2,
    });
    expect(stopped).toBeUndefined();
    expect(existsSync(file)).toBe(true);
    const resumed = (await trainRun(cfg, net, data, init, {
      backend,
      checkpointFile: file,
      chunkMs: 20,
    }))!;
    expect(resumed.beta).toEqual(whole.beta);
    expect(resumed.time).toBe(whole.time);
    expect(resumed.steps).toBe(whole.steps);
    expect(resumed.loss).toBe(whole.loss);
    expect(existsSync(file)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the result JSON is byte-identical whatever the chunking: one chunk, ~1-step chunks, and interrupted + resumed (history accumulated across chunks)', async () => {
    const { data, net, init } = await setUp(cfg);
    const backend = createCpuBackend();
    const whole = (await trainRun(cfg, net, data, init, { backend }))!;
    let chunks = 0;
    const tiny = (await trainRun(cfg, net, data, init, {
      backend,
      chunkMs: 1,
      clock: tickClock(),
      onProgress: () => void chunks++,
    }))!;
    // the oracle is the uncut run: many chunks must give the very same bytes
    expect(chunks).toBeGreaterThan(20);
    expect(whole.history.time.length).toBeGreaterThan(5);
    expect(stringifyJson(tiny)).toBe(stringifyJson(whole));
    const dir = mkdtempSync(join(tmpdir(), 'ib-train-'));
    const file = join(dir, 'ck.json');
    let n = 0;
    const first = await runTraining(cfg, net, data, init, {
      backend,
      checkpointFile: file,
      chunkMs: 3,
      clock: tickClock(),
      shouldStop: () => ++n >= 7,
    });
    expect(first.kind).toBe('interrupted');
    const resumed = (await trainRun(cfg, net, data, init, {
      backend,
      checkpointFile: file,
      chunkMs: 5,
      clock: tickClock(),
    }))!;
    expect(stringifyJson(resumed)).toBe(stringifyJson(whole));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the step cap is flow.maxSteps: a run that reaches it is max-steps (not converged) and the message names the config field', async () => {
    const capped = parseRunConfig({
      ...cfg,
      flow: { method: 'gd', stepSize: 1e-6, until: { loss: 1e-20 }, maxSteps: 40 },
    });
    const { data, net, init } = await setUp(capped);
    const r = (await trainRun(capped, net, data, init, { backend: createCpuBackend() }))!;
    expect(r.status).toBe('max-steps');
    expect(r.stoppedBy).toBe('maxSteps');
    expect(r.steps).toBe(40);
    expect(r.message).toMatch(/flow\.maxSteps in the run config \(now 40\)/);
  });

  it('no step cap is injected into the stop conditions: it is the flow option maxSteps (default in one place)', () => {
    expect(defaultUntil(cfg)).toEqual({ loss: 1e-20 });
    expect(flowOptions(cfg).maxSteps).toBe(DEFAULT_MAX_STEPS);
    const set = parseRunConfig({ ...cfg, flow: { ...cfg.flow, maxSteps: 123 } });
    expect(flowOptions(set).maxSteps).toBe(123);
    expect(flowOptions(set).until).toEqual({ loss: 1e-20 });
  });

  it('a finished run stays in its checkpoint until removed: a second call returns it without training', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-train-'));
    const file = join(dir, 'ck.json');
    const { data, net, init } = await setUp(cfg);
    const backend = createCpuBackend();
    const a = await runTraining(cfg, net, data, init, { backend, checkpointFile: file });
    expect(a.kind).toBe('finished');
    expect(readFileSync(file, 'utf8')).toMatch(/"state":"finished"/);
    const seen: boolean[] = [];
    const b = await runTraining(cfg, net, data, init, {
      backend,
      checkpointFile: file,
      onResume: (i) => seen.push(i.finished),
      onProgress: () => {
        throw new Error('trained again');
      },
    });
    expect(seen).toEqual([true]);
    expect(b).toEqual(a);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('tolerances of a run config default by the backend precision', () => {
  const base = {
    task: 'regression',
    data: { generator: 'gaussian-regression', seed: 1, n: 3, d: 6 },
    network: { kind: 'diagonal', depth: 2 },
    init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 0 },
    loss: 'squared',
    flow: { method: 'auto', until: { loss: 1e-16 } },
  };
  it('unset: 1e-10/1e-12 on float64 and 1e-5/1e-8 on float32 (limitTolerances); given: kept', () => {
    const cfg = parseRunConfig(base);
    expect(flowOptions(cfg, 'float64')).toMatchObject({ rtol: 1e-10, atol: 1e-12 });
    expect(flowOptions(cfg, 'float32')).toMatchObject({ rtol: 1e-5, atol: 1e-8 });
    const given = parseRunConfig({ ...base, flow: { ...base.flow, rtol: 1e-7, atol: 1e-9 } });
    expect(flowOptions(given, 'float32')).toMatchObject({ rtol: 1e-7, atol: 1e-9 });
  });
});

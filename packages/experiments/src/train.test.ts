import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { relativeDistance } from '@implicit-bias/core';
import { parseRunConfig } from './run-config.js';
import { buildNetwork, initialParams, loadRunData } from './resolve.js';
import { trainRun } from './train.js';

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
});

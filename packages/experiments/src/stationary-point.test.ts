import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { certifyKkt } from '@implicit-bias/theory';
import { compareRun } from './compare-run.js';
import { describeStationary } from './report.js';
import { SAME_POINT_TOLERANCE } from './stationary-point.js';

/** The suite's RQ2 classification config (suite/classification.ts, seed 0) for a network. */
const config = (network: Record<string, unknown>, seed = 0) => ({
  task: 'classification',
  data: {
    generator: 'separable-classification',
    n: 10,
    d: 6,
    seed,
    separator: 'dense',
    margin: 0.05,
  },
  network,
  init: { scheme: 'gaussian', scale: 0.1, seed },
  loss: 'exponential',
  flow: {
    method: 'auto',
    rtol: 1e-10,
    atol: 1e-12,
    time: 'loss-normalized',
    until: { margin: 1e4 },
  },
});

describe('compare for L ≥ 3 classification: the flow’s own stationary point (issue #22)', () => {
  it('diagonal L = 3 (the suite’s case): ≤ 1e−5 from the flow’s certified KKT point at margin 1e4, which is the closed-form 2-sparse vertex and not the predictor’s point', async () => {
    const c = await compareRun(config({ kind: 'diagonal', depth: 3 }), createCpuBackend());
    expect(c.train.status).toBe('converged');
    const s = c.stationary!;
    expect(s.distance).toBeLessThanOrEqual(1e-5);
    expect(s.certificate.certified).toBe(true);
    // independent check: the support {1, 4} and active samples {3, 8} give a 2×2 vertex system
    // y_i x_i,S β_S = 1, solved here by Cramer's rule, feasible for every other sample
    expect(s.support).toEqual([1, 4]);
    expect(s.activeSet).toEqual([3, 8]);
    const X = c.data.X;
    const y = c.data.y;
    const a = (i: number, j: number) => y[i]! * X.data[i * X.cols + j]!;
    const det = a(3, 1) * a(8, 4) - a(3, 4) * a(8, 1);
    const closed = [0, (a(8, 4) - a(3, 4)) / det, 0, 0, (a(3, 1) - a(8, 1)) / det, 0];
    s.beta.forEach((v, j) => expect(Math.abs(v - closed[j]!)).toBeLessThan(1e-13 * 3));
    expect(certifyKkt({ Z: X, y, rho: closed, L: 3 }).certified).toBe(true);
    // the predictor (reweighted ℓ1 with large initial smoothing) lands on another KKT point
    expect(s.predictionDistance).toBe(c.distance);
    expect(s.predictionCertificate!.certified).toBe(true);
    expect(s.samePoint).toBe(false);
    expect(s.pointDistance!).toBeGreaterThan(SAME_POINT_TOLERANCE);
    expect(c.distance!).toBeGreaterThan(1e-4);
    const text = describeStationary(s).join('\n');
    expect(text).toMatch(/certified KKT point/);
    expect(text).toMatch(/different KKT points/);
  }, 60000);

  it('convolutional L = 3 (seed 2): the flow’s stationary point is certified and ≤ 1e−5 away while the predictor’s is 2e−2 away', async () => {
    const c = await compareRun(config({ kind: 'convolutional', depth: 3 }, 2), createCpuBackend());
    const s = c.stationary!;
    expect(s.kind).toBe('local-stationary-point-fourier');
    expect(s.certificate.certified).toBe(true);
    expect(s.distance).toBeLessThanOrEqual(1e-5);
    expect(s.predictionCertificate!.certified).toBe(true);
    expect(s.samePoint).toBe(false);
    expect(s.predictionDistance!).toBeGreaterThan(1e-2);
  }, 60000);

  it('L = 2 (convex: the KKT point is unique) reports no stationary comparison', async () => {
    const c = await compareRun(config({ kind: 'diagonal', depth: 2 }), createCpuBackend());
    expect(c.stationary).toBeNull();
  }, 60000);
});

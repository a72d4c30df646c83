import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { compareRun, TrainingInterrupted } from './compare-run.js';

const json = {
  task: 'regression',
  data: { generator: 'gaussian-regression', seed: 3, n: 3, d: 6 },
  network: { kind: 'diagonal', depth: 2 },
  init: { scheme: 'odeco', scale: 0.2, shape: 'ones', seed: 1 },
  loss: 'squared',
  flow: { method: 'dopri5', rtol: 1e-10, atol: 1e-13, until: { loss: 1e-18 } },
};

describe('compareRun', () => {
  it('passes shouldStop to the training: it stops between chunks and throws TrainingInterrupted', async () => {
    let calls = 0;
    let tick = 0;
    const run = compareRun(json, createCpuBackend(), '.', {
      chunkMs: 2,
      clock: () => ++tick,
      shouldStop: () => ++calls >= 3,
    });
    await expect(run).rejects.toBeInstanceOf(TrainingInterrupted);
    expect(calls).toBe(3);
  });

  it('without a stop, trains, predicts and measures (docs/theory/q-potential.md: exact Q-potential limit)', async () => {
    const c = await compareRun(json, createCpuBackend());
    expect(c.train.status).toBe('converged');
    expect(c.distance).toBeLessThan(1e-6);
  });
});

import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { classificationExperiment } from './classification.js';
import { regressionExperiment } from './regression.js';
import { woodworthExperiment } from './woodworth.js';

// The numbers the quick suite (`npm start`) promises, on the float64 cpu backend.
const backend = createCpuBackend();

describe('quick suite acceptance (cpu, float64)', () => {
  it('odeco regression points reach ‖β̂ − β_pred‖/‖β_pred‖ ≤ 1e−6 (oracle: argmin Q, docs/theory/q-potential.md)', async () => {
    const points = regressionExperiment.grid.quick.filter((p) => p['net'] === 'diagonal');
    expect(points.length).toBeGreaterThanOrEqual(10);
    for (const p of points) {
      const m = await regressionExperiment.run(p, { backend });
      expect(m['predStatus']).toBe('converged');
      expect(Number(m['distPred'])).toBeLessThanOrEqual(1e-6);
    }
  }, 240000);

  it('Woodworth sweep matches the Q-potential prediction at every α (H_2 = q(4z)/8 regime)', async () => {
    for (const p of woodworthExperiment.grid.quick.slice(1)) {
      const m = await woodworthExperiment.run(p, { backend });
      expect(Number(m['distPred'])).toBeLessThanOrEqual(1e-6);
    }
  }, 240000);

  it('classification directions: 1 − cos ≤ 1e−6 for L = 1 (ℓ2 max margin) and ≤ 5e−3 for diagonal L = 2 (ℓ1) at margin 1e4, falling over the run', async () => {
    for (const [L, bound] of [
      [1, 1e-6],
      [2, 5e-3],
    ] as const) {
      const p = classificationExperiment.grid.quick.find(
        (q) => q['net'] === 'diagonal' && q['L'] === L,
      )!;
      const m = await classificationExperiment.run(p, { backend });
      expect(Number(m['gap_m4'])).toBeLessThanOrEqual(bound);
      expect(Number(m['gap_m4'])).toBeLessThan(Number(m['gap_m1']));
      expect(Number(m['kkt_m4'])).toBeLessThanOrEqual(1e-2);
    }
  }, 240000);

  it("diagonal L = 3: the suite row and claim report the flow's own certified KKT point within 1e−5 at margin 1e4 (oracle: KKT certificate, issue #22)", async () => {
    const p = classificationExperiment.grid.quick.find(
      (q) => q['net'] === 'diagonal' && q['L'] === 3,
    )!;
    const m = await classificationExperiment.run(p, { backend });
    expect(Number(m['flowgap_m4'])).toBeLessThanOrEqual(1e-5);
    expect(['yes', 'no']).toContain(m['same_m4']);
    const checks = classificationExperiment.checks!([
      { params: p, metrics: m } as unknown as Parameters<
        NonNullable<typeof classificationExperiment.checks>
      >[0][number],
    ]);
    const claim = checks.find((c) => c.claim.includes("flow's own certified KKT point"))!;
    expect(claim.passed).toBe(true);
  }, 240000);
});

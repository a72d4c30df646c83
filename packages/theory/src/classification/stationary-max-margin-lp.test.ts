import { matrixFromRows } from '@implicit-bias/core';
import { stationaryMaxMarginLp } from './stationary-max-margin-lp.js';
import { maxMarginL1 } from './max-margin-l1.js';
import { kktResidual } from '../certificates/kkt-residual.js';
import { plantedData, relErr } from '../oracles.test.helpers.js';

describe('stationaryMaxMarginLp', () => {
  test('L=3 from the ℓ1 solution: a KKT point (independent KKT certificate ≈ 0), perturbed ≠ 0', async () => {
    const { X, y } = plantedData(61, 10, 16);
    const start = (await maxMarginL1({ Z: X, y })).rho;
    const r = await stationaryMaxMarginLp({ Z: X, y, L: 3, start });
    expect(r.status).toBe('converged');
    expect(r.certificate.kktResidual).toBeLessThan(1e-10);
    expect(r.certificate.primalInfeasibility).toBeLessThan(1e-12);
    const perturbed = r.rho.map((v, j) => (v !== 0 ? v * (1 + 0.01 * Math.cos(j)) : 0));
    expect(kktResidual({ Z: X, y, rho: perturbed, L: 3 }).residual).toBeGreaterThan(1e-4);
  });
  test('L=4: the objective does not exceed the start point quasi-norm (majorize–minimize descent)', async () => {
    const { X, y } = plantedData(71, 8, 12);
    // a separating start: the ℓ1 solution plus a dense perturbation
    const l1 = (await maxMarginL1({ Z: X, y })).rho;
    const s = l1.map((v, j) => v + 0.05 * Math.sin(3 * j + 1));
    const r = await stationaryMaxMarginLp({ Z: X, y, L: 4, start: s });
    const margins = y.map(
      (yi, i) => yi * X.data.subarray(i * 12, (i + 1) * 12).reduce((a, v, j) => a + v * s[j]!, 0),
    );
    const g = Math.min(...margins);
    const q0 = Math.pow(
      s.reduce((a, v) => a + Math.sqrt(Math.abs(v / g)), 0),
      2,
    );
    expect(r.objective).toBeLessThanOrEqual(q0 * (1 + 1e-12));
    expect(r.certificate.kktResidual).toBeLessThan(1e-10);
  });
  test('symmetric 2-D instance: (2/3, 2/3) is the stationary point found from a nearby start (hand-solved)', async () => {
    // min ‖ρ‖_{2/3} s.t. ρ1 + 0.5ρ2 ≥ 1, 0.5ρ1 + ρ2 ≥ 1: the vertices (2/3, 2/3) and (2, 0), (0, 2)
    // are all KKT points of the quasi-norm problem; from near the diagonal the method stays there
    const Z = matrixFromRows([
      [1, 0.5],
      [0.5, 1],
    ]);
    const r = await stationaryMaxMarginLp({ Z, y: [1, 1], L: 3, start: [1, 1.05] });
    expect(relErr(r.rho, [2 / 3, 2 / 3])).toBeLessThan(1e-14);
    expect(r.certificate.kktResidual).toBeLessThan(1e-14);
  });
  test('rejects L ≤ 2 and a non-separating start', async () => {
    const Z = matrixFromRows([[1, 0]]);
    await expect(stationaryMaxMarginLp({ Z, y: [1], L: 2, start: [1, 0] })).rejects.toThrow(
      /maxMarginL1/,
    );
    await expect(stationaryMaxMarginLp({ Z, y: [1], L: 3, start: [-1, 0] })).rejects.toThrow(
      /start/,
    );
  });
});

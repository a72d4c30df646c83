import { matrixFromRows } from '@implicit-bias/core';
import { certifyKkt, certifyKktFourier, KKT_TOLERANCES } from './kkt-certificate.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { plantedData } from '../oracles.test.helpers.js';

describe('certifyKkt', () => {
  // min ‖ρ‖_{2/3} s.t. ρ1 + ρ2/2 ≥ 1, ρ1/2 + ρ2 ≥ 1: (2/3, 2/3) is a KKT point (hand-solved)
  const Z = matrixFromRows([
    [1, 0.5],
    [0.5, 1],
    [2, 2],
  ]);
  const y = [1, 1, 1];
  test('certified at the hand-solved KKT point at margin 1, every residual ≈ 0', () => {
    const c = certifyKkt({ Z, y, rho: [2 / 3, 2 / 3], L: 3 });
    expect(c.certified).toBe(true);
    expect(c.stationarity).toBeLessThan(1e-14);
    expect(c.complementarity).toBeLessThan(1e-15);
    expect(c.primalInfeasibility).toBeLessThan(1e-15);
    expect(c.dualInfeasibility).toBe(0);
    expect(c.kkt.activeSet).toEqual([0, 1]);
    expect(c.tolerances).toEqual(KKT_TOLERANCES);
  });
  test('the same direction at margin 2 is not a KKT point (complementary slackness fails), nor is a bent one (stationarity) or an infeasible one', () => {
    const scaled = certifyKkt({ Z, y, rho: [4 / 3, 4 / 3], L: 3 });
    expect(scaled.stationarity).toBeLessThan(1e-14);
    expect(scaled.complementarity).toBeCloseTo(1, 14);
    expect(scaled.certified).toBe(false);
    const bent = certifyKkt({ Z, y, rho: [2 / 3, 0.7], L: 3 });
    expect(bent.stationarity).toBeGreaterThan(1e-3);
    expect(bent.certified).toBe(false);
    const short = certifyKkt({ Z, y, rho: [1 / 3, 1 / 3], L: 3 });
    expect(short.primalInfeasibility).toBeCloseTo(0.5, 14);
    expect(short.certified).toBe(false);
    // tolerances are the caller's to loosen
    expect(
      certifyKkt({
        Z,
        y,
        rho: [1 / 3, 1 / 3],
        L: 3,
        tolerances: { primalInfeasibility: 0.6, complementarity: 0.6 },
      }).certified,
    ).toBe(true);
  });
  test('a non-separating ρ is not certified (infinite residuals)', () => {
    const c = certifyKkt({ Z, y, rho: [1, -3], L: 3 });
    expect(c.stationarity).toBe(Infinity);
    expect(c.certified).toBe(false);
  });
});

describe('certifyKktFourier', () => {
  test('L = 2: certified at the Fourier-ℓ1 optimum (independent cone solver), not when bent', async () => {
    const { X, y } = plantedData(131, 10, 8);
    const opt = await maxMarginFourierL1({ X, y });
    expect(certifyKktFourier({ X, y, beta: opt.beta, L: 2 }).certified).toBe(true);
    const bent = opt.beta.map((v, j) => v + 0.02 * Math.cos(2 * j));
    expect(certifyKktFourier({ X, y, beta: bent, L: 2 }).certified).toBe(false);
  });
});

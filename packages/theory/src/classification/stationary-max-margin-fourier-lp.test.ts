import { stationaryMaxMarginFourierLp } from './stationary-max-margin-fourier-lp.js';
import { maxMarginFourierL1 } from './max-margin-fourier-l1.js';
import { kktResidualFourier } from '../certificates/kkt-residual-fourier.js';
import { plantedData } from '../oracles.test.helpers.js';

describe('stationaryMaxMarginFourierLp', () => {
  test('L=3 from the Fourier-ℓ1 solution: a KKT point (independent certificate), not a KKT point when perturbed', async () => {
    const { X, y } = plantedData(151, 8, 8);
    const start = (await maxMarginFourierL1({ X, y })).beta.map(
      (v, j) => v + 0.03 * Math.sin(j + 1),
    );
    const r = await stationaryMaxMarginFourierLp({ X, y, L: 3, start });
    expect(r.status).toBe('converged');
    expect(r.certificate.kktResidual).toBeLessThan(1e-9);
    expect(r.certificate.primalInfeasibility).toBeLessThan(1e-12);
    const bent = r.beta.map((v, j) => v + 0.01 * Math.cos(3 * j));
    expect(kktResidualFourier({ X, y, beta: bent, L: 3 }).residual).toBeGreaterThan(1e-4);
  }, 30000);
});

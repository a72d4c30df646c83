import { kktResidualFourier } from './kkt-residual-fourier.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { maxMarginL2 } from '../classification/max-margin-l2.js';
import { plantedData } from '../oracles.test.helpers.js';

describe('kktResidualFourier', () => {
  test('L=2: ≈ 0 at the certified Fourier-ℓ1 optimum (independent solver), clearly non-zero when perturbed', async () => {
    const { X, y } = plantedData(131, 10, 8);
    const opt = await maxMarginFourierL1({ X, y });
    const at = kktResidualFourier({ X, y, beta: opt.beta, L: 2 });
    expect(at.residual).toBeLessThan(1e-10);
    expect(at.offSupportViolation).toBeLessThan(1e-10);
    const bent = opt.beta.map((v, j) => v + 0.02 * Math.cos(2 * j));
    expect(kktResidualFourier({ X, y, beta: bent, L: 2 }).residual).toBeGreaterThan(1e-4);
  });
  test('L=1: ≈ 0 at the ℓ2 max-margin β (‖Fβ‖₂ = ‖β‖₂, Parseval; independent QP)', async () => {
    const { X, y } = plantedData(141, 12, 7);
    const svm = await maxMarginL2({ X, y });
    expect(kktResidualFourier({ X, y, beta: svm.beta, L: 1 }).residual).toBeLessThan(1e-10);
  });
});

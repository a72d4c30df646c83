// The README example, run as a test (oracle: the closed forms quoted in its comments).
import { matrixFromRows } from '@implicit-bias/core';
import { kktResidual, maxMarginL2, predictRegressionQ } from './index.js';

test('README example runs and prints what it claims (closed form (1,1)/√2)', async () => {
  const X = matrixFromRows([
    [0.5, 1.5],
    [1.5, 0.5],
    [-0.5, -1.5],
    [-1.5, -0.5],
  ]);
  const y = [1, 1, -1, -1];
  const svm = await maxMarginL2({ X, y });
  expect(Math.abs(svm.direction[0]! - Math.SQRT1_2)).toBeLessThan(1e-14);
  expect(svm.certificate.dualityGap).toBeLessThan(1e-14);
  expect(kktResidual({ Z: X, y, rho: svm.beta, L: 1 }).residual).toBeLessThan(1e-14);
  const A = matrixFromRows([
    [1, 2, 0, -1],
    [0, 1, 1, 3],
  ]);
  const q = predictRegressionQ({ A, y: [1, -1], L: 3, alpha: 0.1 });
  expect(q.status).toBe('converged');
  expect(q.certificate.interpolationResidual).toBeLessThan(1e-13);
  expect(q.certificate.stationarityResidual).toBeLessThan(1e-13);
});

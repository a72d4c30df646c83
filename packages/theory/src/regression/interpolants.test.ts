import {
  minNormInterpolant,
  weightedL1Interpolant,
  weightedL2Interpolant,
} from './interpolants.js';
import { quadprogSolve, randomMatrix, randomVector, relErr } from '../oracles.test.helpers.js';

describe('weightedL1Interpolant', () => {
  const A = { rows: 2, cols: 3, data: new Float64Array([1, 1, 0, 0, 1, 1]) };
  test('known answer: min |a|+|b|+|c| s.t. a+b = 1, b+c = 1 is b = 1 (hand-solved LP)', async () => {
    const r = await weightedL1Interpolant({ A, y: [1, 1] });
    expect(Array.from(r.rho)).toEqual([0, 1, 0]);
    expect(r.objective).toBe(1);
    expect(r.certificate.dualityGap).toBeLessThan(1e-14);
    expect(r.certificate.dualInfeasibility).toBeLessThan(1e-14);
  });
  test('known answer with weights (1, 3, 1): a = c = 1, objective 2 (hand-solved LP)', async () => {
    const r = await weightedL1Interpolant({ A, y: [1, 1], weights: [1, 3, 1] });
    expect(Array.from(r.rho)).toEqual([1, 0, 1]);
    expect(r.objective).toBe(2);
  });
  test('random instance: duality-gap certificate ≈ 0 and ℓ1 below the ℓ2 solution (weak duality)', async () => {
    const B = randomMatrix(3, 4, 9);
    const y = randomVector(4, 4);
    const r = await weightedL1Interpolant({ A: B, y });
    expect(r.status).toBe('converged');
    expect(r.certificate.dualityGap).toBeLessThan(1e-12);
    expect(r.certificate.interpolationResidual).toBeLessThan(1e-13);
    const l2 = weightedL2Interpolant({ A: B, y }).rho;
    expect(r.objective).toBeLessThanOrEqual(l2.reduce((s, v) => s + Math.abs(v), 0));
  });
});

describe('weightedL2Interpolant and minNormInterpolant', () => {
  const A = randomMatrix(5, 4, 10);
  const y = randomVector(6, 4, -3, 3);
  test('weighted ℓ2 closed form equals quadprog on min ½ρᵀD⁻¹ρ s.t. Aρ = y (independent solver)', () => {
    const D = randomVector(7, 10, 0.2, 3);
    const r = weightedL2Interpolant({ A, y, weights: D });
    const qp = quadprogSolve(
      D.map((d) => 1 / d),
      new Float64Array(10),
      A,
      y,
      4,
    );
    expect(qp.message).toBe('');
    expect(relErr(r.rho, qp.x)).toBeLessThan(1e-10);
    expect(r.certificate.interpolationResidual).toBeLessThan(1e-14);
  });
  test('min-norm interpolant Xᵀ(XXᵀ)^{-1}y equals quadprog on min ½‖β‖² s.t. Xβ = y (independent solver)', () => {
    const r = minNormInterpolant(A, y);
    const qp = quadprogSolve(new Float64Array(10).fill(1), new Float64Array(10), A, y, 4);
    expect(relErr(r.beta, qp.x)).toBeLessThan(1e-10);
  });
  test('rejects non-positive weights', () => {
    expect(() => weightedL2Interpolant({ A, y, weights: new Float64Array(10) })).toThrow(/weights/);
  });
});

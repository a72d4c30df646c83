import { isImplicitBiasError, matrixFromRows } from '@implicit-bias/core';
import { maxMarginL2 } from './max-margin-l2.js';
import { maxMarginL1 } from './max-margin-l1.js';
import { checkSeparable } from './separable.js';
import { maxMarginFourierL1 } from './max-margin-fourier-l1.js';
import { kktResidual } from '../certificates/kkt-residual.js';
import { plantedData, quadprogSolve, relErr } from '../oracles.test.helpers.js';

const soudry = {
  X: matrixFromRows([
    [0.5, 1.5],
    [1.5, 0.5],
    [-0.5, -1.5],
    [-1.5, -0.5],
  ]),
  y: new Float64Array([1, 1, -1, -1]),
};

describe('maxMarginL2', () => {
  test("Soudry et al. 2018's 2-D example gives direction (1,1)/√2 and w = (0.5, 0.5) (closed form)", async () => {
    const r = await maxMarginL2(soudry);
    expect(relErr(r.direction, [Math.SQRT1_2, Math.SQRT1_2])).toBeLessThan(1e-12);
    expect(relErr(r.beta, [0.5, 0.5])).toBeLessThan(1e-12);
    expect(r.margin).toBeCloseTo(Math.SQRT2, 12);
    expect(r.certificate.dualityGap).toBeLessThan(1e-12);
  });
  test('random separable data: HiGHS QP (polished) equals quadprog (independent solver)', async () => {
    const { X, y } = plantedData(21, 15, 6);
    const r = await maxMarginL2({ X, y });
    const Zy = {
      rows: X.rows,
      cols: X.cols,
      data: X.data.map((v, k) => v * y[Math.floor(k / X.cols)]!),
    };
    const qp = quadprogSolve(
      new Float64Array(X.cols).fill(1),
      new Float64Array(X.cols),
      Zy,
      new Float64Array(X.rows).fill(1),
    );
    expect(qp.message).toBe('');
    expect(relErr(r.beta, qp.x)).toBeLessThan(1e-8);
    expect(r.certificate.dualityGap).toBeLessThan(1e-10);
    expect(r.certificate.stationarity).toBeLessThan(1e-10);
    expect(r.certificate.primalInfeasibility).toBeLessThan(1e-12);
    // the independent KKT certificate (L = 1) agrees
    expect(kktResidual({ Z: X, y, rho: r.beta, L: 1 }).residual).toBeLessThan(1e-9);
  });
  test('non-separable data raise NOT_SEPARABLE with the best achievable margin', async () => {
    const X = matrixFromRows([
      [1, 0],
      [-1, 0],
      [0, 1],
    ]);
    const caught = await maxMarginL2({ X, y: [1, 1, -1] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(caught, 'NOT_SEPARABLE')).toBe(true);
    const data = (caught as { data: { bestMargin: number } }).data;
    expect(data.bestMargin).toBeLessThanOrEqual(1e-12);
  });
});

describe('checkSeparable', () => {
  test('separable data: margin of the LP max t s.t. y_i z_iᵀw ≥ t, ‖w‖∞ ≤ 1 (hand-solved: 2)', async () => {
    const r = await checkSeparable(soudry.X, soudry.y);
    expect(r.separable).toBe(true);
    expect(r.margin).toBeCloseTo(2, 12);
  });
});

describe('maxMarginL1', () => {
  test('known answer: z = (1, 0.5), (0.5, 1) ⇒ ρ = (2/3, 2/3), ‖ρ‖₁ = 4/3 (hand-solved LP)', async () => {
    const Z = matrixFromRows([
      [1, 0.5],
      [0.5, 1],
    ]);
    const r = await maxMarginL1({ Z, y: [1, 1] });
    expect(relErr(r.rho, [2 / 3, 2 / 3])).toBeLessThan(1e-14);
    expect(r.objective).toBeCloseTo(4 / 3, 14);
    expect(r.certificate.dualityGap).toBeLessThan(1e-14);
  });
  test('known sparse answer: z = (2, 1), (1, 0.1) ⇒ ρ = (1, 0) (hand-solved LP)', async () => {
    const Z = matrixFromRows([
      [2, 1],
      [1, 0.1],
    ]);
    const r = await maxMarginL1({ Z, y: [1, 1] });
    expect(Array.from(r.rho)).toEqual([1, 0]);
  });
  test('random instance: duality gap ≈ 0 and the independent KKT certificate (L = 2) ≈ 0', async () => {
    const { X, y } = plantedData(31, 12, 20);
    const r = await maxMarginL1({ Z: X, y });
    expect(r.certificate.dualityGap).toBeLessThan(1e-12);
    expect(r.certificate.dualInfeasibility).toBeLessThan(1e-12);
    const kkt = kktResidual({ Z: X, y, rho: r.rho, L: 2 });
    expect(kkt.residual).toBeLessThan(1e-10);
    expect(kkt.offSupportViolation).toBeLessThan(1e-10);
  });
});

describe('NOT_SEPARABLE in the transformed space', () => {
  // z and −z with the same label: no w separates through the origin; the best margin (w = 0) is 0
  const Z = matrixFromRows([
    [1, 2, 0],
    [-1, -2, 0],
    [0, 1, 1],
  ]);
  const y = [1, 1, -1];
  test('checkSeparable reports margin 0 (hand-derived: w·z ≥ t and −w·z ≥ t force t ≤ 0)', async () => {
    const r = await checkSeparable(Z, y);
    expect(r.separable).toBe(false);
    expect(Math.abs(r.margin)).toBeLessThan(1e-12);
  });
  test.each(['l1', 'fourier'])(
    '%s max margin raises NOT_SEPARABLE with data.bestMargin',
    async (which) => {
      const run = which === 'l1' ? maxMarginL1({ Z, y }) : maxMarginFourierL1({ X: Z, y });
      const caught = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isImplicitBiasError(caught, 'NOT_SEPARABLE')).toBe(true);
      expect((caught as { data: { bestMargin: number } }).data.bestMargin).toBeLessThan(1e-12);
    },
  );
});

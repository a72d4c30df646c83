import { convolutional, diagonal, fullyConnected } from '@implicit-bias/networks';
import { isImplicitBiasError } from '@implicit-bias/core';
import { predictClassification, predictRegression } from './predict.js';
import { predictRegressionQ } from '../regression/q-potential.js';
import { maxMarginL1 } from '../classification/max-margin-l1.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { maxMarginL2 } from '../classification/max-margin-l2.js';
import { plantedData, randomMatrix, randomVector, relErr } from '../oracles.test.helpers.js';

const X = randomMatrix(101, 3, 6);
const y = randomVector(102, 3);

describe('predictRegression', () => {
  test('diagonal L=3: equals predictRegressionQ with A = X (S = I, theory §3 table)', () => {
    const p = predictRegression(diagonal({ dim: 6, depth: 3 }), { X, y }, { alpha: 0.5 });
    if ('notSupported' in p) throw new Error(p.notSupported);
    const q = predictRegressionQ({ A: X, y, L: 3, alpha: 0.5 });
    expect(relErr(p.beta, q.rho)).toBeLessThan(1e-14);
    expect(p.kind).toBe('q-potential');
  });
  // 30 000² float64 entries (7.2 GB) exceed the default 4 GiB budget: a dense S = I would throw
  test('diagonal with d = 30 000 features: S = I is used implicitly (no d×d matrix), = predictRegressionQ with A = X', () => {
    const Xw = randomMatrix(103, 3, 30_000);
    const p = predictRegression(diagonal({ dim: 30_000, depth: 2 }), { X: Xw, y }, { alpha: 1 });
    if ('notSupported' in p) throw new Error(p.notSupported);
    const q = predictRegressionQ({ A: Xw, y, L: 2, alpha: 1 });
    expect(Array.from(p.beta)).toEqual(Array.from(q.rho));
  });
  test('full convolution with d = 1e5: the dense Fourier basis would not fit, refused at X with the estimate', () => {
    const Xw = randomMatrix(104, 2, 100_000);
    let caught: unknown;
    try {
      predictRegression(
        convolutional({ dim: 100_000, depth: 2 }),
        { X: Xw, y: [1, 2] },
        { alpha: 1 },
      );
    } catch (e) {
      caught = e;
    }
    expect(isImplicitBiasError(caught, 'INVALID_CONFIG')).toBe(true);
    expect((caught as { path?: string }).path).toBe('X');
    expect(String(caught)).toMatch(/needs an estimated 224 GiB .* over the memory budget/);
  });
  test('fully connected: minimum-norm interpolant, marked exact only for L = 1', () => {
    const p = predictRegression(
      fullyConnected({ inputDim: 6, hidden: [4] }),
      { X, y },
      { alpha: 0.1 },
    );
    if ('notSupported' in p) throw new Error(p.notSupported);
    expect(p.kind).toBe('min-norm-interpolant');
    expect(p.exact).toBe(false);
  });
  test('full convolution: the complex analogue marked exact: false; small filters: notSupported', () => {
    const p = predictRegression(convolutional({ dim: 6, depth: 2 }), { X, y }, { alpha: 0.1 });
    if ('notSupported' in p) throw new Error(p.notSupported);
    expect(p.kind).toBe('q-potential-fourier');
    expect(p.exact).toBe(false);
    expect(p.certificate['interpolationResidual']).toBeLessThan(1e-12);
    const small = predictRegression(
      convolutional({ dim: 6, depth: 2, filters: [2] }),
      { X, y },
      { alpha: 0.1 },
    );
    expect('notSupported' in small && small.notSupported).toMatch(/not odeco/);
  });
  test('a wrong input dimension raises SHAPE_MISMATCH', () => {
    let caught: unknown;
    try {
      predictRegression(diagonal({ dim: 5, depth: 2 }), { X, y }, { alpha: 1 });
    } catch (e) {
      caught = e;
    }
    expect(isImplicitBiasError(caught, 'SHAPE_MISMATCH')).toBe(true);
  });
});

describe('predictClassification', () => {
  const data = plantedData(111, 10, 8);
  test('diagonal L=2 → ℓ1 max margin; fully connected → ℓ2; full conv L=2 → Fourier ℓ1 (theory §4.2 special cases)', async () => {
    const d2 = await predictClassification(diagonal({ dim: 8, depth: 2 }), data);
    if ('notSupported' in d2) throw new Error(d2.notSupported);
    expect(relErr(d2.beta, (await maxMarginL1({ Z: data.X, y: data.y })).rho)).toBeLessThan(1e-14);
    const fc = await predictClassification(fullyConnected({ inputDim: 8, hidden: [5, 3] }), data);
    if ('notSupported' in fc) throw new Error(fc.notSupported);
    expect(relErr(fc.beta, (await maxMarginL2(data)).beta)).toBeLessThan(1e-14);
    const cv = await predictClassification(convolutional({ dim: 8, depth: 2 }), data);
    if ('notSupported' in cv) throw new Error(cv.notSupported);
    expect(relErr(cv.beta, (await maxMarginFourierL1(data)).beta)).toBeLessThan(1e-12);
  });
  test('diagonal L=3 → a KKT point of min ‖β‖_{2/3}', async () => {
    const p = await predictClassification(diagonal({ dim: 8, depth: 3 }), data);
    if ('notSupported' in p) throw new Error(p.notSupported);
    expect(p.kind).toBe('stationary-max-margin-lp');
    expect(p.certificate['kktResidual']).toBeLessThan(1e-10);
  });
  test('full convolution L=3 → a KKT point of min ‖Fβ‖_{2/3} (independent Fourier KKT certificate)', async () => {
    const p = await predictClassification(convolutional({ dim: 8, depth: 3 }), data);
    if ('notSupported' in p) throw new Error(p.notSupported);
    expect(p.kind).toBe('stationary-max-margin-fourier-lp');
    expect(p.certificate['kktResidual']).toBeLessThan(1e-9);
  }, 30000);
  test('small-filter convolution: notSupported pointing to the singular-tuple certificate', async () => {
    const p = await predictClassification(convolutional({ dim: 8, depth: 2, filters: [3] }), data);
    expect('notSupported' in p && p.notSupported).toMatch(/singularTupleResidual/);
  });
});

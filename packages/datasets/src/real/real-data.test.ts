import { standardize } from '../standardize.js';
import { irisSetosaVersicolor } from './iris-setosa-versicolor.js';
import { longley } from './longley.js';

function columnSums(data: Float64Array, d: number, from: number, to: number): number[] {
  const s = Array<number>(d).fill(0);
  for (let i = from; i < to; i++) for (let j = 0; j < d; j++) s[j]! += data[i * d + j]!;
  return s;
}

describe('irisSetosaVersicolor', () => {
  const ds = irisSetosaVersicolor();

  it('has 100 samples, 4 features, labels −1 then +1', () => {
    expect(ds.meta).toMatchObject({ n: 100, d: 4 });
    expect(ds.X.data).toHaveLength(400);
    expect(Array.from(ds.y)).toEqual([...Array(50).fill(-1), ...Array(50).fill(1)]);
    expect(ds.meta.license).toMatch(/CC BY 4\.0/);
    expect(ds.meta.source).toMatch(/Fisher/);
  });

  it('has the published per-species column means', () => {
    // oracle: Fisher (1936) / R summary(iris) species means:
    // setosa 5.006 3.428 1.462 0.246, versicolor 5.936 2.770 4.260 1.326
    const set = columnSums(ds.X.data, 4, 0, 50).map((s) => s / 50);
    const ver = columnSums(ds.X.data, 4, 50, 100).map((s) => s / 50);
    [5.006, 3.428, 1.462, 0.246].forEach((m, j) => expect(set[j]).toBeCloseTo(m, 10));
    [5.936, 2.77, 4.26, 1.326].forEach((m, j) => expect(ver[j]).toBeCloseTo(m, 10));
  });

  it('is separated through the origin by petal length after standardization', () => {
    // oracle: explicit separator w = e₃ (petal length), checked point by point
    const Z = standardize(ds.X).X;
    let minMargin = Infinity;
    for (let i = 0; i < 100; i++) minMargin = Math.min(minMargin, ds.y[i]! * Z.data[i * 4 + 2]!);
    expect(minMargin).toBeGreaterThan(0.05);
  });

  it('is separated by a homogeneous perceptron on all standardized features', () => {
    // oracle: Novikoff — the perceptron stops on separable data; verified by the final check
    const Z = standardize(ds.X).X;
    const w = new Float64Array(4);
    let mistakes = 0;
    for (let epoch = 0, clean = false; !clean && epoch < 1000; epoch++) {
      clean = true;
      for (let i = 0; i < 100; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += w[j]! * Z.data[i * 4 + j]!;
        if (ds.y[i]! * s <= 0) {
          for (let j = 0; j < 4; j++) w[j]! += ds.y[i]! * Z.data[i * 4 + j]!;
          clean = false;
          mistakes++;
        }
      }
    }
    for (let i = 0; i < 100; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) s += w[j]! * Z.data[i * 4 + j]!;
      expect(ds.y[i]! * s).toBeGreaterThan(0);
    }
    expect(mistakes).toBeGreaterThan(0);
  });
});

// Least squares with intercept by Householder QR (numerically stable on Longley's
// ill-conditioned design, condition number ~1e9 after adding the intercept column).
function leastSquares(A: number[][], b: number[]): number[] {
  const m = A.length;
  const p = A[0]!.length;
  const R = A.map((r) => r.slice());
  const c = b.slice();
  for (let k = 0; k < p; k++) {
    let nrm = 0;
    for (let i = k; i < m; i++) nrm = Math.hypot(nrm, R[i]![k]!);
    const alpha = R[k]![k]! > 0 ? -nrm : nrm;
    const v = Array<number>(m).fill(0);
    for (let i = k; i < m; i++) v[i] = R[i]![k]!;
    v[k]! -= alpha;
    let vv = 0;
    for (let i = k; i < m; i++) vv += v[i]! * v[i]!;
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < m; i++) s += v[i]! * R[i]![j]!;
      for (let i = k; i < m; i++) R[i]![j]! -= (2 * s * v[i]!) / vv;
    }
    let s = 0;
    for (let i = k; i < m; i++) s += v[i]! * c[i]!;
    for (let i = k; i < m; i++) c[i]! -= (2 * s * v[i]!) / vv;
  }
  const x = Array<number>(p).fill(0);
  for (let k = p - 1; k >= 0; k--) {
    let s = c[k]!;
    for (let j = k + 1; j < p; j++) s -= R[k]![j]! * x[j]!;
    x[k] = s / R[k]![k]!;
  }
  return x;
}

describe('longley', () => {
  const ds = longley();

  it('has 16 years and 6 predictors', () => {
    expect(ds.meta).toMatchObject({
      n: 16,
      d: 6,
      license: 'Public domain (US government statistics)',
    });
    expect(ds.task).toBe('regression');
  });

  it('has the NIST StRD certified mean of the response', () => {
    // oracle: NIST StRD Longley, certified mean of y = 65317.0 (thousands) → 65.317 millions
    expect(ds.y.reduce((a, v) => a + v, 0) / 16).toBeCloseTo(65.317, 12);
  });

  it('reproduces the NIST StRD certified regression coefficients', () => {
    // oracle: NIST StRD Longley certified values, converted to R's units
    // (GNP, population, employed /1000; unemployed, armed forces /10)
    const certified = [
      -3482258.63459582 / 1000,
      15.0618722713733 / 1000,
      -0.035819179292591,
      (-2.02022980381683 * 10) / 1000,
      (-1.03322686717359 * 10) / 1000,
      -0.0511041056535807,
      1829.15146461355 / 1000,
    ];
    // centre columns for conditioning; the intercept is recovered from the means
    const d = 6;
    const mean = Array.from({ length: d }, (_, j) => columnSums(ds.X.data, d, 0, 16)[j]! / 16);
    const ym = ds.y.reduce((a, v) => a + v, 0) / 16;
    const A = Array.from({ length: 16 }, (_, i) =>
      Array.from({ length: d }, (_, j) => ds.X.data[i * d + j]! - mean[j]!),
    );
    const b = Array.from(ds.y, (v) => v - ym);
    const coef = leastSquares(A, b);
    const intercept = ym - coef.reduce((a, c, j) => a + c * mean[j]!, 0);
    const got = [intercept, ...coef];
    got.forEach((g, j) => {
      expect(Math.abs(g - certified[j]!) / Math.abs(certified[j]!)).toBeLessThan(1e-7);
    });
  });
});

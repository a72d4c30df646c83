import { Matrix, solve } from 'ml-matrix';
import { predictRegressionFourierQ } from './q-potential-fourier.js';
import { minNormInterpolant } from './interpolants.js';
import { HLPrime } from '../scalar/h-l.js';
import { nullSpace, randomMatrix, randomVector, relErr } from '../oracles.test.helpers.js';

/**
 * Independent stationarity check in β-space: ∇_β Σ_k c_k² H_L(d^{−(L−1)/2}|(Fβ)_k|/c_k^L) by a
 * direct complex DFT, projected off the row space of X with ml-matrix; relative norm.
 */
function stationarity(X: Matrix, beta: Float64Array, L: number, c: number[]): number {
  const d = beta.length;
  const base = Math.pow(d, -(L - 1) / 2);
  const g = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < d; j++) {
      re += (beta[j]! * Math.cos((2 * Math.PI * j * k) / d)) / Math.sqrt(d);
      im -= (beta[j]! * Math.sin((2 * Math.PI * j * k) / d)) / Math.sqrt(d);
    }
    const mod = Math.hypot(re, im);
    const ck = c[k]!;
    const outer = ck ** (2 - L) * base * HLPrime(L, (base * mod) / ck ** L);
    for (let j = 0; j < d; j++) {
      // ∂|u_k|/∂β_j = Re(conj(u_k) F_kj)/|u_k|, F_kj = e^{−2πijk/d}/√d
      const fr = Math.cos((2 * Math.PI * j * k) / d) / Math.sqrt(d);
      const fi = -Math.sin((2 * Math.PI * j * k) / d) / Math.sqrt(d);
      g[j]! += (outer * (re * fr + im * fi)) / mod;
    }
  }
  const G = Matrix.columnVector(Array.from(g));
  const coef = solve(X.mmul(X.transpose()), X.mmul(G));
  const gNorm = G.norm();
  const P = G.clone().sub(X.transpose().mmul(coef)); // ml-matrix's sub works in place
  return P.norm() / gNorm;
}

describe('predictRegressionFourierQ (complex analogue, not exact)', () => {
  const n = 3;
  const d = 8;
  const Xh = randomMatrix(201, n, d);
  const y = randomVector(202, n, -1, 1);
  const X = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X.set(i, j, Xh.data[i * d + j]!);
  const etaSym = Array.from({ length: d }, (_, k) => 1 + 0.3 * Math.cos((2 * Math.PI * k) / d));

  test.each([
    [2, 0.05],
    [2, 1],
    [3, 0.5],
    [4, 0.8],
  ])(
    'L=%i, α=%f: stationary for the complex potential (independent direct-DFT gradient)',
    (L, alpha) => {
      const p = predictRegressionFourierQ({ X: Xh, y, L, alpha, eta: etaSym });
      expect(p.status).toBe('converged');
      expect(p.exact).toBe(false);
      expect(p.certificate.interpolationResidual).toBeLessThan(1e-12);
      const c = etaSym.map((e) => alpha * e);
      expect(stationarity(X, p.beta, L, c)).toBeLessThan(1e-9);
    },
  );

  test('the independent stationarity check is clearly non-zero at a perturbed interpolant', () => {
    const p = predictRegressionFourierQ({ X: Xh, y, L: 3, alpha: 0.5, eta: etaSym });
    const N = nullSpace(Xh);
    const bent = p.beta.map((v, j) => v + 1e-2 * N.get(j, 0));
    expect(
      stationarity(
        X,
        bent,
        3,
        etaSym.map((e) => 0.5 * e),
      ),
    ).toBeGreaterThan(1e-4);
  });

  test('L = 1 (any α) and α → ∞ with η = 1 give the minimum-norm interpolant (Parseval, closed form)', () => {
    const ref = minNormInterpolant(Xh, y).beta;
    expect(
      relErr(predictRegressionFourierQ({ X: Xh, y, L: 1, alpha: 0.2 }).beta, ref),
    ).toBeLessThan(1e-12);
    expect(
      relErr(predictRegressionFourierQ({ X: Xh, y, L: 2, alpha: 1e3 }).beta, ref),
    ).toBeLessThan(1e-8);
  });

  test('rejects an η that is not conjugate-symmetric', () => {
    expect(() =>
      predictRegressionFourierQ({ X: Xh, y, L: 2, alpha: 1, eta: [1, 2, 1, 1, 1, 1, 1, 1] }),
    ).toThrow(/eta/);
  });
});

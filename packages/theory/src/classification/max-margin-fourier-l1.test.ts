import { matrixFromRows } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { maxMarginFourierL1 } from './max-margin-fourier-l1.js';
import { realFourier } from './real-fourier.js';
import { plantedData } from '../oracles.test.helpers.js';

/** Direct complex DFT moduli |(Fv)_k| with F_{jk} = e^{−2πijk/d}/√d (definition, O(d²)). */
function dftModuli(v: ArrayLike<number>): number[] {
  const d = v.length;
  return Array.from({ length: d }, (_, k) => {
    let re = 0;
    let im = 0;
    for (let j = 0; j < d; j++) {
      re += v[j]! * Math.cos((2 * Math.PI * j * k) / d);
      im -= v[j]! * Math.sin((2 * Math.PI * j * k) / d);
    }
    return Math.hypot(re, im) / Math.sqrt(d);
  });
}

/** Weak-duality bound Σμ / max(1, max_k |(F Σ μ_i y_i x_i)_k|), recomputed from the definition. */
function dualBound(X: HostMatrix, y: ArrayLike<number>, mu: ArrayLike<number>): number {
  const g = new Float64Array(X.cols);
  let s = 0;
  for (let i = 0; i < X.rows; i++) {
    s += mu[i]!;
    for (let j = 0; j < X.cols; j++) g[j]! += mu[i]! * y[i]! * X.data[i * X.cols + j]!;
  }
  return s / Math.max(1, ...dftModuli(g));
}

describe('maxMarginFourierL1', () => {
  test.each([5, 8])(
    'real Fourier form: R is orthogonal and Σ w‖Rβ‖ = Σ_k |(Fβ)_k| (d = %i, definition)',
    (d) => {
      const { R, groups, weights } = realFourier(d);
      for (let a = 0; a < d; a++)
        for (let b = 0; b < d; b++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += R[a * d + j]! * R[b * d + j]!;
          expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(1e-14);
        }
      const beta = Array.from({ length: d }, (_, j) => Math.cos(1.3 * j) + 0.2 * j);
      const gamma = Array.from({ length: d }, (_, a) =>
        beta.reduce((acc, v, j) => acc + R[a * d + j]! * v, 0),
      );
      const viaGroups = groups.reduce(
        (acc, [s, size], g) =>
          acc + weights[g]! * Math.hypot(gamma[s]!, size === 2 ? gamma[s + 1]! : 0),
        0,
      );
      const direct = dftModuli(beta).reduce((a, v) => a + v, 0);
      expect(Math.abs(viaGroups - direct) / direct).toBeLessThan(1e-14);
    },
  );

  test('one sample e_0 (d = 4): optimal value √d (hand-derived: β_0 ≤ Σ_k |(Fβ)_k| / √d)', async () => {
    const r = await maxMarginFourierL1({ X: matrixFromRows([[1, 0, 0, 0]]), y: [1] });
    expect(Math.abs(r.objective - 2) / 2).toBeLessThan(1e-10);
    expect(r.certificate.dualityGap).toBeLessThan(1e-10);
  });

  test.each([
    [81, 10, 8],
    [91, 6, 9],
  ])(
    'seed %i (n=%i, d=%i): global optimum proved by an independently recomputed weak-duality bound',
    async (seed, n, d) => {
      const { X, y } = plantedData(seed, n, d);
      const r = await maxMarginFourierL1({ X, y });
      expect(r.status).toBe('converged');
      const objective = dftModuli(r.beta).reduce((a, v) => a + v, 0);
      expect(Math.abs(objective - r.objective) / objective).toBeLessThan(1e-13);
      for (let i = 0; i < X.rows; i++) {
        let m = 0;
        for (let j = 0; j < d; j++) m += y[i]! * X.data[i * d + j]! * r.beta[j]!;
        expect(m).toBeGreaterThan(1 - 1e-12);
      }
      const lower = dualBound(X, y, r.dual);
      expect((objective - lower) / objective).toBeLessThan(1e-9);
      expect(r.certificate.dualityGap).toBeLessThan(1e-9);
    },
  );
});

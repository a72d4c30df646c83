import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { convolutional, diagonal, fullyConnected } from '@implicit-bias/networks';
import { predictRegressionQ } from './q-potential.js';
import { predictRegressionFourierQ } from './q-potential-fourier.js';
import {
  minNormInterpolant,
  weightedL1Interpolant,
  weightedL2Interpolant,
} from './interpolants.js';
import { predictRegression } from '../network/predict.js';
import { qOptimalityResidual } from '../certificates/residuals.js';
import { randomMatrix, randomVector, relErr } from '../oracles.test.helpers.js';

// Issue 18 item 4: regression data without an exact fit used to be reported as "rows of A are
// linearly dependent". Consistent dependent rows (duplicate samples with equal targets) are now
// dropped; data no interpolant fits throw INVALID_DATA naming the real cause and the field.

/** Rows `order` of X as a matrix (duplicates allowed). */
function rows(X: HostMatrix, order: readonly number[]): HostMatrix {
  const d = X.cols;
  const data = new Float64Array(order.length * d);
  order.forEach((i, p) => data.set(X.data.subarray(i * d, (i + 1) * d), p * d));
  return { rows: order.length, cols: d, data };
}

/** The error `f` throws, awaited (fails the test when it returns). */
async function thrown(f: () => unknown): Promise<ImplicitBiasError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ImplicitBiasError) return e;
    throw e;
  }
  throw new Error('expected an ImplicitBiasError, nothing was thrown');
}

const X = randomMatrix(31, 3, 7);
const y = randomVector(32, 3);
// rows 0, 1, 2, then row 1 again and 2·row 0, with consistent targets
const Xdup = rows(X, [0, 1, 2, 1, 0]);
Xdup.data.subarray(4 * 7, 5 * 7).forEach((v, j, a) => (a[j] = 2 * v));
const ydup = Float64Array.of(y[0]!, y[1]!, y[2]!, y[1]!, 2 * y[0]!);

describe('consistent data with dependent rows: dropped, same prediction', () => {
  // Oracle: the constraint set {ρ : Aρ = y} is unchanged by a duplicate row with the same
  // target, so every predictor equals its value on the deduplicated data (bit for bit: the
  // solver runs on exactly those rows), and its certificates hold on the full data.
  test('argmin Q (L = 2, 3) equals the prediction on the deduplicated data', () => {
    for (const L of [2, 3]) {
      const full = predictRegressionQ({ A: Xdup, y: ydup, L, alpha: 0.5 });
      const dedup = predictRegressionQ({ A: X, y, L, alpha: 0.5 });
      expect(Array.from(full.rho)).toEqual(Array.from(dedup.rho));
      expect(full.status).toBe('converged');
      expect(full.certificate.interpolationResidual).toBeLessThan(1e-11);
      expect(qOptimalityResidual({ A: Xdup, rho: full.rho, L, alpha: 0.5 })).toBeLessThan(1e-8);
    }
  });

  test('minimum-norm interpolant: one distinct row a gives the closed form β = a·y/‖a‖²', () => {
    const a = [1, 2, 3];
    const B = { rows: 3, cols: 3, data: Float64Array.of(...a, ...a, ...a.map((v) => 2 * v)) };
    const beta = minNormInterpolant(B, [0.7, 0.7, 1.4]).beta;
    expect(
      relErr(
        beta,
        a.map((v) => (v * 0.7) / 14),
      ),
    ).toBeLessThan(1e-15);
    const full = minNormInterpolant(Xdup, ydup).beta;
    expect(Array.from(full)).toEqual(Array.from(minNormInterpolant(X, y).beta));
  });

  test('weighted ℓ2 and ℓ1 interpolants equal those of the deduplicated data', async () => {
    const w = randomVector(33, 7).map((v) => 1 + Math.abs(v));
    const l2 = weightedL2Interpolant({ A: Xdup, y: ydup, weights: w });
    expect(Array.from(l2.rho)).toEqual(
      Array.from(weightedL2Interpolant({ A: X, y, weights: w }).rho),
    );
    const l1 = await weightedL1Interpolant({ A: Xdup, y: ydup });
    const ref = await weightedL1Interpolant({ A: X, y });
    expect(Array.from(l1.rho)).toEqual(Array.from(ref.rho));
    expect(l1.status).toBe('converged');
    // dropped rows carry multiplier 0, so the dual certificate is unchanged
    expect(Array.from(l1.dual)).toEqual([...ref.dual, 0, 0]);
  });

  test('network level: diagonal, fully connected and convolution predictions ignore duplicates', () => {
    const cases = [
      diagonal({ dim: 7, depth: 3 }),
      fullyConnected({ inputDim: 7, hidden: [4] }),
      convolutional({ dim: 7, depth: 2 }),
    ];
    for (const net of cases) {
      const full = predictRegression(net, { X: Xdup, y: ydup }, { alpha: 0.5 });
      const dedup = predictRegression(net, { X, y }, { alpha: 0.5 });
      if ('notSupported' in full || 'notSupported' in dedup) throw new Error('supported');
      expect(Array.from(full.beta)).toEqual(Array.from(dedup.beta));
    }
  });

  test('X = 0 with y = 0: every ρ interpolates and the prediction is 0 (Q is least at 0)', async () => {
    const Z = { rows: 2, cols: 4, data: new Float64Array(8) };
    const q = predictRegressionQ({ A: Z, y: [0, 0], L: 3, alpha: 1 });
    expect([Array.from(q.rho), q.status]).toEqual([[0, 0, 0, 0], 'converged']);
    expect(Array.from(minNormInterpolant(Z, [0, 0]).beta)).toEqual([0, 0, 0, 0]);
    expect(Array.from((await weightedL1Interpolant({ A: Z, y: [0, 0] })).rho)).toEqual([
      0, 0, 0, 0,
    ]);
    const p = predictRegressionFourierQ({ X: Z, y: [0, 0], L: 2, alpha: 1 });
    expect(Array.from(p.beta)).toEqual([0, 0, 0, 0]);
  });
});

describe('data no interpolant fits: INVALID_DATA naming the cause and the field', () => {
  // duplicate rows 1 and 3 with different targets: rank X = 3 < rank [X y] = 4
  const Xbad = rows(X, [0, 1, 2, 1]);
  const ybad = Float64Array.of(y[0]!, y[1]!, y[2]!, y[1]! + 1);

  test('duplicate samples with different targets name the rows, y and the ranks', async () => {
    const errs = [
      await thrown(() => predictRegressionQ({ A: Xbad, y: ybad, L: 2, alpha: 1 })),
      await thrown(() => minNormInterpolant(Xbad, ybad)),
      await thrown(() => weightedL2Interpolant({ A: Xbad, y: ybad })),
      await thrown(() => weightedL1Interpolant({ A: Xbad, y: ybad })),
    ];
    for (const e of errs) {
      expect([e.code, e.path]).toEqual(['INVALID_DATA', 'y']);
      expect(e.message).toMatch(/no interpolating solution exists: the data are inconsistent/);
      expect(e.message).toMatch(/rows 1 and 3 of (A|X) are equal but y\[1\] = .* and y\[3\] = /);
      expect(e.message).toMatch(/rank of (A|X) = 3 < rank of \[(A|X) y\] = 4/);
      expect(e.message).not.toMatch(/linearly dependent/);
    }
  });

  test('a row that is a combination of others with another target is inconsistent too', async () => {
    const C = rows(X, [0, 1, 0]);
    // row 2 = row 0 + row 1, target off by 0.5
    C.data.subarray(14, 21).forEach((_, j, a) => (a[j] = X.data[j]! + X.data[7 + j]!));
    const e = await thrown(() => minNormInterpolant(C, [y[0]!, y[1]!, y[0]! + y[1]! + 0.5]));
    expect([e.code, e.path]).toEqual(['INVALID_DATA', 'y']);
    expect(e.message).toMatch(/row 2 of X is a linear combination of other rows/);
  });

  test('X = 0 with y ≠ 0 says X is zero', async () => {
    const Z = { rows: 2, cols: 4, data: new Float64Array(8) };
    const e = await thrown(() => predictRegressionQ({ A: Z, y: [0, 1], L: 2, alpha: 1 }));
    expect([e.code, e.path]).toEqual(['INVALID_DATA', 'A']);
    expect(e.message).toMatch(/A is zero \(every prediction is 0\) but y\[1\] = 1/);
  });

  test('network level names X and y, not the transformed system A', async () => {
    for (const net of [
      diagonal({ dim: 7, depth: 2 }),
      fullyConnected({ inputDim: 7, hidden: [] }),
      convolutional({ dim: 7, depth: 2 }),
    ]) {
      const e = await thrown(() => predictRegression(net, { X: Xbad, y: ybad }, { alpha: 1 }));
      expect([e.code, e.path]).toEqual(['INVALID_DATA', 'y']);
      expect(e.message).toMatch(/rows 1 and 3 of X are equal/);
      const zero = { rows: 3, cols: 7, data: new Float64Array(21) };
      const z = await thrown(() => predictRegression(net, { X: zero, y }, { alpha: 1 }));
      expect([z.code, z.path]).toEqual(['INVALID_DATA', 'X']);
      expect(z.message).toMatch(/X is zero/);
    }
  });
});

import { fullyConnected } from '@implicit-bias/networks';
import { singularTupleResidual } from './singular-tuple.js';
import { randomVector } from '../oracles.test.helpers.js';

/** Two-layer fully-connected data tensor, f(x) = xᵀ W w: M(x)[(a,b), c] = x_a 1[b = c] (docs/theory/tensor-formulation.md). */
const fc2 = (d: number, h: number) => (u: Float64Array) => {
  const data = new Float64Array(d * h * h);
  for (let a = 0; a < d; a++) for (let b = 0; b < h; b++) data[(a * h + b) * h + b] = u[a]!;
  return { shape: [d * h, h], data };
};

/** Depth-3 diagonal data tensor: superdiagonal M(x)[j,j,j] = x_j. */
const diag3 = (d: number) => (u: Float64Array) => {
  const data = new Float64Array(d * d * d);
  for (let j = 0; j < d; j++) data[(j * d + j) * d + j] = u[j]!;
  return { shape: [d, d, d], data };
};

describe('singularTupleResidual', () => {
  test('fully connected L=2: rank-one aligned W = u wᵀ, last layer w is a singular tuple (closed form, theory §4.1)', () => {
    const d = 4;
    const h = 3;
    const u = randomVector(1, d);
    const w = randomVector(2, h);
    const W = new Float64Array(d * h);
    for (let a = 0; a < d; a++) for (let b = 0; b < h; b++) W[a * h + b] = 2 * u[a]! * w[b]!;
    const r = singularTupleResidual({ dataTensor: fc2(d, h), params: [W, w], u });
    expect(r.residual).toBeLessThan(1e-15);
    // λ = M(u)·(v̂_1, v̂_2) = ‖u‖ for W ∝ u wᵀ (closed form)
    const nu = Math.hypot(...u);
    expect(Math.abs(r.singularValue - nu) / nu).toBeLessThan(1e-14);
    const Wp = W.map((v, k) => v + 0.05 * Math.sin(k + 1));
    expect(
      singularTupleResidual({ dataTensor: fc2(d, h), params: [Wp, w], u }).residual,
    ).toBeGreaterThan(1e-4);
  });
  test('diagonal L=3: e_j in every layer with u_j > 0 is a singular tuple; u_j < 0 is not (closed form)', () => {
    const u = new Float64Array([0.3, -2, 1.5]);
    const e = (j: number) => Float64Array.from({ length: 3 }, (_, k) => (k === j ? 1 : 0));
    const ok = singularTupleResidual({ dataTensor: diag3(3), params: [e(2), e(2), e(2)], u });
    expect(ok.residual).toBe(0);
    expect(ok.singularValue).toBe(1.5);
    expect(
      singularTupleResidual({ dataTensor: diag3(3), params: [e(1), e(1), e(1)], u }).residual,
    ).toBe(2);
  });
  test('shape mismatch is rejected naming the layer', () => {
    expect(() =>
      singularTupleResidual({
        dataTensor: diag3(3),
        params: [new Float64Array(3), new Float64Array(2), new Float64Array(3)],
        u: new Float64Array(3),
      }),
    ).toThrow(/params\[1\]/);
  });
});

describe('singularTupleResidual on @implicit-bias/networks data tensors', () => {
  test('fully connected L=3 (widths 4, 3, 2): rank-one aligned layers are a singular tuple of M(u) (closed form, theory §4.1)', () => {
    const net = fullyConnected({ inputDim: 4, hidden: [3, 2] });
    const u = randomVector(7, 4);
    const a = randomVector(8, 3);
    const b = randomVector(9, 2);
    // W_1 = u aᵀ, W_2 = a bᵀ, w_3 = b (row-major vec)
    const W1 = Float64Array.from({ length: 12 }, (_, k) => u[Math.floor(k / 3)]! * a[k % 3]!);
    const W2 = Float64Array.from({ length: 6 }, (_, k) => a[Math.floor(k / 2)]! * b[k % 2]!);
    const params = [W1, W2, Float64Array.from(b)];
    const r = singularTupleResidual({ dataTensor: (x) => net.dataTensor(x), params, u });
    expect(r.residual).toBeLessThan(1e-15);
    expect(r.singularValue).toBeGreaterThan(0);
    const bent = [W1, W2.map((v, k) => v + 0.1 * Math.cos(k)), Float64Array.from(b)];
    expect(
      singularTupleResidual({ dataTensor: (x) => net.dataTensor(x), params: bent, u }).residual,
    ).toBeGreaterThan(1e-4);
  });
});

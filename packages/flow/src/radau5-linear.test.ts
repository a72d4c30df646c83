import { luFactor, luSolve } from './lu.js';
import {
  RADAU_A,
  RADAU_TRANSFORM,
  complexShiftFactor,
  complexSolveInPlace,
  radauSplitFactor,
  radauSplitSolve,
  type DenseLu,
} from './radau5-linear.js';

// deterministic pseudo-random numbers (no test depends on Math.random)
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** The dense 3n×3n Newton matrix I − h·A⊗J (the oracle the split must reproduce). */
function dense(jac: Float64Array, dim: number, h: number): Float64Array {
  const n3 = 3 * dim;
  const m = new Float64Array(n3 * n3);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++)
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++)
          m[(a * dim + i) * n3 + b * dim + j] =
            (a === b && i === j ? 1 : 0) - h * RADAU_A[a]![b]! * jac[i * dim + j]!;
  return m;
}

describe('Radau IIA transformation (Hairer & Wanner II §IV.8)', () => {
  it('diagonalizes A⁻¹ to its real block form: A⁻¹·T = T·Λ to 1e-13', () => {
    // oracle: the defining identity, and the published eigenvalues of A⁻¹ (γ ≈ 3.6378, α ± iβ ≈ 2.6811 ± 3.0504i)
    const { gamma, alpha, beta, T, Tinv, Ainv } = RADAU_TRANSFORM;
    expect(gamma).toBeCloseTo(3.637834252744496, 12);
    expect(alpha).toBeCloseTo(2.681082873627752, 12);
    expect(beta).toBeCloseTo(3.050430199247411, 12);
    const L = [
      [gamma, 0, 0],
      [0, alpha, -beta],
      [0, beta, alpha],
    ];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let lhs = 0;
        let rhs = 0;
        let id = 0;
        for (let k = 0; k < 3; k++) {
          lhs += Ainv[i]![k]! * T[k]![j]!;
          rhs += T[i]![k]! * L[k]![j]!;
          id += T[i]![k]! * Tinv[k]![j]!;
        }
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
        expect(Math.abs(id - (i === j ? 1 : 0))).toBeLessThan(1e-13);
      }
  });

  it('complex LU solves (s·I − J)x = b: residual at the rounding level', () => {
    const r = rng(7);
    const n = 9;
    const J = Float64Array.from({ length: n * n }, r);
    const f = complexShiftFactor(J, n, 0.7, -1.3);
    const br = Float64Array.from({ length: n }, r);
    const bi = Float64Array.from({ length: n }, r);
    const xr = br.slice();
    const xi = bi.slice();
    complexSolveInPlace(f, xr, xi);
    // oracle: the residual (s I − J) x − b, computed directly in complex arithmetic
    for (let i = 0; i < n; i++) {
      let rr = 0.7 * xr[i]! + 1.3 * xi[i]!;
      let ri = 0.7 * xi[i]! - 1.3 * xr[i]!;
      for (let j = 0; j < n; j++) {
        rr -= J[i * n + j]! * xr[j]!;
        ri -= J[i * n + j]! * xi[j]!;
      }
      expect(Math.abs(rr - br[i]!)).toBeLessThan(1e-13);
      expect(Math.abs(ri - bi[i]!)).toBeLessThan(1e-13);
    }
  });

  it.each([
    [1, 0.1],
    [4, 1e-3],
    [12, 0.5],
    [12, 50],
  ])('split solve of (I − hA⊗J)ΔZ = R equals the dense 3n×3n LU solve (dim %i, h %f)', (dim, h) => {
    const r = rng(dim * 31 + Math.round(h * 1000));
    // a stiff-ish Jacobian: negative definite part plus a random rotation part
    const J = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++)
      for (let j = 0; j < dim; j++) J[i * dim + j] = r() + (i === j ? -5 * (i + 1) : 0);
    const rhs = Float64Array.from({ length: 3 * dim }, r);
    const want = luSolve(luFactor(dense(J, dim, h), 3 * dim), rhs);
    const f = radauSplitFactor(J, dim, h);
    expect(f.ok).toBe(true);
    const got = radauSplitSolve(f, rhs);
    // oracle: the dense LU (partial pivoting, backward stable); both carry ~κ·ε error
    const scale = Math.max(...want.map(Math.abs));
    for (let i = 0; i < 3 * dim; i++)
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-11 * scale);
  });
});

describe('radauSplitFactor with a DenseLu provider', () => {
  // oracle: the factors radauSplitFactor makes with flow's own functions (a provider that
  // delegates to them must give the same; one that declines must leave the factoring to flow)
  const r = rng(11);
  const dim = 6;
  const J = Float64Array.from({ length: dim * dim }, r);
  const plain = radauSplitFactor(J, dim, 0.3);

  it('uses the provider for both factorizations', () => {
    const calls: string[] = [];
    const lu: DenseLu = {
      real: (a, n) => (calls.push('real'), luFactor(a, n)),
      complexShift: (j, n, sr, si) => (calls.push('complex'), complexShiftFactor(j, n, sr, si)),
    };
    const f = radauSplitFactor(J, dim, 0.3, lu);
    expect(calls).toEqual(['real', 'complex']);
    expect(f.real.lu).toEqual(plain.real.lu);
    expect(f.complex.re).toEqual(plain.complex.re);
    expect(f.complex.im).toEqual(plain.complex.im);
  });

  it('falls back to flow when the provider declines', () => {
    const lu: DenseLu = { real: () => undefined, complexShift: () => undefined };
    const f = radauSplitFactor(Array.from(J), dim, 0.3, lu);
    expect(f.ok).toBe(true);
    expect(f.real.lu).toEqual(plain.real.lu);
    expect(f.complex.re).toEqual(plain.complex.re);
  });
});

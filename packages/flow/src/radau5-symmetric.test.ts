import type { VectorField } from '@implicit-bias/core';
import { complexShiftFactor, complexSolveInPlace } from './complex-lu.js';
import { integrate } from './integrate.js';
import { luSolve } from './lu.js';
import { radauSplitFactor, radauSplitSolve, type DenseLu } from './radau5-linear.js';
import {
  radauSymmetricFactor,
  radauSymmetricRealSolve,
  radauSymmetricSolve,
  shiftedTridiagonalLu,
  shiftedTridiagonalSolve,
  symmetricTridiagonal,
  type SymmetricTridiagonal,
} from './radau5-symmetric.js';
import { linearOde } from './testing/linear-ode.js';

// deterministic pseudo-random numbers (no test depends on Math.random)
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** A random symmetric n×n matrix (indefinite), entries of size 1 with a spread-out diagonal. */
function symmetric(n: number, seed: number, spread = 1): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = r() + (i === j ? spread * r() * n : 0);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  return a;
}

/** max |Q·T·Qᵀ − A| and max |QᵀQ − I| (the oracle: the decomposition's defining identities). */
function residuals(t: SymmetricTridiagonal, a: Float64Array): { rec: number; orth: number } {
  const { n, d, e, q } = t;
  const tq = new Float64Array(n * n); // T·Qᵀ
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = d[i]! * q[j * n + i]!;
      if (i > 0) s += e[i - 1]! * q[j * n + i - 1]!;
      if (i + 1 < n) s += e[i]! * q[j * n + i + 1]!;
      tq[i * n + j] = s;
    }
  let rec = 0;
  let orth = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let o = 0;
      for (let k = 0; k < n; k++) {
        s += q[i * n + k]! * tq[k * n + j]!;
        o += q[k * n + i]! * q[k * n + j]!;
      }
      rec = Math.max(rec, Math.abs(s - a[i * n + j]!));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
  return { rec, orth };
}

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

describe('symmetricTridiagonal (Householder, Golub & Van Loan §8.3.1)', () => {
  it.each([1, 2, 3, 7, 40])('n = %i: Q·T·Qᵀ = A and QᵀQ = I to a few ulps of ‖A‖', (n) => {
    const a = symmetric(n, 11 + n);
    const t = symmetricTridiagonal(a, n);
    expect(t.ok).toBe(true);
    const { rec, orth } = residuals(t, a);
    // backward stable: O(n·ε·‖A‖)
    expect(rec).toBeLessThanOrEqual(8 * n * 2.2e-16 * maxAbs(a));
    expect(orth).toBeLessThanOrEqual(8 * n * 2.2e-16);
  });

  it('reads only the lower triangle, and leaves an already tridiagonal matrix with Q = I', () => {
    const n = 6;
    const a = symmetric(n, 3);
    const lower = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lower[i * n + j] = 99;
    const t1 = symmetricTridiagonal(a, n);
    const t2 = symmetricTridiagonal(lower, n);
    expect(Array.from(t2.d)).toEqual(Array.from(t1.d));
    expect(Array.from(t2.q)).toEqual(Array.from(t1.q));
    const tri = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      tri[i * n + i] = i + 1;
      if (i + 1 < n) tri[(i + 1) * n + i] = tri[i * n + i + 1] = 0.5;
    }
    const t = symmetricTridiagonal(tri, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(t.q[i * n + j]).toBe(i === j ? 1 : 0);
    expect(Array.from(t.d)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('flags a non-finite entry', () => {
    const a = symmetric(4, 5);
    a[9] = NaN;
    expect(symmetricTridiagonal(a, 4).ok).toBe(false);
  });
});

describe('shiftedTridiagonalLu (LAPACK xGTTRF/xGTTRS with partial pivoting)', () => {
  it('solves (σ·I − T)x = b like a dense complex LU, with and without row interchanges', () => {
    // oracle: the dense complex LU of the same matrix (complex-lu.ts)
    const n = 30;
    const a = symmetric(n, 7, 0.2);
    const t = symmetricTridiagonal(a, n);
    const dense = new Float64Array(n * n); // T
    for (let i = 0; i < n; i++) {
      dense[i * n + i] = t.d[i]!;
      if (i + 1 < n) dense[(i + 1) * n + i] = dense[i * n + i + 1] = t.e[i]!;
    }
    const r = rng(9);
    // a shift inside T's spectrum forces interchanges; a large one none
    for (const [sr, si] of [
      [0.01, 0],
      [0.3, 0.2],
      [50, 40],
    ] as const) {
      const f = shiftedTridiagonalLu(t, sr, si);
      expect(f.ok).toBe(true);
      const br = Float64Array.from({ length: n }, r);
      const bi = Float64Array.from({ length: n }, r);
      const xr = Float64Array.from(br);
      const xi = Float64Array.from(bi);
      shiftedTridiagonalSolve(f, xr, xi);
      const g = complexShiftFactor(dense, n, sr, si);
      const wr = Float64Array.from(br);
      const wi = Float64Array.from(bi);
      complexSolveInPlace(g, wr, wi);
      const scale = Math.max(maxAbs(wr), maxAbs(wi));
      for (let i = 0; i < n; i++) {
        expect(Math.abs(xr[i]! - wr[i]!)).toBeLessThanOrEqual(1e-10 * scale);
        expect(Math.abs(xi[i]! - wi[i]!)).toBeLessThanOrEqual(1e-10 * scale);
      }
    }
    expect(shiftedTridiagonalLu(t, 0.01, 0).swap.some((s) => s === 1)).toBe(true);
  });
});

describe('radau5 Newton solves with a symmetric Jacobian', () => {
  it('equal the dense split solves (real + complex LU) to 1e-11', () => {
    // oracle: radauSplitSolve and the real LU of the dense path, on the same J and h
    const n = 25;
    const jac = symmetric(n, 21, 3);
    const h = 0.05;
    const red = symmetricTridiagonal(jac, n);
    const sym = radauSymmetricFactor(red, h);
    const dense = radauSplitFactor(jac, n, h);
    const r = rng(4);
    const rhs = Float64Array.from({ length: 3 * n }, r);
    const want = radauSplitSolve(dense, rhs);
    const got = radauSymmetricSolve(sym, rhs);
    for (let i = 0; i < 3 * n; i++)
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-11 * maxAbs(want));
    const b = Float64Array.from({ length: n }, r);
    const wantReal = luSolve(dense.real, b);
    const gotReal = radauSymmetricRealSolve(sym, b);
    for (let i = 0; i < n; i++)
      expect(Math.abs(gotReal[i]! - wantReal[i]!)).toBeLessThanOrEqual(1e-11 * maxAbs(wantReal));
  });

  it('use a provider’s tridiagonalization and products when it has them', () => {
    const n = 12;
    const jac = symmetric(n, 8);
    const calls = { tri: 0, mul: 0 };
    const provider: DenseLu = {
      real: () => undefined,
      complexShift: () => undefined,
      tridiagonal: (a, m) => (calls.tri++, symmetricTridiagonal(a, m)),
      multiply: (q, m, v, count, transpose, out) => {
        calls.mul++;
        for (let c = 0; c < count; c++)
          for (let i = 0; i < m; i++) {
            let s = 0;
            for (let j = 0; j < m; j++)
              s += (transpose ? q[j * m + i]! : q[i * m + j]!) * v[c * m + j]!;
            out[c * m + i] = s;
          }
        return true;
      },
    };
    const f = radauSymmetricFactor(symmetricTridiagonal(jac, n, provider), 0.1, provider);
    const rhs = Float64Array.from({ length: 3 * n }, rng(2));
    const want = radauSymmetricSolve(radauSymmetricFactor(symmetricTridiagonal(jac, n), 0.1), rhs);
    const got = radauSymmetricSolve(f, rhs);
    for (let i = 0; i < 3 * n; i++)
      expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-12 * maxAbs(want));
    expect(calls).toEqual({ tri: 1, mul: 2 });
  });

  it('radau5 on a stiff symmetric linear ODE matches exp(−tA)·v0 and reduces each Jacobian once', () => {
    // oracle: the closed form of testing/linear-ode.ts (b_k = 0: A = Q·diag(a_k)·Qᵀ symmetric,
    // eigenvalues from 0.5 to 2·10⁴)
    const ode = linearOde([
      [0.5, 0],
      [3, 0],
      [40, 0],
      [600, 0],
      [2e4, 0],
    ]);
    const dim = ode.field.dim;
    const e = ode.field.evaluate(
      new Float64Array(dim * dim).map((_, k) => (k % (dim + 1) === 0 ? 1 : 0)),
      dim,
    );
    // J = −A: column j of J is F(e_j), A symmetric so the rows are the columns
    const jac = Float64Array.from(e);
    let reductions = 0;
    const provider: DenseLu = {
      real: () => undefined,
      complexShift: () => undefined,
      tridiagonal: (a, m) => (reductions++, symmetricTridiagonal(a, m)),
    };
    const field = (symmetricJacobian: boolean): VectorField => ({
      ...ode.field,
      symmetricJacobian,
      jacobian: (_y, rows) => {
        const out = new Float64Array(rows * dim * dim);
        for (let r = 0; r < rows; r++) out.set(jac, r * dim * dim);
        return out;
      },
    });
    const v0 = Float64Array.from({ length: dim }, (_, i) => 1 - 0.1 * i);
    const opts = { method: 'radau5', tEnd: 3, rtol: 1e-9, atol: 1e-12, lu: provider } as const;
    const sym = integrate(field(true), [v0], opts);
    const gen = integrate(field(false), [v0], opts);
    const want = ode.exact(v0, 3);
    expect(sym.status[0]).toBe('ok');
    for (let i = 0; i < dim; i++) {
      expect(Math.abs(sym.y[0]![i]! - want[i]!)).toBeLessThanOrEqual(1e-7 * maxAbs(want));
      expect(Math.abs(sym.y[0]![i]! - gen.y[0]![i]!)).toBeLessThanOrEqual(1e-7 * maxAbs(want));
    }
    // J is constant: one Jacobian, reduced again only by attempts rejected before the first
    // accepted step (a rejected attempt keeps no state), however often h changed after it
    const st = sym.stats[0]!;
    expect(st.jacobianEvals).toBe(1);
    expect(st.accepted).toBeGreaterThan(5);
    expect(reductions).toBeLessThanOrEqual(1 + st.rejected);
    expect(reductions).toBeLessThan(st.accepted);
  });
});

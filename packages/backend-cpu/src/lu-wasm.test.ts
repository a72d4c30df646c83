import { cpuDenseLu } from './lu-wasm.js';
import type { CpuComplexLuFactors, CpuDenseLu, CpuLuFactors } from './lu-wasm.js';
import { kernelModule } from './wasm-module.js';

// Oracle: the defining identity P·A = L·U, checked entry by entry against the backward-error bound
// of Gaussian elimination with partial pivoting, |P·A − L·U| ≤ γ_n·(|L|·|U|) (Higham, Accuracy
// and Stability of Numerical Algorithms, Thm 9.3), γ_n = n·u/(1 − n·u), u = 2⁻⁵³; and the
// pivoting rule itself (|l_ij| ≤ 1 for real matrices; for complex ones |a|₁ ≤ |p|₁ bounds the
// multiplier's modulus by √2, since |z| ≤ |z|₁ ≤ √2·|z|). flow's JavaScript factorizations,
// which these equal bit for bit, are compared in @implicit-bias/experiments (host-lu.test.ts).

const wasm = typeof kernelModule() !== 'string';
const describeWasm = wasm ? describe : describe.skip;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

// γ_n; the checks allow 4·γ_n, for the extra roundings of complex products and sums
const gamma = (n: number): number => (n * 2 ** -53) / (1 - n * 2 ** -53);

/** Max over entries of |P·A − L·U| / (γ_n·(|L|·|U|) + tiny), for complex data (im may be zeros). */
function residualRatio(
  ar: Float64Array,
  ai: Float64Array,
  lr: Float64Array,
  li: Float64Array,
  piv: Int32Array,
  n: number,
): number {
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      let bound = 0;
      for (let k = 0; k <= Math.min(i, j); k++) {
        const xr = k === i ? 1 : lr[i * n + k]!;
        const xi = k === i ? 0 : li[i * n + k]!;
        const yr = lr[k * n + j]!;
        const yi = li[k * n + j]!;
        sr += xr * yr - xi * yi;
        si += xr * yi + xi * yr;
        bound += Math.hypot(xr, xi) * Math.hypot(yr, yi);
      }
      const p = piv[i]! * n + j;
      const err = Math.hypot(ar[p]! - sr, ai[p]! - si);
      worst = Math.max(worst, err / (4 * gamma(n) * bound + Number.MIN_VALUE));
    }
  return worst;
}

function isPermutation(p: Int32Array, n: number): boolean {
  return p.length === n && [...p].sort((a, b) => a - b).every((v, i) => v === i);
}

describeWasm('cpuDenseLu (WebAssembly SIMD LU; oracle: P·A = L·U within γ_n·|L|·|U|)', () => {
  const lu = cpuDenseLu('wasm') as CpuDenseLu;

  it.each([1, 2, 3, 7, 16, 33, 100])('real n = %i: reconstructs P·A, multipliers ≤ 1', (n) => {
    const r = rng(n);
    const a = Float64Array.from({ length: n * n }, r);
    const copy = a.slice();
    const f = lu.real(a, n) as CpuLuFactors;
    expect(a).toEqual(copy); // not modified
    expect(f.ok).toBe(true);
    expect(isPermutation(f.pivots, n)).toBe(true);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) expect(Math.abs(f.lu[i * n + j]!)).toBeLessThanOrEqual(1);
    const zeros = new Float64Array(n * n);
    expect(residualRatio(a, zeros, f.lu, zeros, f.pivots, n)).toBeLessThanOrEqual(1);
  });

  it.each([1, 2, 5, 16, 31, 100])(
    'complex shift n = %i: reconstructs P·(s·I − J), |l| ≤ √2',
    (n) => {
      const r = rng(100 + n);
      const jac = Float64Array.from({ length: n * n }, r);
      const [sr, si] = [0.7, -1.3];
      const f = lu.complexShift(jac, n, sr, si) as CpuComplexLuFactors;
      expect(f.ok).toBe(true);
      expect(isPermutation(f.pivots, n)).toBe(true);
      const ar = jac.map((v) => -v);
      const ai = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        ar[i * n + i] = ar[i * n + i]! + sr;
        ai[i * n + i] = si;
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++)
          expect(Math.hypot(f.re[i * n + j]!, f.im[i * n + j]!)).toBeLessThanOrEqual(
            Math.SQRT2 * (1 + 1e-15),
          );
      expect(residualRatio(ar, ai, f.re, f.im, f.pivots, n)).toBeLessThanOrEqual(1);
    },
  );

  it('flags singular and non-finite matrices (ok false), as flow does', () => {
    // rank one: the second pivot is exactly zero
    expect(lu.real(Float64Array.from([1, 2, 2, 4]), 2)!.ok).toBe(false);
    // a zero column
    expect(lu.real(Float64Array.from([0, 1, 0, 2]), 2)!.ok).toBe(false);
    expect(lu.real(Float64Array.from([1, NaN, 2, 3]), 2)!.ok).toBe(false);
    expect(lu.real(Float64Array.from([Infinity, 0, 0, 1]), 2)!.ok).toBe(false);
    // s·I − J = 0
    expect(lu.complexShift(Float64Array.from([2, 0, 0, 2]), 2, 2, 0)!.ok).toBe(false);
    expect(lu.complexShift(Float64Array.from([NaN, 0, 0, 1]), 2, 1, 1)!.ok).toBe(false);
    expect(lu.complexShift(Float64Array.from([0, 0, 0, 0]), 2, 0, Infinity)!.ok).toBe(false);
  });

  it('pivots on the first largest entry (|re| + |im| for complex)', () => {
    // column 0 is (1, −3, 3): the first of the two largest, row 1, is the pivot
    const f = lu.real(Float64Array.from([1, 0, 0, -3, 1, 0, 3, 0, 1]), 3)!;
    expect(f.pivots[0]).toBe(1);
    // −J's column 0 with shift 0 + 2i on the diagonal: |−1| + |2| = 3 beats |2.5|
    const c = lu.complexShift(Float64Array.from([1, 0, -2.5, 1]), 2, 0, 2)!;
    expect(c.pivots[0]).toBe(0);
  });

  it('reads only the first n² entries of a longer array', () => {
    const a = Float64Array.from([4, 1, 2, 3, 99, 99]);
    expect(lu.real(a, 2)!.lu).toEqual(lu.real(a.slice(0, 4), 2)!.lu);
    expect(() => lu.real(a, 3)).toThrow(RangeError);
  });
});

describe('cpuDenseLu kernel path', () => {
  it("is undefined for 'js' (the caller keeps its JavaScript LU)", () => {
    expect(cpuDenseLu('js')).toBeUndefined();
  });
  it("is defined for 'auto' exactly where WebAssembly SIMD runs", () => {
    expect(cpuDenseLu('auto') !== undefined).toBe(wasm);
  });
});

import { luFactor, luSolve } from './lu.js';

describe('luFactor / luSolve (residual oracle)', () => {
  it('solves a random 7x7 system to a residual near machine precision', () => {
    const n = 7;
    let seed = 3;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const a = Float64Array.from({ length: n * n }, rnd);
    const x = Float64Array.from({ length: n }, rnd);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] = b[i]! + a[i * n + j]! * x[j]!;
    const f = luFactor(a, n);
    expect(f.ok).toBe(true);
    const got = luSolve(f, b);
    for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - x[i]!)).toBeLessThan(1e-12);
  });
  it('needs pivoting: a zero leading entry is handled', () => {
    const f = luFactor([0, 1, 1, 0], 2);
    expect(Array.from(luSolve(f, [2, 3]))).toEqual([3, 2]);
  });
  it('flags a singular matrix', () => {
    expect(luFactor([1, 2, 2, 4], 2).ok).toBe(false);
  });
});

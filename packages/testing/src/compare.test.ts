import { EPSILON, tolerance } from '@implicit-bias/core';
import { assertClose, worstMismatch } from './compare.js';

describe('worstMismatch (hand-computed ratios)', () => {
  const tol = { rtol: 1e-6, atol: 1e-9 };
  it('accepts entries within atol + rtol·|expected|', () => {
    expect(worstMismatch([1 + 9e-7, 0], [1, 5e-10], tol)).toBeUndefined();
  });
  it('reports the worst entry with its ratio', () => {
    const m = worstMismatch([1, 2.00001, 3.1], [1, 2, 3], tol);
    expect(m?.index).toBe(2);
    expect(m!.ratio).toBeCloseTo(0.1 / (1e-9 + 3e-6), 0);
  });
  it('a scale widens the bound for cancelling sums', () => {
    expect(worstMismatch([1e-7], [0], tol)).toBeDefined();
    expect(worstMismatch([1e-7], [0], tol, [1])).toBeUndefined();
  });
  it('non-finite values must match exactly', () => {
    expect(worstMismatch([NaN], [NaN], tol)).toBeUndefined();
    expect(worstMismatch([Infinity], [Infinity], tol)).toBeUndefined();
    expect(worstMismatch([NaN], [1], tol)?.ratio).toBe(Infinity);
    expect(worstMismatch([1], [Infinity], tol)?.ratio).toBe(Infinity);
    expect(worstMismatch([1, 2], [1], tol)?.index).toBe(1);
  });
  it('assertClose names the label, entry and tolerance', () => {
    const t = tolerance('float64', 4);
    expect(t.rtol).toBe(32 * EPSILON.float64);
    expect(() =>
      assertClose(
        'sum',
        { shape: [2], data: Float64Array.of(1, 2.5) },
        { shape: [2], data: Float64Array.of(1, 2) },
        t,
      ),
    ).toThrow(/^sum: entry 1 is 2.5, expected 2 \(error .*× the tolerance rtol=7.11e-15/);
    expect(() =>
      assertClose(
        'sum',
        { shape: [2], data: Float64Array.of(1, 2) },
        { shape: [1, 2], data: Float64Array.of(1, 2) },
        t,
      ),
    ).toThrow('sum: shape [2], expected [1,2]');
  });
});

import { dot, norm2 } from '@implicit-bias/core';
import { soudry2018 } from './soudry2018.js';

describe('soudry2018', () => {
  it('starts with the four published support vectors', () => {
    const ds = soudry2018({ extra: 0 });
    expect(Array.from(ds.X.data)).toEqual([0.5, 1.5, 1.5, 0.5, -0.5, -1.5, -1.5, -0.5]);
    expect(Array.from(ds.y)).toEqual([1, 1, -1, -1]);
    expect(ds.meta).toMatchObject({ n: 4, d: 2 });
  });

  it('has (1, 1)/√2 as its L2 max-margin direction with margin √2', () => {
    // oracle: hard-margin SVM KKT conditions: w ∝ Σ α_i y_i x_i with α ≥ 0 supported
    // on points at the minimum margin, and every point has margin ≥ that minimum.
    const ds = soudry2018();
    expect(ds.meta.n).toBe(16);
    const w = ds.meta.planted!.beta!;
    expect(Math.abs(norm2(w) - 1)).toBeLessThan(1e-15);
    const margins = Array.from(
      { length: 16 },
      (_, i) => ds.y[i]! * dot(w, ds.X.data.subarray(2 * i, 2 * i + 2)),
    );
    for (let i = 0; i < 4; i++) expect(margins[i]).toBeCloseTo(Math.SQRT2, 15);
    for (let i = 4; i < 16; i++) expect(margins[i]).toBeGreaterThan(Math.SQRT2 + 0.5);
    // α = (1, 1) on x1, x2: y1 x1 + y2 x2 = (2, 2) ∥ w with positive coefficient
    const comb = [0.5 + 1.5, 1.5 + 0.5];
    const nc = Math.hypot(comb[0]!, comb[1]!);
    expect(Math.abs(comb[0]! / nc - w[0]!)).toBeLessThan(1e-15);
    expect(Math.abs(comb[1]! / nc - w[1]!)).toBeLessThan(1e-15);
    expect(ds.meta.planted!.margin).toBe(Math.SQRT2);
    const pos = Array.from(ds.y).filter((v) => v === 1).length;
    expect(pos).toBe(8);
  });

  it('is reproducible and its extra points depend on the seed', () => {
    const a = soudry2018({ seed: 1 });
    const b = soudry2018({ seed: 1 });
    const c = soudry2018({ seed: 2 });
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(b.X.data.buffer))).toBe(true);
    expect(Buffer.from(a.X.data.buffer).equals(Buffer.from(c.X.data.buffer))).toBe(false);
  });

  it('rejects a negative number of extra points', () => {
    expect(() => soudry2018({ extra: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', path: 'extra' }),
    );
  });
});

import { woodworthSparse } from './woodworth-sparse.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('woodworthSparse', () => {
  it('plants β* = 1/√k on k coordinates and y = Xβ*', () => {
    // oracle: the definition in Woodworth et al. 2020 (β*_i = 1/√k on the support)
    const ds = woodworthSparse({ n: 10, d: 40, k: 5, seed: 3 });
    const beta = ds.meta.planted!.beta!;
    expect(Array.from(beta.slice(0, 5))).toEqual(Array(5).fill(1 / Math.sqrt(5)));
    expect(Array.from(beta.slice(5))).toEqual(Array(35).fill(0));
    for (let i = 0; i < 10; i++) {
      let s = 0;
      for (let j = 0; j < 40; j++) s += ds.X.data[i * 40 + j]! * beta[j]!;
      expect(ds.y[i]).toBe(s);
    }
  });

  it('is byte-reproducible and seed-dependent', () => {
    const a = woodworthSparse({ n: 6, d: 12, k: 2, seed: 1, noise: 0.1 });
    const b = woodworthSparse({ n: 6, d: 12, k: 2, seed: 1, noise: 0.1 });
    const c = woodworthSparse({ n: 6, d: 12, k: 2, seed: 2, noise: 0.1 });
    expect(bytes(a.X.data).equals(bytes(b.X.data)) && bytes(a.y).equals(bytes(b.y))).toBe(true);
    expect(bytes(a.X.data).equals(bytes(c.X.data))).toBe(false);
  });

  it('rejects k > d naming k', () => {
    expect(() => woodworthSparse({ n: 2, d: 3, k: 4, seed: 0 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', path: 'k' }),
    );
  });
});

import { key, normal, split } from '@implicit-bias/core';
import { createCpuBackend } from './backend.js';

// Oracle: the invariant that rows never interact. A run computed alone and the same run as one
// row (or one batch item) of a larger product must round identically, whatever kernel path the
// sizes select, so that B runs advanced together equal B sequential runs bit for bit.
describe('products do not depend on how many rows or batch items they come with', () => {
  const be = createCpuBackend();
  // per-row work k·n below, at and above the WebAssembly threshold (256 multiply-adds)
  it.each([
    [4, 8],
    [16, 16],
    [100, 30],
    [1000, 3],
  ])(
    'k = %i, n = %i: row r of a [16, k]·[k, n] product equals the [1, k]·[k, n] product',
    (k, n) => {
      const [ka, kb] = split(key(k * 31 + n), 2);
      const A = normal(ka!, 16 * k);
      const B = normal(kb!, k * n);
      const b = be.fromHost(B, [k, n]);
      const all = be.toHostSync(be.matmul(be.fromHost(A, [16, k]), b));
      const bt = be.fromHost(B, [n, k]); // the same numbers read as n×k, for A·Bᵀ
      const allT = be.toHostSync(be.matmul(be.fromHost(A, [16, k]), bt, { transposeB: true }));
      const batched = be.toHostSync(be.matmul(be.fromHost(A, [16, 1, k]), b));
      for (let r = 0; r < 16; r++) {
        const row = be.fromHost(A.subarray(r * k, (r + 1) * k), [1, k]);
        const one = be.toHostSync(be.matmul(row, b));
        const oneT = be.toHostSync(be.matmul(row, bt, { transposeB: true }));
        expect(Array.from(all.subarray(r * n, (r + 1) * n))).toEqual(Array.from(one));
        expect(Array.from(batched.subarray(r * n, (r + 1) * n))).toEqual(Array.from(one));
        expect(Array.from(allT.subarray(r * n, (r + 1) * n))).toEqual(Array.from(oneT));
      }
    },
  );
});

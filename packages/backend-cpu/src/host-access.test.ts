import { key, normal, split } from '@implicit-bias/core';
import { createCpuBackend } from './backend.js';
import { jsKernels } from './kernels-js.js';
import { loadWasmKernels } from './kernels-wasm.js';
import type { CpuKernels } from './kernels-js.js';

const wasm = loadWasmKernels(0); // every product on the WebAssembly path, however small
const wasmDefault = loadWasmKernels();
if (typeof wasm === 'string' || typeof wasmDefault === 'string') throw new Error(wasm as string);

const bits = (a: Float64Array): number[] => Array.from(a);

// Oracle: the backend's own products. The host products of a fused evaluation claim the kernel
// and rounding of `β·Xᵀ` and `r·X` (so a fused field equals the generic one where the network's
// part rounds alike): equal bit for bit to `matmul` of the same operands, on every kernel path
// and on both sides of the WebAssembly threshold.
describe.each([
  ['wasm, every size', wasm],
  ['wasm, default threshold', wasmDefault],
  ['js', jsKernels],
] as [string, CpuKernels][])('host access on %s kernels', (_, kernels) => {
  const be = createCpuBackend({ kernels });
  it.each([
    [1, 1],
    [3, 5],
    [10, 25], // 250 multiply-adds: just under the default threshold
    [16, 16],
    [100, 37],
    [7, 1000],
  ])('m = %i, n = %i: gemv = β·Aᵀ and gemvT = r·A bit for bit', (m, n) => {
    const [ka, kx, ky] = split(key(m * 1000 + n), 3);
    const A = normal(ka!, m * n);
    const x = normal(kx!, n);
    const r = normal(ky!, m);
    const a = be.fromHost(A, [m, n]);
    const data = be.host.data(a);
    const y = new Float64Array(m + 1).fill(7); // one sentinel past the end
    be.host.gemv(data, x, m, n, y);
    const g = new Float64Array(n + 1).fill(7);
    be.host.gemvT(data, r, m, n, g);
    const f = be.toHostSync(be.matmul(be.fromHost(x, [1, n]), a, { transposeB: true }));
    const u = be.toHostSync(be.matmul(be.fromHost(r, [1, m]), a));
    expect(bits(y.subarray(0, m))).toEqual(bits(f));
    expect(bits(g.subarray(0, n))).toEqual(bits(u));
    expect([y[m], g[n]]).toEqual([7, 7]);
    // the allocating kernels are the same loops
    expect(bits(kernels.gemv(data, x, m, n))).toEqual(bits(f));
    expect(bits(kernels.gemvT(data, r, m, n))).toEqual(bits(u));
  });

  it('gemvT overwrites its output (no accumulation into stale entries)', () => {
    const a = be.host.data(be.fromHost([1, 2, 3, 4, 5, 6], [2, 3]));
    const g = Float64Array.of(100, 100, 100);
    be.host.gemvT(a, Float64Array.of(1, 1), 2, 3, g);
    expect(bits(g)).toEqual([5, 7, 9]); // closed form: column sums
  });
});

describe('host.data', () => {
  const be = createCpuBackend();
  it('gives the entries of an array without copying, and the kernel path', () => {
    const a = be.fromHost([1, 2, 3, 4], [2, 2]);
    expect(bits(be.host.data(a))).toEqual([1, 2, 3, 4]);
    expect(be.host.data(a)).toBe(be.host.data(a));
    expect(be.host.data(be.reshape(a, [4]))).toBe(be.host.data(a));
    expect(['wasm-simd', 'js']).toContain(be.host.path);
    expect(createCpuBackend({ kernels: 'js' }).host.path).toBe('js');
  });
  it('refuses disposed arrays and arrays of another backend like every op', () => {
    const a = be.fromHost([1, 2], [2]);
    const other = createCpuBackend().fromHost([1, 2], [2]);
    expect(() => be.host.data(other)).toThrow(/not created by this cpu backend/);
    be.dispose(a);
    expect(() => be.host.data(a)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

// Oracle: gemv/gemvT of each row alone (themselves `matmul`'s rounding, above). Batching rows
// must not change a row's kernel or summation order, so the comparison is bit for bit, for
// batch sizes that hit the odd-row and column-block paths of the kernels.
describe.each([
  ['wasm, every size', wasm],
  ['wasm, default threshold', wasmDefault],
  ['js', jsKernels],
] as [string, CpuKernels][])('batched host products on %s kernels', (_, kernels) => {
  const be = createCpuBackend({ kernels });
  it.each([
    [1, 3, 5],
    [2, 10, 25],
    [3, 16, 16],
    [5, 100, 37],
    [7, 7, 1000],
    [64, 30, 20],
    [9, 1100, 60], // more columns than one column block of gemmNN's batch path
  ])('rows = %i, m = %i, n = %i: gemm and gemmT rows equal gemv and gemvT', (rows, m, n) => {
    const [ka, kx, ky] = split(key(rows * 7919 + m * 1000 + n), 3);
    const data = be.host.data(be.fromHost(normal(ka!, m * n), [m, n]));
    const X = normal(kx!, rows * n);
    const R = normal(ky!, rows * m);
    const Y = new Float64Array(rows * m + 1).fill(7);
    const G = new Float64Array(rows * n + 1).fill(7);
    be.host.gemm(data, X, rows, m, n, Y);
    be.host.gemmT(data, R, rows, m, n, G);
    const y = new Float64Array(m);
    const g = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      be.host.gemv(data, X.subarray(r * n, (r + 1) * n), m, n, y);
      be.host.gemvT(data, R.subarray(r * m, (r + 1) * m), m, n, g);
      expect(bits(Y.subarray(r * m, (r + 1) * m))).toEqual(bits(y));
      expect(bits(G.subarray(r * n, (r + 1) * n))).toEqual(bits(g));
    }
    expect([Y[rows * m], G[rows * n]]).toEqual([7, 7]);
  });
});

// Regression: the vectors of host products are caller workspaces refilled between calls. Large
// ones (≥ 32 KiB) once became resident in the kernels' memory on their third use, so later
// products read the stale first contents. Oracle: closed form on A = [1 … 1] (one row) and
// x = c·1, y = c: every sum is exact.
it('a large caller workspace refilled between calls is never read stale', () => {
  const be = createCpuBackend({ kernels: wasm });
  const n = 5000; // 40 kB
  const a = be.host.data(be.fromHost(new Float64Array(n).fill(1), [1, n]));
  const x = new Float64Array(n);
  const y = new Float64Array(1);
  const g = new Float64Array(n);
  const rowY = Float64Array.of(0);
  for (let c = 1; c <= 6; c++) {
    x.fill(c);
    be.host.gemv(a, x, 1, n, y);
    expect(y[0]).toBe(c * n);
    be.host.gemm(a, x, 1, 1, n, y);
    expect(y[0]).toBe(c * n);
    rowY[0] = c;
    be.host.gemvT(a, rowY, 1, n, g);
    expect([g[0], g[n - 1]]).toEqual([c, c]);
  }
});

// Oracle: gemm, the subtraction and gemmT on the same kernels (bit for bit: the one-pass kernel
// sums every entry in their order), and each row alone (batch invariance). Sizes hit the tails
// of the four-row blocks (n mod 4), odd d, and rows that share one block.
describe.each([
  ['wasm, every size', wasm],
  ['wasm, default threshold', wasmDefault],
  ['js', jsKernels],
] as [string, CpuKernels][])('host.residualGradient on %s kernels', (_, kernels) => {
  const be = createCpuBackend({ kernels });
  it.each([
    [1, 1, 1],
    [1, 10, 100],
    [2, 7, 13],
    [3, 6, 5],
    [5, 100, 37],
    [64, 30, 20],
  ])(
    'rows = %i, n = %i, d = %i: equals gemm, y − f and gemmT, and each row alone',
    (rows, n, d) => {
      const [ka, kb, ky] = split(key(rows * 7919 + n * 1000 + d), 3);
      const X = be.host.data(be.fromHost(normal(ka!, n * d), [n, d]));
      const B = normal(kb!, rows * d);
      const y = normal(ky!, n);
      const F = new Float64Array(rows * n);
      const U0 = new Float64Array(rows * d);
      be.host.gemm(X, B, rows, n, d, F);
      const R0 = F.map((f, k) => y[k % n]! - f);
      be.host.gemmT(X, R0, rows, n, d, U0);
      const R = new Float64Array(rows * n + 1).fill(7);
      const U = new Float64Array(rows * d + 1).fill(7);
      for (let rep = 0; rep < 4; rep++) {
        // repeated: X becomes resident in the kernels' memory on its third use, whatever its size
        be.host.residualGradient(X, B, y, rows, n, d, R, U);
        expect(bits(R.subarray(0, rows * n))).toEqual(bits(R0));
        expect(bits(U.subarray(0, rows * d))).toEqual(bits(U0));
      }
      expect([R[rows * n], U[rows * d]]).toEqual([7, 7]);
      const r = new Float64Array(n);
      const g = new Float64Array(d);
      for (let q = 0; q < rows; q++) {
        be.host.residualGradient(X, B.subarray(q * d, (q + 1) * d), y, 1, n, d, r, g);
        expect(bits(g)).toEqual(bits(U0.subarray(q * d, (q + 1) * d)));
      }
    },
  );

  it('a resident small X is keyed by its array: another X of the same size gives its own result', () => {
    // closed form: X = c·[1 … 1] (1×4), b = 1, y = 0: r = −4c, u = −4c²·1, exact
    for (let c = 1; c <= 5; c++) {
      const X = be.host.data(be.fromHost(new Float64Array(4).fill(c), [1, 4]));
      const r = new Float64Array(1);
      const u = new Float64Array(4);
      for (let rep = 0; rep < 4; rep++) {
        be.host.residualGradient(X, new Float64Array(4).fill(1), Float64Array.of(0), 1, 1, 4, r, u);
        expect(r[0]).toBe(-4 * c);
        expect([...u]).toEqual([-4 * c * c, -4 * c * c, -4 * c * c, -4 * c * c]);
      }
    }
  });
});

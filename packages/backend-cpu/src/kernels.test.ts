import { matmulShape } from '@implicit-bias/backend';
import type { MatmulShape } from '@implicit-bias/backend';
import { jsKernels } from './kernels-js.js';
import type { CpuKernels } from './kernels-js.js';
import { loadWasmKernels } from './kernels-wasm.js';
import { random } from './random.test.helpers.js';

// Oracles: (1) closed forms on integer data, where every product and partial sum is an integer
// below 2^53 and so exact in any summation order: both paths must return the exact value;
// (2) the JavaScript loops on random data, within the forward error bound of a length-k sum:
// each path is within γ_k·Σ_p|a_p·b_p| of the exact value (γ_k = k·u/(1 − k·u), u = 2^-53),
// so the two differ by at most 2·γ_k·Σ_p|a_p·b_p| (they sum in different orders).

const u = 2 ** -53;
const gamma = (k: number): number => (k * u) / (1 - k * u);

const loaded = loadWasmKernels(0); // every call on the WebAssembly path, however small
if (typeof loaded === 'string') throw new Error(`WebAssembly SIMD kernels unavailable: ${loaded}`);
const wasm: CpuKernels = loaded;

/** Small integer entries in [-4, 4] with the same generator. */
const integers = (n: number, seed: number): Float64Array =>
  random(n, seed).map((x) => Math.round(4 * x));

/** Entry (i, p) of op(A) for the batch offset `ao`. */
const at = (
  a: Float64Array,
  ao: number,
  i: number,
  p: number,
  rows: number,
  cols: number,
  t: boolean,
) => (t ? a[ao + p * cols + i]! : a[ao + i * cols + p]!);

/** `Σ_p |op(A)_ip·op(B)_pj|` for every output entry: the scale of the error bound. */
function absProducts(a: Float64Array, b: Float64Array, s: MatmulShape, ta: boolean, tb: boolean) {
  const { batch, batchA, batchB, m, k, n } = s;
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = batchA === 1 ? 0 : t * m * k;
    const bo = batchB === 1 ? 0 : t * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const x = ta ? a[ao + p * m + i]! : a[ao + i * k + p]!;
          const y = tb ? b[bo + j * k + p]! : b[bo + p * n + j]!;
          acc += Math.abs(x * y);
        }
        out[t * m * n + i * n + j] = acc;
      }
  }
  return out;
}

/** Largest |x − y| / (2·γ_k·scale) over the entries: ≤ 1 when within the bound. */
function boundRatio(x: Float64Array, y: Float64Array, scale: Float64Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    if (d > 0) worst = Math.max(worst, d / (2 * gamma(k) * scale[i]!));
  }
  return worst;
}

// shapes with every remainder of the SIMD loops (k mod 8 and mod 4, odd n, single rows) and
// the matrix–vector products (n = 1) that take the dot-product kernel
const SIZES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [1, 7, 3],
  [3, 8, 5],
  [2, 13, 9],
  [5, 33, 17],
  [4, 100, 10],
  [17, 65, 31],
  [9, 37, 1],
  [200, 100, 1],
];

describe.each([
  [false, false],
  [true, false],
  [false, true],
  [true, true],
])('matmul with transposeA=%s, transposeB=%s', (ta, tb) => {
  const shapeOf = (m: number, k: number, n: number, batchA: number, batchB: number) => {
    const a = ta ? [k, m] : [m, k];
    const b = tb ? [n, k] : [k, n];
    return matmulShape(batchA ? [batchA, ...a] : a, batchB ? [batchB, ...b] : b, ta, tb);
  };

  it.each(SIZES)('m=%i k=%i n=%i: wasm agrees with js within 2·γ_k·Σ|a·b|', (m, k, n) => {
    for (const [bA, bB] of [
      [0, 0],
      [3, 3],
      [3, 0],
      [0, 3],
      [1, 3],
    ] as const) {
      const s = shapeOf(m, k, n, bA, bB);
      const a = random(s.batchA * m * k, 7 + m + k);
      const b = random(s.batchB * k * n, 11 + k * n);
      const x = wasm.matmul(a, b, s, ta, tb);
      const y = jsKernels.matmul(a, b, s, ta, tb);
      expect(x.length).toBe(s.batch * m * n);
      expect(boundRatio(x, y, absProducts(a, b, s, ta, tb), k)).toBeLessThanOrEqual(1);
    }
  });

  it('integer entries: both paths return the exact product (closed form by exact sums)', () => {
    const [m, k, n] = [6, 37, 11];
    const s = shapeOf(m, k, n, 2, 2);
    const a = integers(2 * m * k, 3);
    const b = integers(2 * k * n, 5);
    const exact = new Float64Array(2 * m * n);
    for (let t = 0; t < 2; t++)
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let p = 0; p < k; p++) {
            acc +=
              at(a, t * m * k, i, p, m, ta ? m : k, ta) * at(b, t * k * n, p, j, k, tb ? k : n, tb);
          }
          exact[t * m * n + i * n + j] = acc;
        }
    expect(Array.from(wasm.matmul(a, b, s, ta, tb))).toEqual(Array.from(exact));
    expect(Array.from(jsKernels.matmul(a, b, s, ta, tb))).toEqual(Array.from(exact));
  });
});

describe('gemv and gemvT', () => {
  it('A·x with A_ij = i + 1 and x_j = j is (i + 1)·n(n − 1)/2 exactly (closed form)', () => {
    const [m, n] = [9, 203];
    const a = new Float64Array(m * n).map((_, q) => Math.floor(q / n) + 1);
    const x = new Float64Array(n).map((_, j) => j);
    const expected = Array.from({ length: m }, (_, i) => ((i + 1) * n * (n - 1)) / 2);
    expect(Array.from(wasm.gemv(a, x, m, n))).toEqual(expected);
    expect(Array.from(jsKernels.gemv(a, x, m, n))).toEqual(expected);
  });

  it('Aᵀ·y with A_ij = j and y_i = 1 is m·j exactly (closed form)', () => {
    const [m, n] = [101, 13];
    const a = new Float64Array(m * n).map((_, q) => q % n);
    const y = new Float64Array(m).fill(1);
    const expected = Array.from({ length: n }, (_, j) => m * j);
    expect(Array.from(wasm.gemvT(a, y, m, n))).toEqual(expected);
    expect(Array.from(jsKernels.gemvT(a, y, m, n))).toEqual(expected);
  });

  it.each([
    [10, 100],
    [7, 31],
    [33, 200],
  ])('%i×%i random: wasm agrees with js within 2·γ_k·Σ|a·b|', (m, n) => {
    const a = random(m * n, m + n);
    const x = random(n, 5);
    const y = random(m, 6);
    const sv = absProducts(x, a, matmulShape([1, n], [m, n], false, true), false, true);
    expect(
      boundRatio(wasm.gemv(a, x, m, n), jsKernels.gemv(a, x, m, n), sv, n),
    ).toBeLessThanOrEqual(1);
    const st = absProducts(y, a, matmulShape([1, m], [m, n], false, false), false, false);
    expect(
      boundRatio(wasm.gemvT(a, y, m, n), jsKernels.gemvT(a, y, m, n), st, m),
    ).toBeLessThanOrEqual(1);
  });
});

describe('gram A·diag(w)·Aᵀ', () => {
  it('orthogonal rows (A = [I | 0]) give diag(w_1..w_n) exactly (closed form)', () => {
    const [n, d] = [5, 12];
    const a = new Float64Array(n * d);
    for (let i = 0; i < n; i++) a[i * d + i] = 1;
    const w = random(d, 9);
    const expected = new Float64Array(n * n);
    for (let i = 0; i < n; i++) expected[i * n + i] = w[i]!;
    expect(Array.from(wasm.gram(a, w, n, d))).toEqual(Array.from(expected));
    expect(Array.from(jsKernels.gram(a, w, n, d))).toEqual(Array.from(expected));
  });

  it('random A, positive w: symmetric, and wasm agrees with js within 2·γ_d·Σ|a·w·a|', () => {
    const [n, d] = [13, 67];
    const a = random(n * d, 21);
    const w = random(d, 22).map((x) => Math.abs(x) + 0.1);
    const g = wasm.gram(a, w, n, d);
    const scale = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < d; p++) acc += Math.abs(a[i * d + p]! * w[p]! * a[j * d + p]!);
        scale[i * n + j] = acc;
        expect(g[i * n + j]).toBe(g[j * n + i]);
      }
    // the products a_ip·w_p are rounded once more: d + 1 roundings per entry
    expect(boundRatio(g, jsKernels.gram(a, w, n, d), scale, d + 1)).toBeLessThanOrEqual(1);
  });
});

describe('element-wise mul', () => {
  it.each([0, 1, 2, 7, 1000])(
    'length %i: bitwise equal to js (one correctly rounded product)',
    (len) => {
      const a = random(len, 31);
      const b = random(len, 32);
      expect(Array.from(wasm.mul(a, b))).toEqual(Array.from(jsKernels.mul(a, b)));
    },
  );
});

describe('default thresholds', () => {
  it('small products take the JavaScript loops, large ones WebAssembly, with equal results', () => {
    const dflt = loadWasmKernels();
    if (typeof dflt === 'string') throw new Error(dflt);
    for (const [m, n] of [
      [2, 3],
      [64, 300],
    ] as const) {
      const a = integers(m * n, 1);
      const x = integers(n, 2);
      expect(Array.from(dflt.gemv(a, x, m, n))).toEqual(Array.from(jsKernels.gemv(a, x, m, n)));
    }
  });
});

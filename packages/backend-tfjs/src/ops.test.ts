import * as tf from '@tensorflow/tfjs-core';
import { key, maxViolation, normal, tolerance } from '@implicit-bias/core';
import type { Arr, Backend } from '@implicit-bias/backend';
import { tfjsCpuPlugin } from './index.js';

// Oracle for every test here: plain float64 loops on the host, fed with the float32-rounded
// inputs the backend actually holds; tolerances from float32 precision and the op count.

tf.env().set('IS_TEST', true); // silences tfjs's "install tfjs-node" hint

let be: Backend;
beforeAll(async () => {
  be = await tfjsCpuPlugin.create();
});
afterAll(async () => {
  await be.close();
});

const f32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(x, (v) => Math.fround(v));
const size = (s: readonly number[]): number => s.reduce((p, q) => p * q, 1);
function rand(seed: number, shape: readonly number[], scale = 1): [Arr, Float64Array] {
  const host = f32(normal(key(seed), size(shape), scale));
  return [be.fromHost(host, shape), host];
}
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
/** Host broadcast of `f` over two row-major arrays (NumPy rules). */
function broadcastRef(
  a: Float64Array,
  as: readonly number[],
  b: Float64Array,
  bs: readonly number[],
  f: (x: number, y: number) => number,
): Float64Array {
  const r = Math.max(as.length, bs.length);
  const pa = [...new Array<number>(r - as.length).fill(1), ...as];
  const pb = [...new Array<number>(r - bs.length).fill(1), ...bs];
  const out = pa.map((d, i) => Math.max(d, pb[i]!));
  const [sa, sb, so] = [strides(pa), strides(pb), strides(out)];
  const res = new Float64Array(size(out));
  for (let k = 0; k < res.length; k++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < r; d++) {
      const c = Math.floor(k / so[d]!) % out[d]!;
      if (pa[d] !== 1) ia += c * sa[d]!;
      if (pb[d] !== 1) ib += c * sb[d]!;
    }
    res[k] = f(a[ia]!, b[ib]!);
  }
  return res;
}
function expectClose(got: Float64Array, want: ArrayLike<number>, ops = 16): void {
  expect(got.length).toBe(want.length);
  expect(maxViolation(got, want, tolerance('float32', ops))).toBeLessThanOrEqual(1);
}

describe('element-wise ops against float64 loops', () => {
  const cases: [string, (a: Arr, b: Arr) => Arr, (x: number, y: number) => number][] = [
    ['add', (a, b) => be.add(a, b), (x, y) => x + y],
    ['sub', (a, b) => be.sub(a, b), (x, y) => x - y],
    ['mul', (a, b) => be.mul(a, b), (x, y) => x * y],
    ['div', (a, b) => be.div(a, b), (x, y) => x / y],
    ['maximum', (a, b) => be.maximum(a, b), (x, y) => Math.max(x, y)],
  ];
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[2, 3, 4], [4]],
    [
      [2, 1, 4],
      [1, 3, 1],
    ],
    [[5], [2, 1]],
  ];
  it.each(cases)('%s broadcasts NumPy-style', (_n, op, f) => {
    for (const [i, [as, bs]] of shapes.entries()) {
      const [a, ah] = rand(10 + i, as);
      const [b, bh] = rand(20 + i, bs);
      const c = op(a, b);
      const want = broadcastRef(ah, as, bh, bs, f);
      expect(size(c.shape)).toBe(want.length);
      expectClose(be.toHostSync(c), want, 2);
    }
  });
  it('unary ops, scalars and powers', () => {
    const [a, ah] = rand(1, [4, 5], 3);
    const pos = be.abs(a);
    const ph = ah.map(Math.abs);
    const check = (got: Arr, f: (x: number) => number, src = ah): void =>
      expectClose(be.toHostSync(got), src.map(f), 4);
    check(be.neg(a), (x) => -x);
    check(pos, Math.abs);
    check(be.sign(a), Math.sign);
    check(be.square(a), (x) => x * x);
    check(be.sqrt(pos), Math.sqrt, ph);
    check(be.pow(a, 3), (x) => x ** 3);
    check(be.pow(pos, 0.5), Math.sqrt, ph);
    check(be.pow(pos, 2.5), (x) => x ** 2.5, ph);
    check(be.exp(a), Math.exp);
    check(be.log(pos), Math.log, ph);
    check(be.scale(a, -2.5), (x) => -2.5 * x);
    check(be.addScalar(a, 1.25), (x) => x + 1.25);
    check(be.sigmoid(a), (x) => 1 / (1 + Math.exp(-x)));
    check(be.softplus(a), (x) => Math.log1p(Math.exp(x)));
  });
  it('sigmoid and softplus stay finite and accurate for |x| = 100', () => {
    const x = be.fromHost([-100, 100, -30, 30], [4]);
    expectClose(be.toHostSync(be.sigmoid(x)), [Math.exp(-100), 1, 1 / (1 + Math.exp(30)), 1]);
    expectClose(be.toHostSync(be.softplus(x)), [
      Math.exp(-100),
      100,
      Math.log1p(Math.exp(-30)),
      30,
    ]);
  });
});

describe('reductions against float64 loops', () => {
  const shape = [2, 3, 4];
  function reduceRef(h: Float64Array, axis: number, f: (v: number[]) => number): Float64Array {
    const out = shape.filter((_, i) => i !== axis);
    const res = new Float64Array(size(out));
    const st = strides(shape);
    for (let k = 0; k < res.length; k++) {
      const idx: number[] = [];
      let rem = k;
      for (const [j, s] of strides(out).entries()) {
        idx.push(Math.floor(rem / s));
        rem %= s;
        void j;
      }
      idx.splice(axis, 0, 0);
      const vals: number[] = [];
      for (let i = 0; i < shape[axis]!; i++) {
        idx[axis] = i;
        vals.push(h[idx.reduce((p, c, d) => p + c * st[d]!, 0)]!);
      }
      res[k] = f(vals);
    }
    return res;
  }
  const lse = (v: number[]): number => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((p, x) => p + Math.exp(x - m), 0));
  };
  it.each([0, 1, 2, -1])('sum, max, min, logSumExp over axis %i', (axis) => {
    const [a, h] = rand(3, shape, 50); // magnitudes where a naive log Σ exp overflows float32
    const ax = axis < 0 ? axis + 3 : axis;
    expectClose(
      be.toHostSync(be.sum(a, axis)),
      reduceRef(h, ax, (v) => v.reduce((p, x) => p + x)),
      8,
    );
    expectClose(
      be.toHostSync(be.max(a, axis)),
      reduceRef(h, ax, (v) => Math.max(...v)),
      1,
    );
    expectClose(
      be.toHostSync(be.min(a, axis)),
      reduceRef(h, ax, (v) => Math.min(...v)),
      1,
    );
    expectClose(be.toHostSync(be.logSumExp(a, axis)), reduceRef(h, ax, lse), 16);
    expect(be.sum(a, axis, true).shape).toEqual(shape.map((s, i) => (i === ax ? 1 : s)));
    const sm = be.toHostSync(be.sum(be.softmax(a, axis), axis));
    expectClose(sm, new Float64Array(sm.length).fill(1), 16);
  });
});

describe('linear algebra against float64 loops', () => {
  function matmulRef(
    a: Float64Array,
    as: readonly number[],
    b: Float64Array,
    bs: readonly number[],
    ta: boolean,
    tb: boolean,
  ): Float64Array {
    const [ar, ac] = as.slice(-2) as [number, number];
    const [br, bc] = bs.slice(-2) as [number, number];
    const [m, k, n] = [ta ? ac : ar, ta ? ar : ac, tb ? br : bc];
    const batch = Math.max(as.length === 3 ? as[0]! : 1, bs.length === 3 ? bs[0]! : 1);
    const res = new Float64Array(batch * m * n);
    for (let p = 0; p < batch; p++) {
      const oa = as.length === 3 && as[0] !== 1 ? p * ar * ac : 0;
      const ob = bs.length === 3 && bs[0] !== 1 ? p * br * bc : 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let q = 0; q < k; q++) {
            const x = a[oa + (ta ? q * ac + i : i * ac + q)]!;
            const y = b[ob + (tb ? j * bc + q : q * bc + j)]!;
            s += x * y;
          }
          res[p * m * n + i * n + j] = s;
        }
    }
    return res;
  }
  const combos: [number[], number[]][] = [
    [
      [3, 5],
      [5, 4],
    ],
    [
      [2, 3, 5],
      [2, 5, 4],
    ],
    [
      [2, 3, 5],
      [5, 4],
    ],
    [
      [3, 5],
      [2, 5, 4],
    ],
    [
      [1, 3, 5],
      [2, 5, 4],
    ],
  ];
  it.each(combos)('matmul %j · %j with every transpose flag', (as, bs) => {
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const sa = ta ? [...as.slice(0, -2), as.at(-1)!, as.at(-2)!] : as;
        const sb = tb ? [...bs.slice(0, -2), bs.at(-1)!, bs.at(-2)!] : bs;
        const [a, ah] = rand(5, sa);
        const [b, bh] = rand(6, sb);
        const c = be.matmul(a, b, { transposeA: ta, transposeB: tb });
        expectClose(be.toHostSync(c), matmulRef(ah, sa, bh, sb, ta, tb), 2 * 5);
      }
  });
  const circ = (
    a: Float64Array,
    as: readonly number[],
    b: Float64Array,
    bs: readonly number[],
    corr: boolean,
  ): Float64Array => {
    const d = as.at(-1)!;
    const la = size(as.slice(0, -1));
    const lb = size(bs.slice(0, -1));
    const out = new Float64Array(Math.max(la, lb) * d);
    for (let r = 0; r < Math.max(la, lb); r++)
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) {
          const av = a[(la === 1 ? 0 : r) * d + (corr ? (i + j) % d : j)]!;
          const bv = b[(lb === 1 ? 0 : r) * d + (corr ? j : (((i - j) % d) + d) % d)]!;
          s += av * bv;
        }
        out[r * d + i] = s;
      }
    return out;
  };
  const circShapes: [number[], number[]][] = [
    [[7], [7]],
    [[3, 7], [7]],
    [[7], [3, 7]],
    [
      [3, 7],
      [3, 7],
    ],
    [
      [2, 1, 6],
      [1, 1, 6],
    ],
  ];
  it.each(circShapes)('circularConvolve and circularCorrelate of %j and %j', (as, bs) => {
    const [a, ah] = rand(7, as);
    const [b, bh] = rand(8, bs);
    expectClose(be.toHostSync(be.circularConvolve(a, b)), circ(ah, as, bh, bs, false), 2 * 7);
    expectClose(be.toHostSync(be.circularCorrelate(a, b)), circ(ah, as, bh, bs, true), 2 * 7);
  });
  it('circular ops broadcast [2,1,5] with [1,3,5] (general case)', () => {
    const [a, ah] = rand(9, [2, 1, 5]);
    const [b, bh] = rand(10, [1, 3, 5]);
    const c = be.circularCorrelate(a, b);
    expect(c.shape).toEqual([2, 3, 5]);
    const got = be.toHostSync(c);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const want = circ(ah.slice(i * 5, i * 5 + 5), [5], bh.slice(j * 5, j * 5 + 5), [5], true);
        expectClose(got.slice((i * 3 + j) * 5, (i * 3 + j) * 5 + 5), want, 10);
      }
  });
});

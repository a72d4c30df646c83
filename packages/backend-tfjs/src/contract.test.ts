import * as tf from '@tensorflow/tfjs-core';
import { isImplicitBiasError } from '@implicit-bias/core';
import type { ErrorCode } from '@implicit-bias/core';
import type { Arr, Backend } from '@implicit-bias/backend';
import { createTfjsBackend, tfjsCpuPlugin } from './index.js';

// Oracle: the contract text in @implicit-bias/backend's types.ts, and index arithmetic on the
// host for the shape ops (exact: they only move float32 values).

tf.env().set('IS_TEST', true);

let be: Backend;
beforeAll(async () => {
  be = await tfjsCpuPlugin.create();
});
afterAll(async () => {
  await be.close();
});

const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const host = (a: Arr): number[] => Array.from(be.toHostSync(a));
function expectCode(fn: () => unknown, code: ErrorCode): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isImplicitBiasError(err, code)).toBe(true);
}

describe('shape ops move entries exactly', () => {
  const a = (): Arr => be.fromHost(iota(24), [2, 3, 4]);
  it('reshape keeps the row-major order', () => {
    const r = be.reshape(a(), [6, 4]);
    expect(r.shape).toEqual([6, 4]);
    expect(host(r)).toEqual(iota(24));
  });
  it('slice with -1 extents', () => {
    const s = be.slice(a(), [1, 1, 2], [1, -1, -1]);
    expect(s.shape).toEqual([1, 2, 2]);
    expect(host(s)).toEqual([18, 19, 22, 23]);
  });
  it('concat along a negative axis', () => {
    const x = be.fromHost([1, 2, 3, 4], [2, 2]);
    const y = be.fromHost([5, 6], [2, 1]);
    const c = be.concat([x, y], -1);
    expect(c.shape).toEqual([2, 3]);
    expect(host(c)).toEqual([1, 2, 5, 3, 4, 6]);
  });
  it('gather picks runs, with repeats', () => {
    const g = be.gather(a(), [1, 1, 0], 0);
    expect(g.shape).toEqual([3, 3, 4]);
    expect(host(g)).toEqual([
      ...iota(12).map((i) => i + 12),
      ...iota(12).map((i) => i + 12),
      ...iota(12),
    ]);
    expect(host(be.gather(a(), [3], -1))).toEqual([3, 7, 11, 15, 19, 23]);
  });
  it('transpose: output axis i is input axis perm[i]', () => {
    const t = be.transpose(a(), [2, 0, 1]);
    expect(t.shape).toEqual([4, 2, 3]);
    const got = host(t);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 3; k++) expect(got[i * 6 + j * 3 + k]).toBe(j * 12 + k * 4 + i);
  });
  it('pad with zeros', () => {
    const p = be.pad(be.fromHost([1, 2], [1, 2]), [
      [1, 0],
      [0, 2],
    ]);
    expect(p.shape).toEqual([2, 4]);
    expect(host(p)).toEqual([0, 0, 0, 0, 1, 2, 0, 0]);
  });
  it('fill and fromHost round to float32 and read back as Float64Array', async () => {
    expect(host(be.fill([2, 2], 1.5))).toEqual([1.5, 1.5, 1.5, 1.5]);
    expect(host(be.fill([3]))).toEqual([0, 0, 0]);
    const r = await be.toHost(be.fromHost(new Float64Array([0.1]), [1]));
    expect(r).toBeInstanceOf(Float64Array);
    expect(r[0]).toBe(Math.fround(0.1));
  });
});

describe('bad input is rejected before tfjs', () => {
  const x = (): Arr => be.fromHost(iota(6), [2, 3]);
  it.each<[string, () => unknown]>([
    ['fromHost size', () => be.fromHost([1, 2, 3], [2, 2])],
    ['add', () => be.add(x(), be.fill([2]))],
    ['matmul', () => be.matmul(x(), x())],
    ['matmul rank', () => be.matmul(be.fill([3]), x())],
    ['circular', () => be.circularConvolve(x(), be.fill([4]))],
    ['reshape', () => be.reshape(x(), [4, 2])],
    ['slice', () => be.slice(x(), [1, 0], [2, 1])],
    ['concat', () => be.concat([x(), be.fill([3, 2])], 0)],
    ['gather', () => be.gather(x(), [2], 0)],
    ['transpose', () => be.transpose(x(), [0, 0])],
    ['pad', () => be.pad(x(), [[1, 1]])],
    ['axis', () => be.sum(x(), 2)],
    ['softmax axis', () => be.softmax(x(), -3)],
  ])('%s throws SHAPE_MISMATCH', (_n, fn) => expectCode(fn, 'SHAPE_MISMATCH'));
  it.each([NaN, Infinity, -Infinity, 1e39])('fromHost rejects %d as NON_FINITE', (v) => {
    expectCode(() => be.fromHost([0, v], [2]), 'NON_FINITE');
  });
});

describe('resources', () => {
  it('scope frees intermediates and keeps arrays returned inside arrays and objects', () => {
    const x = be.fromHost([1, 2], [2]);
    const before = be.liveArrays()!;
    const out = be.scope(() => {
      const y = be.add(x, x);
      const z = be.mul(y, y);
      return { list: [z], y: be.neg(z) };
    });
    expect(be.liveArrays()).toBe(before + 2);
    expect(host(out.list[0]!)).toEqual([4, 16]);
    be.dispose([out.list[0]!, out.y]);
    expect(be.liveArrays()).toBe(before);
  });
  it('ops with scalars and temporaries leak nothing', () => {
    const x = be.fromHost([1, 2, 3, 4], [2, 2]);
    const before = be.liveArrays()!;
    const outs = [
      be.scale(x, 2),
      be.addScalar(x, 1),
      be.pow(x, 1.5),
      be.gather(x, [1], 0),
      be.softmax(x, 0),
      be.circularCorrelate(x, x),
      be.matmul(be.reshape(x, [1, 2, 2]), x),
    ];
    expect(be.liveArrays()).toBe(before + outs.length + 1);
    be.dispose(outs);
    expect(be.liveArrays()).toBe(before + 1);
  });
  it('using a disposed array is an error; ops never modify their inputs', () => {
    const x = be.fromHost([1, 2], [2]);
    be.add(x, x);
    expect(host(x)).toEqual([1, 2]);
    be.dispose(x);
    expectCode(() => be.neg(x), 'INVALID_CONFIG');
  });
  it('close frees what the instance still holds and later use is an error', async () => {
    const own = await tfjsCpuPlugin.create();
    const before = own.liveArrays()!;
    const kept = own.fromHost([1, 2], [2]);
    own.add(kept, kept);
    expect(own.liveArrays()).toBe(before + 2);
    await own.close();
    expect(own.liveArrays()).toBe(before);
    expectCode(() => own.fill([1]), 'INVALID_CONFIG');
  });
  it('arrays of another backend are rejected', () => {
    expectCode(() => be.neg({ shape: [1] }), 'INVALID_CONFIG');
  });
  it('an unregistered tfjs backend is BACKEND_UNAVAILABLE', () => {
    expect(() => createTfjsBackend(tf, { id: 'x', tfBackendName: 'no-such-backend' })).toThrow(
      /not registered/,
    );
  });
});

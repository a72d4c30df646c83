import { isImplicitBiasError } from '@implicit-bias/core';
import { createCpuBackend } from './backend.js';
import { cpuPlugin } from './plugin.js';

describe('cpu backend specifics', () => {
  const be = createCpuBackend();

  it('2x2 matmul equals the hand-computed product (closed form)', () => {
    const a = be.fromHost([1, 2, 3, 4], [2, 2]);
    const b = be.fromHost([5, 6, 7, 8], [2, 2]);
    expect(Array.from(be.toHostSync(be.matmul(a, b)))).toEqual([19, 22, 43, 50]);
    expect(Array.from(be.toHostSync(be.matmul(a, b, { transposeA: true })))).toEqual([
      26, 30, 38, 44,
    ]);
    expect(Array.from(be.toHostSync(be.matmul(a, b, { transposeB: true })))).toEqual([
      17, 23, 39, 53,
    ]);
    expect(
      Array.from(be.toHostSync(be.matmul(a, b, { transposeA: true, transposeB: true }))),
    ).toEqual([23, 31, 34, 46]);
  });

  it('using an array after dispose throws naming the op', () => {
    const a = be.fromHost([1, 2], [2]);
    be.dispose(a);
    expect(() => be.neg(a)).toThrow(/^neg: the array was disposed/);
    expect(() => be.toHostSync(a)).toThrow(/disposed/);
    const b = be.fromHost([1], [1]);
    be.dispose([b]);
    expect(() => be.add(b, b)).toThrow(/disposed/);
  });

  it('arrays of another cpu backend are rejected', () => {
    const other = createCpuBackend();
    const a = other.fromHost([1], [1]);
    let err: unknown;
    try {
      be.exp(a);
    } catch (e) {
      err = e;
    }
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
  });

  it('close releases every array', async () => {
    const own = createCpuBackend();
    const a = own.fromHost([1, 2, 3], [3]);
    await own.close();
    expect(() => own.toHostSync(a)).toThrow(/disposed/);
  });

  it('toHostSync returns a copy and fromHost copies its input', () => {
    const src = new Float64Array([1, 2, 3]);
    const a = be.fromHost(src, [3]);
    src[0] = 99;
    const out = be.toHostSync(a);
    out[1] = 42;
    expect(Array.from(be.toHostSync(a))).toEqual([1, 2, 3]);
  });

  it('rejects non-finite host scalars with NON_FINITE naming the field', () => {
    const a = be.fill([2], 1);
    expect(() => be.scale(a, NaN)).toThrow(/^scale s: s is NaN/);
    expect(() => be.fill([2], Infinity)).toThrow(/fill value/);
    expect(() => be.fromHost([1, 2], [3])).toThrow(/fromHost data: shape \[3\] needs 3 entries/);
  });

  it('the plug-in probes ok and creates a float64 backend', async () => {
    await expect(cpuPlugin.probe()).resolves.toEqual({ ok: true });
    const created = await cpuPlugin.create();
    expect([created.id, created.precision, cpuPlugin.priority]).toEqual(['cpu', 'float64', 100]);
    expect(created.liveArrays()).toBeUndefined();
    expect(created.scope(() => 7)).toBe(7);
  });

  it('layout arguments out of range throw SHAPE_MISMATCH naming the op', () => {
    const a = be.fill([2, 3], 1);
    expect(() => be.gather(a, [0, 3], 1)).toThrow(/^gather: index 3 is out of range \[0, 3\)/);
    expect(() => be.transpose(a, [0, 0])).toThrow(/^transpose: perm \[0, 0\] is not a permutation/);
    expect(() => be.pad(a, [[0, 1]])).toThrow(/^pad: paddings need one \[before, after\] pair/);
    expect(() => be.slice(a, [0], [1])).toThrow(
      /^slice: begin \[0\] and size \[1\] need one entry per axis/,
    );
    expect(() => be.concat([], 0)).toThrow(/^concat: needs at least one array/);
    expect(() => be.reshape(a, [7])).toThrow(
      /^reshape: cannot reshape \[2, 3\] \(6 entries\) to \[7\]/,
    );
  });

  it('reshape shares entries safely: disposing the view leaves the source usable', () => {
    const a = be.fromHost([1, 2, 3, 4], [2, 2]);
    const v = be.reshape(a, [4]);
    be.dispose(v);
    expect(Array.from(be.toHostSync(a))).toEqual([1, 2, 3, 4]);
  });
});

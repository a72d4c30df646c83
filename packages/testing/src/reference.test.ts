import { maxViolation, tolerance } from '@implicit-bias/core';
import {
  refBinary,
  refCircular,
  refConcat,
  refGather,
  refLogSumExpOf,
  refMatmul,
  refPad,
  refReduce,
  refSigmoid,
  refSlice,
  refSoftmax,
  refSoftplus,
  refTranspose,
  tabulate,
} from './reference.js';
import type { HostArray } from './reference.js';

const arr = (shape: number[], values: number[]): HostArray => ({
  shape,
  data: Float64Array.from(values),
});
const list = (h: HostArray): number[] => Array.from(h.data);

describe('host reference (hand-computed closed forms)', () => {
  it('broadcasting [2,1] with [3]', () => {
    const r = refBinary(arr([2, 1], [10, 20]), arr([3], [1, 2, 3]), (x, y) => x + y);
    expect(r.shape).toEqual([2, 3]);
    expect(list(r)).toEqual([11, 12, 13, 21, 22, 23]);
  });
  it('reductions along an axis with and without keepDims', () => {
    const a = arr([2, 3], [1, 2, 3, 4, 5, 6]);
    const sum = (v: number[]): number => v.reduce((s, x) => s + x, 0);
    expect(refReduce(a, 0, false, sum)).toEqual(arr([3], [5, 7, 9]));
    expect(refReduce(a, 1, true, sum)).toEqual(arr([2, 1], [6, 15]));
  });
  it('logSumExp of equal huge entries is x + log n; softmax of equal entries is uniform', () => {
    expect(refLogSumExpOf([1e4, 1e4, 1e4, 1e4])).toBe(1e4 + Math.log(4));
    expect(refLogSumExpOf([-1e4, -1e4])).toBe(-1e4 + Math.log(2));
    const p = refSoftmax(arr([1, 4], [7, 7, 7, 7]), 1).data;
    expect(maxViolation(p, [0.25, 0.25, 0.25, 0.25], tolerance('float64', 4))).toBeLessThanOrEqual(
      1,
    );
  });
  it('sigmoid and softplus at ±800 and 0', () => {
    expect([refSigmoid(-800), refSigmoid(0), refSigmoid(800)]).toEqual([0, 0.5, 1]);
    expect([refSoftplus(-800), refSoftplus(0), refSoftplus(800)]).toEqual([0, Math.LN2, 800]);
  });
  it('matmul of 2x2 matrices with transposes and a broadcast batch', () => {
    const A = arr([2, 2], [1, 2, 3, 4]);
    const B = arr([2, 2], [5, 6, 7, 8]);
    expect(list(refMatmul(A, B))).toEqual([19, 22, 43, 50]);
    expect(list(refMatmul(A, B, true, false))).toEqual([26, 30, 38, 44]);
    expect(list(refMatmul(A, B, false, true))).toEqual([17, 23, 39, 53]);
    expect(list(refMatmul(A, B, true, true))).toEqual([23, 31, 34, 46]);
    const batch = refMatmul(arr([1, 2, 2], [1, 2, 3, 4]), arr([2, 2, 2], [5, 6, 7, 8, 1, 0, 0, 1]));
    expect(batch.shape).toEqual([2, 2, 2]);
    expect(list(batch)).toEqual([19, 22, 43, 50, 1, 2, 3, 4]);
  });
  it('circular convolution with a delta shifts; correlation with a delta shifts back', () => {
    const a = arr([4], [1, 2, 3, 4]);
    const delta1 = arr([4], [0, 1, 0, 0]);
    // c_i = Σ_j a_j δ_{(i−j)−1}: c_i = a_{i−1}
    expect(list(refCircular(a, delta1, 'convolve'))).toEqual([4, 1, 2, 3]);
    // c_i = Σ_j a_{i+j} δ_{j−1}: c_i = a_{i+1}
    expect(list(refCircular(a, delta1, 'correlate'))).toEqual([2, 3, 4, 1]);
  });
  it('slice, concat, gather, transpose and pad move entries by index', () => {
    const a = tabulate([2, 3], ([i, j]) => 10 * i! + j!);
    expect(list(refSlice(a, [1, 1], [1, -1]))).toEqual([11, 12]);
    expect(list(refConcat([a, a], 0))).toEqual([0, 1, 2, 10, 11, 12, 0, 1, 2, 10, 11, 12]);
    expect(list(refConcat([a, refSlice(a, [0, 0], [2, 1])], 1))).toEqual([
      0, 1, 2, 0, 10, 11, 12, 10,
    ]);
    expect(list(refGather(a, [2, 0], 1))).toEqual([2, 0, 12, 10]);
    expect(list(refTranspose(a, [1, 0]))).toEqual([0, 10, 1, 11, 2, 12]);
    expect(list(refPad(arr([2], [5, 6]), [[1, 2]]))).toEqual([0, 5, 6, 0, 0]);
  });
});

import { matrixFromRows } from '@implicit-bias/core';
import { applyStandardization, centerTargets, standardize } from './standardize.js';

describe('standardize', () => {
  it('gives columns of mean 0 and population variance 1', () => {
    // oracle: hand-computed mean/std of [1, 2, 3, 6] = 3, √3.5; constant column keeps std 1
    const X = matrixFromRows([
      [1, 5],
      [2, 5],
      [3, 5],
      [6, 5],
    ]);
    const { X: Z, mean, std } = standardize(X);
    expect(Array.from(mean)).toEqual([3, 5]);
    expect(std[0]).toBeCloseTo(Math.sqrt(3.5), 15);
    expect(std[1]).toBe(1);
    const col0 = [0, 1, 2, 3].map((i) => Z.data[2 * i]!);
    expect(col0.reduce((a, v) => a + v, 0)).toBeCloseTo(0, 14);
    expect(col0.reduce((a, v) => a + v * v, 0) / 4).toBeCloseTo(1, 14);
    expect([0, 1, 2, 3].map((i) => Z.data[2 * i + 1])).toEqual([0, 0, 0, 0]);
    expect(Array.from(X.data)).toEqual([1, 5, 2, 5, 3, 5, 6, 5]); // input untouched
  });

  it('applies stored parameters to new data', () => {
    const params = { mean: Float64Array.from([1, 2]), std: Float64Array.from([2, 4]) };
    const Z = applyStandardization(matrixFromRows([[3, 10]]), params);
    expect(Array.from(Z.data)).toEqual([1, 2]);
  });

  it('rejects parameters of the wrong width', () => {
    const params = { mean: Float64Array.from([1]), std: Float64Array.from([2]) };
    expect(() => applyStandardization(matrixFromRows([[3, 10]]), params)).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', path: 'params' }),
    );
  });
});

describe('centerTargets', () => {
  it('subtracts the mean', () => {
    const { y, mean } = centerTargets(Float64Array.from([1, 2, 6]));
    expect(mean).toBe(3);
    expect(Array.from(y)).toEqual([-2, -1, 3]);
  });
  it('rejects an empty vector', () => {
    expect(() => centerTargets(new Float64Array(0))).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH', path: 'y' }),
    );
  });
});

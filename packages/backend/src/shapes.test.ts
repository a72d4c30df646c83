import {
  broadcastShapes,
  matmulShape,
  circularShape,
  normalizeAxis,
  reducedShape,
} from './shapes.js';

describe('shape rules', () => {
  it('broadcasts NumPy-style', () => {
    expect(broadcastShapes([4, 1, 3], [5, 1], 'add')).toEqual([4, 5, 3]);
    expect(broadcastShapes([], [2], 'add')).toEqual([2]);
    expect(() => broadcastShapes([2, 3], [4, 3], 'add')).toThrow(
      /^add: shapes \[2, 3\] and \[4, 3\] do not broadcast/,
    );
  });
  it('matmul shapes with transposes and batch broadcast', () => {
    expect(matmulShape([2, 3], [3, 4], false, false).out).toEqual([2, 4]);
    expect(matmulShape([5, 3, 2], [3, 4], true, false).out).toEqual([5, 2, 4]);
    expect(matmulShape([2, 3], [5, 4, 3], false, true).out).toEqual([5, 2, 4]);
    expect(() => matmulShape([2, 3], [4, 3], false, false)).toThrow(/inner dimensions differ/);
  });
  it('axes and reductions', () => {
    expect(normalizeAxis(-1, 3, 'sum')).toBe(2);
    expect(() => normalizeAxis(3, 3, 'sum')).toThrow(/axis 3 is out of range/);
    expect(reducedShape([2, 3, 4], 1, true)).toEqual([2, 1, 4]);
    expect(circularShape([2, 1, 8], [3, 8], 'conv')).toEqual([2, 3, 8]);
    expect(() => circularShape([8], [7], 'conv')).toThrow(/last dimensions differ/);
  });
});

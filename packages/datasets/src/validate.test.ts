import { matrixFromRows } from '@implicit-bias/core';
import { longley } from './real/longley.js';
import { takeRows } from './take-rows.js';
import { makeDataset } from './validate.js';

const meta = { name: 't', description: 'test' };

describe('makeDataset', () => {
  const X = matrixFromRows([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('builds a dataset and fills in n and d', () => {
    const ds = makeDataset(X, Float64Array.from([1, -1]), meta, { task: 'classification' });
    expect(ds.meta).toMatchObject({ n: 2, d: 3, name: 't' });
    expect(ds.task).toBe('classification');
  });

  it('rejects a label that is not ±1, naming the row', () => {
    expect(() =>
      makeDataset(X, Float64Array.from([1, 0]), meta, { task: 'classification', path: 'mine' }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        message: expect.stringMatching(/^mine: y row 1: label 0/),
      }),
    );
  });

  it('rejects non-finite values naming row and column', () => {
    const bad = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, NaN, 6]) };
    expect(() => makeDataset(bad, Float64Array.from([1, 1]), meta)).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        message: expect.stringContaining('X row 1, column 1 is NaN'),
      }),
    );
    expect(() => makeDataset(X, Float64Array.from([1, Infinity]), meta)).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        message: expect.stringContaining('y row 1'),
      }),
    );
  });

  it('rejects mismatched lengths', () => {
    expect(() => makeDataset(X, Float64Array.from([1]), meta)).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        message: expect.stringContaining('y has 1 entries but X has 2 rows'),
      }),
    );
  });

  it('enforces n < d when underdetermined, naming n and d', () => {
    expect(makeDataset(X, Float64Array.from([1, 2]), meta, { underdetermined: true }).meta.n).toBe(
      2,
    );
    const tall = matrixFromRows([[1], [2]]);
    expect(() =>
      makeDataset(tall, Float64Array.from([1, 2]), meta, { underdetermined: true }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_DATA',
        message: expect.stringContaining('n = 2 ≥ d = 1'),
      }),
    );
  });
});

describe('takeRows', () => {
  it('keeps the first rows, e.g. an underdetermined Longley', () => {
    const ds = takeRows(longley(), 5);
    expect(ds.meta).toMatchObject({ n: 5, d: 6 });
    expect(Array.from(ds.X.data.slice(0, 6))).toEqual([83, 234.289, 235.6, 159, 107.608, 1947]);
    expect(ds.y).toHaveLength(5);
    expect(ds.y[4]).toBe(63.221);
  });
  it('rejects a row count out of range', () => {
    expect(() => takeRows(longley(), 17)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', path: 'n' }),
    );
  });
});

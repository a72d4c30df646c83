import { isImplicitBiasError } from '@implicit-bias/core';
import type { ErrorCode } from '@implicit-bias/core';
import type { CsvOptions } from './load-options.js';
import { parseCsvData } from './parse-csv.js';

function errorOf(f: () => unknown): { code: ErrorCode; message: string; path: string | undefined } {
  try {
    f();
  } catch (e) {
    if (isImplicitBiasError(e)) return { code: e.code, message: e.message, path: e.path };
    throw e;
  }
  throw new Error('expected an ImplicitBiasError');
}

describe('parseCsvData', () => {
  it('reads a header, takes the last column as label by default', () => {
    const ds = parseCsvData('x1,x2,y\n1,2,3\n4,5,6\n');
    expect(ds.meta).toMatchObject({ n: 2, d: 2, featureNames: ['x1', 'x2'] });
    expect(Array.from(ds.X.data)).toEqual([1, 2, 4, 5]);
    expect(Array.from(ds.y)).toEqual([3, 6]);
  });

  it('chooses the label by name or (negative) index, without a header too', () => {
    const byName = parseCsvData('label,a,b\n1,2,3\n-1,5,6\n', {
      label: 'label',
      task: 'classification',
    });
    expect(Array.from(byName.y)).toEqual([1, -1]);
    expect(Array.from(byName.X.data)).toEqual([2, 3, 5, 6]);
    const byIndex = parseCsvData('1,2,3\n4,5,6\n', { label: 0 });
    expect(byIndex.meta.featureNames).toBeUndefined();
    expect(Array.from(byIndex.y)).toEqual([1, 4]);
    expect(Array.from(parseCsvData('1,2,3\n4,5,6\n', { label: -2 }).y)).toEqual([2, 5]);
  });

  it('handles blank lines, spaces, quotes, scientific notation and other delimiters', () => {
    const ds = parseCsvData('a;b\n\n 1.5e2 ; "-2"\n.5;+3\n', { delimiter: ';' });
    expect(Array.from(ds.X.data)).toEqual([150, 0.5]);
    expect(Array.from(ds.y)).toEqual([-2, 3]);
  });

  it.each<[string, string, CsvOptions, ErrorCode, string]>([
    [
      'a non-number',
      'x1,x2,y\n1,2,3\n4,5,6\n7,abc,9\n',
      {},
      'INVALID_DATA',
      'row 3 (line 4), column 2 ("x2"): "abc" is not a number',
    ],
    [
      'a non-number without header',
      '1,2,3\n4,x,6\n',
      { header: false },
      'INVALID_DATA',
      'row 2 (line 2), column 2: "x" is not a number',
    ],
    ['an empty cell', 'a,b\n1,\n', {}, 'INVALID_DATA', 'row 1 (line 2), column 2 ("b") is empty'],
    [
      'a NaN',
      'a,b\n1,2\nNaN,3\n',
      {},
      'INVALID_DATA',
      'row 2 (line 3), column 1 ("a"): "NaN" is not finite',
    ],
    [
      'an Infinity',
      'a,b\n1,-inf\n',
      {},
      'INVALID_DATA',
      'row 1 (line 2), column 2 ("b"): "-inf" is not finite',
    ],
    [
      'an overflow',
      'a,b\n1,1e400\n',
      {},
      'INVALID_DATA',
      'row 1 (line 2), column 2 ("b"): "1e400" overflows',
    ],
    [
      'a ragged row',
      'a,b,c\n1,2,3\n4,5\n',
      {},
      'INVALID_DATA',
      'row 2 (line 3) has 2 fields but the header has 3',
    ],
    [
      'a long row',
      '1,2\n3,4,5\n',
      {},
      'INVALID_DATA',
      'row 2 (line 2) has 3 fields but row 1 has 2',
    ],
    ['an empty file', '\n\n', {}, 'INVALID_DATA', 'contains no rows'],
    ['a header only', 'a,b\n', {}, 'INVALID_DATA', 'has a header but no data rows'],
    ['one column', 'y\n1\n', {}, 'INVALID_DATA', 'needs at least one feature column'],
    ['an unclosed quote', 'a,b\n1,"2\n', {}, 'INVALID_DATA', 'is not valid CSV'],
    [
      'a label not ±1',
      'a,y\n1,1\n2,0\n',
      { task: 'classification' },
      'INVALID_DATA',
      'row 2 (line 3), label column 2 ("y"): label 0 is not +1 or -1',
    ],
    [
      'n ≥ d when underdetermined',
      'a,b,y\n1,2,3\n4,5,6\n',
      { underdetermined: true },
      'INVALID_DATA',
      'n = 2 ≥ d = 2',
    ],
  ])('rejects %s, naming the location', (_, text, opts, code, fragment) => {
    const e = errorOf(() => parseCsvData(text, { path: 'in.csv', ...opts }));
    expect(e.code).toBe(code);
    expect(e.path).toBe('in.csv');
    expect(e.message).toContain('in.csv: ');
    expect(e.message).toContain(fragment);
  });

  it.each<[string, string, CsvOptions, string]>([
    [
      'an unknown label name',
      'a,b\n1,2\n',
      { label: 'y' },
      'no column named "y" in data.csv; the header has "a", "b"',
    ],
    ['a label name without header', '1,2\n3,4\n', { label: 'y' }, 'has no header row'],
    [
      'a label index out of range',
      'a,b\n1,2\n',
      { label: 2 },
      'index 2 is out of range for 2 columns',
    ],
  ])('rejects %s as a configuration error on "label"', (_, text, opts, fragment) => {
    const e = errorOf(() => parseCsvData(text, opts));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.path).toBe('label');
    expect(e.message).toContain(fragment);
  });
});

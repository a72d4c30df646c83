import { isImplicitBiasError } from '@implicit-bias/core';
import type { ErrorCode } from '@implicit-bias/core';
import { parseJsonData } from './parse-json.js';

function errorOf(f: () => unknown): { code: ErrorCode; message: string; path: string | undefined } {
  try {
    f();
  } catch (e) {
    if (isImplicitBiasError(e)) return { code: e.code, message: e.message, path: e.path };
    throw e;
  }
  throw new Error('expected an ImplicitBiasError');
}

describe('parseJsonData', () => {
  it('parses a valid file', () => {
    const ds = parseJsonData('{"X": [[1, 2, 3], [4, 5, 6]], "y": [1, -1]}', {
      task: 'classification',
      name: 'toy',
    });
    expect(ds.task).toBe('classification');
    expect(ds.meta).toMatchObject({ n: 2, d: 3, name: 'toy', source: 'data.json' });
    expect(Array.from(ds.X.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(ds.y)).toEqual([1, -1]);
  });

  it('accepts underdetermined data when asked', () => {
    expect(parseJsonData('{"X": [[1, 2]], "y": [3]}', { underdetermined: true }).meta.n).toBe(1);
  });

  it.each<[string, string, ErrorCode, string]>([
    ['malformed JSON', '{"X": [[1, 2]', 'INVALID_DATA', 'is not valid JSON'],
    ['missing y', '{"X": [[1, 2]]}', 'INVALID_DATA', 'y is missing'],
    ['X not an array', '{"X": 3, "y": [1]}', 'INVALID_DATA', 'X: expected array, got 3'],
    [
      'a string entry',
      '{"X": [[1, 2], [3, "abc"]], "y": [1, 2]}',
      'INVALID_DATA',
      'X[1][1]: expected number, got "abc"',
    ],
    [
      'a null label',
      '{"X": [[1], [2]], "y": [1, null]}',
      'INVALID_DATA',
      'y[1]: expected number, got null',
    ],
    [
      'an overflowing number',
      '{"X": [[1, 1e999]], "y": [1]}',
      'INVALID_DATA',
      'X[0][1] is Infinity',
    ],
    [
      'a ragged row',
      '{"X": [[1, 2], [3]], "y": [1, 2]}',
      'INVALID_DATA',
      'X[1] has 1 entries but X[0] has 2',
    ],
    ['an empty X', '{"X": [], "y": []}', 'INVALID_DATA', 'X needs at least one row'],
    ['an empty row', '{"X": [[]], "y": [1]}', 'INVALID_DATA', 'X[0] is empty'],
    [
      'y too short',
      '{"X": [[1], [2]], "y": [1]}',
      'INVALID_DATA',
      'y has 1 entries but X has 2 rows',
    ],
  ])('rejects %s', (_, text, code, fragment) => {
    const e = errorOf(() => parseJsonData(text, { path: 'in.json' }));
    expect(e.code).toBe(code);
    expect(e.path).toBe('in.json');
    expect(e.message).toContain('in.json: ');
    expect(e.message).toContain(fragment);
  });

  it('requires ±1 labels for classification, naming the entry', () => {
    const e = errorOf(() =>
      parseJsonData('{"X": [[1], [2], [3]], "y": [1, -1, 0.5]}', { task: 'classification' }),
    );
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toContain('data.json: y[2]: label 0.5 is not +1 or -1');
  });

  it('requires n < d when underdetermined, naming n and d and what to do', () => {
    const e = errorOf(() =>
      parseJsonData('{"X": [[1, 2], [3, 4]], "y": [1, 2]}', { underdetermined: true }),
    );
    expect(e.code).toBe('INVALID_DATA');
    expect(e.message).toContain('n = 2 ≥ d = 2');
    expect(e.message).toContain('keep at most d − 1 = 1 samples');
  });
});

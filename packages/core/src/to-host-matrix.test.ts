import { isImplicitBiasError } from './errors.js';
import { toHostMatrix } from './to-host-matrix.js';

describe('toHostMatrix', () => {
  it('takes nested rows (copied row-major) and a HostMatrix (returned as is)', () => {
    expect(
      toHostMatrix([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual({
      rows: 2,
      cols: 3,
      data: Float64Array.of(1, 2, 3, 4, 5, 6),
    });
    const h = { rows: 1, cols: 2, data: Float64Array.of(7, 8) };
    expect(toHostMatrix(h)).toBe(h);
  });

  it('refuses malformed matrices and non-finite entries, naming the field', () => {
    const codeOf = (f: () => unknown): [string, string | undefined] => {
      try {
        f();
      } catch (e) {
        if (isImplicitBiasError(e)) return [e.code, e.path];
      }
      return ['none', undefined];
    };
    expect(
      codeOf(() => toHostMatrix({ rows: 2, cols: 2, data: new Float64Array(3) }, 'A')),
    ).toEqual(['SHAPE_MISMATCH', 'A']);
    expect(codeOf(() => toHostMatrix({ rows: 1, cols: 1, data: [1] } as never, 'A'))).toEqual([
      'SHAPE_MISMATCH',
      'A',
    ]);
    expect(codeOf(() => toHostMatrix({ rows: 1, cols: 1, data: Float64Array.of(NaN) }))).toEqual([
      'NON_FINITE',
      'X',
    ]);
    expect(codeOf(() => toHostMatrix([[1], [1, 2]]))).toEqual(['SHAPE_MISMATCH', 'X']);
  });
});

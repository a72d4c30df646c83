import {
  matrixFromRows,
  transpose,
  norm2,
  oneMinusCos,
  relativeDistance,
  assertFinite,
  sizeOf,
} from './host.js';
import { ImplicitBiasError } from './errors.js';
import { tolerance, isClose, maxViolation, EPSILON } from './tolerance.js';

describe('host arrays', () => {
  it('matrixFromRows names row and column of a non-number', () => {
    expect(() =>
      matrixFromRows(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        'X',
      ),
    ).toThrow(/X: row 1, column 1/);
    expect(() => matrixFromRows([[1, 2], [3]], 'X')).toThrow(/row 1 has 1 entries/);
    try {
      matrixFromRows([[1], [2, 3]]);
    } catch (e) {
      expect(e).toBeInstanceOf(ImplicitBiasError);
      expect((e as ImplicitBiasError).code).toBe('SHAPE_MISMATCH');
      expect((e as ImplicitBiasError).path).toBe('X');
    }
  });

  it('transpose twice is the identity', () => {
    const m = matrixFromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(transpose(transpose(m))).toEqual(m);
    expect(Array.from(transpose(m).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('norm2 does not overflow (closed form: ‖(3e300, 4e300)‖ = 5e300)', () => {
    expect(norm2([3e300, 4e300])).toBeCloseTo(5e300, -290);
    expect(isClose(norm2([3e-300, 4e-300]), 5e-300, tolerance('float64', 2))).toBe(true);
  });

  it('oneMinusCos is 0 for parallel, 2 for opposite, accurate for tiny angles (closed form)', () => {
    expect(oneMinusCos([1, 2], [2, 4])).toBeLessThan(1e-30 + 4 * EPSILON.float64);
    expect(oneMinusCos([1, 0], [-1, 0])).toBeCloseTo(2, 14);
    const th = 1e-6;
    // 1 - cos(th) = th^2/2 to relative 1e-12 at this angle
    expect(
      isClose(oneMinusCos([1, 0], [Math.cos(th), Math.sin(th)]), (th * th) / 2, {
        rtol: 1e-8,
        atol: 0,
      }),
    ).toBe(true);
  });

  it('relativeDistance and maxViolation', () => {
    expect(relativeDistance([1, 1], [1, 0])).toBe(1);
    expect(maxViolation([1, 2], [1, 2 + 4e-15], tolerance('float64'))).toBeLessThan(1);
    expect(maxViolation([1, 2], [1, 2.1], tolerance('float32'))).toBeGreaterThan(1);
    expect(maxViolation([Number.NaN], [1], tolerance('float32'))).toBe(Infinity);
  });

  it('assertFinite and sizeOf reject bad input with codes', () => {
    expect(() => assertFinite([1, Infinity], 'params[0]')).toThrow(
      /params\[0\]: entry 1 is Infinity/,
    );
    expect(() => sizeOf([2, -1])).toThrow(/dimension 1/);
    expect(sizeOf([2, 3, 4])).toBe(24);
  });
});

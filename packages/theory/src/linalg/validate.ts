import { ImplicitBiasError, assertFinite } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';

/**
 * Check a host matrix at the boundary: integer shape, data length, finite entries.
 * @internal
 */
export function checkMatrix(M: HostMatrix, field: string): void {
  if (
    typeof M !== 'object' ||
    M === null ||
    !Number.isInteger(M.rows) ||
    !Number.isInteger(M.cols) ||
    M.rows < 1 ||
    M.cols < 1 ||
    !(M.data instanceof Float64Array) ||
    M.data.length !== M.rows * M.cols
  ) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      'expected a HostMatrix { rows, cols, data: Float64Array(rows*cols) } with rows, cols >= 1',
      { path: field },
    );
  }
  assertFinite(M.data, field);
}

/**
 * Check a vector of the given length with finite entries.
 * @internal
 */
export function checkVector(v: ArrayLike<number>, length: number, field: string): void {
  if (v === null || typeof v !== 'object' || v.length !== length) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected ${length} entries, got ${v === null || typeof v !== 'object' ? 'none' : v.length}`,
      { path: field },
    );
  }
  assertFinite(v, field);
}

/**
 * Check classification labels: each exactly +1 or −1.
 * @internal
 */
export function checkLabels(y: ArrayLike<number>, length: number, field = 'y'): void {
  checkVector(y, length, field);
  for (let i = 0; i < length; i++) {
    if (y[i] !== 1 && y[i] !== -1) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `label ${i} is ${y[i]}; labels must be +1 or -1`,
        {
          path: field,
        },
      );
    }
  }
}

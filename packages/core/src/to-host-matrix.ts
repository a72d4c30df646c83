import { ImplicitBiasError } from './errors.js';
import { assertFinite, matrixFromRows, type HostMatrix } from './host.js';

/**
 * A matrix given as nested rows or as a {@link HostMatrix}, validated: rows of equal length with
 * finite entries (see {@link matrixFromRows}), or a `HostMatrix` whose `data` is a `Float64Array`
 * of `rows·cols` finite numbers (returned as is, not copied). Errors name `field` and say which
 * forms are accepted.
 */
export function toHostMatrix(
  m: HostMatrix | readonly (readonly number[])[],
  field = 'X',
): HostMatrix {
  if (Array.isArray(m)) return matrixFromRows(m as readonly (readonly number[])[], field);
  const h = m as Partial<HostMatrix> | null;
  if (
    h === null ||
    typeof h !== 'object' ||
    !(h.data instanceof Float64Array) ||
    !Number.isInteger(h.rows) ||
    !Number.isInteger(h.cols) ||
    h.data.length !== h.rows! * h.cols!
  ) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      'must be rows of numbers or a HostMatrix {rows, cols, data} with data.length = rows·cols',
      { path: field },
    );
  }
  assertFinite(h.data, field);
  return h as HostMatrix;
}

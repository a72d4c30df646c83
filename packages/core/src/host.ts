import { ImplicitBiasError } from './errors.js';

/** A dense row-major float64 matrix on the host. */
export interface HostMatrix {
  /** Number of rows (for data matrices: samples n). */
  readonly rows: number;
  /** Number of columns (for data matrices: features d). */
  readonly cols: number;
  /** Row-major entries: `data[i * cols + j]` is entry (i, j). */
  readonly data: Float64Array;
}

/** A dense row-major float64 tensor of any order on the host. */
export interface HostTensor {
  /** Size of every axis, outermost first; `data.length` is their product. */
  readonly shape: readonly number[];
  /** Row-major (C-order) entries, last index fastest. */
  readonly data: Float64Array;
}

/** Number of elements of a shape; validates that every dimension is a non-negative integer. */
export function sizeOf(shape: readonly number[], field = 'shape'): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (!Number.isInteger(s) || s < 0) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `dimension ${i} must be a non-negative integer, got ${String(s)}`,
        { path: field },
      );
    }
    n *= s;
  }
  return n;
}

/** True when two shapes have the same rank and the same size on every axis. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Format a shape as `[2, 3]` (brackets, comma-separated sizes) for error messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throw `SHAPE_MISMATCH` naming `field` unless `actual` equals `expected`. */
export function assertShape(
  actual: readonly number[],
  expected: readonly number[],
  field: string,
): void {
  if (!sameShape(actual, expected)) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected shape ${formatShape(expected)}, got ${formatShape(actual)}`,
      { path: field },
    );
  }
}

/** Throw `NON_FINITE` naming `field` and the first bad index unless every value is finite. */
export function assertFinite(data: ArrayLike<number>, field: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) {
      throw new ImplicitBiasError(
        'NON_FINITE',
        `entry ${i} is ${String(v)}; every value must be a finite number`,
        { path: field },
      );
    }
  }
}

/**
 * A `rows×cols` host matrix: all zeros, or wrapping `data` without copying (throws
 * `SHAPE_MISMATCH` unless `data.length = rows·cols`).
 */
export function hostMatrix(rows: number, cols: number, data?: Float64Array): HostMatrix {
  sizeOf([rows, cols], 'matrix shape');
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `a ${rows}x${cols} matrix needs ${rows * cols} entries, got ${data.length}`,
      { path: 'data' },
    );
  }
  return { rows, cols, data };
}

/**
 * Build a matrix from nested rows, validating that rows have equal length and finite numbers.
 * Errors name `field`, the row and the column.
 */
export function matrixFromRows(rowsIn: readonly (readonly number[])[], field = 'X'): HostMatrix {
  const rows = rowsIn.length;
  if (rows === 0)
    throw new ImplicitBiasError('SHAPE_MISMATCH', 'needs at least one row', { path: field });
  const cols = rowsIn[0]!.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = rowsIn[i]!;
    if (!Array.isArray(r) && !ArrayBuffer.isView(r)) {
      throw new ImplicitBiasError('SHAPE_MISMATCH', `row ${i} is not an array`, { path: field });
    }
    if (r.length !== cols) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `row ${i} has ${r.length} entries but row 0 has ${cols}; all rows need the same length`,
        { path: field },
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ImplicitBiasError(
          'NON_FINITE',
          `row ${i}, column ${j} is ${JSON.stringify(v) ?? String(v)}; expected a finite number`,
          { path: field },
        );
      }
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** The rows of a matrix as plain `number[][]` (`rows` arrays of length `cols`), for JSON output. */
export function matrixToRows(m: HostMatrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** The transpose `Mᵀ` of a host matrix, as a new `cols×rows` matrix. */
export function transpose(m: HostMatrix): HostMatrix {
  const out = new Float64Array(m.rows * m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) out[j * m.rows + i] = m.data[i * m.cols + j]!;
  return { rows: m.cols, cols: m.rows, data: out };
}

/** Euclidean norm `‖v‖₂`, computed with scaling so that huge or tiny entries do not overflow. */
export function norm2(v: ArrayLike<number>): number {
  // scaled to avoid overflow/underflow
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i]! / scale;
    s += t * t;
  }
  return scale * Math.sqrt(s);
}

/** Dot product `Σ_i a_i b_i`; throws `SHAPE_MISMATCH` when the lengths differ. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', `lengths differ: ${a.length} vs ${b.length}`, {
      path: 'dot',
    });
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** `1 − cos(a, b)`, computed stably as `‖â − b̂‖² / 2`; 1 when either vector is zero. */
export function oneMinusCos(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm2(a);
  const nb = norm2(b);
  if (na === 0 || nb === 0) return 1;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]! / na - b[i]! / nb;
    s += t * t;
  }
  return s / 2;
}

/** `‖a − b‖ / ‖b‖` (absolute distance when `b` is zero). */
export function relativeDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) d[i] = a[i]! - b[i]!;
  const nb = norm2(b);
  return nb === 0 ? norm2(d) : norm2(d) / nb;
}

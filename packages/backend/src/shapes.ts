import { ImplicitBiasError, formatShape } from '@implicit-bias/core';

/** Shape errors shared by every backend, so all implementations fail the same way. */
function mismatch(op: string, message: string): ImplicitBiasError {
  return new ImplicitBiasError('SHAPE_MISMATCH', message, { path: op });
}

/** Resolve a possibly negative axis against a rank; throws naming the op. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= rank) {
    throw mismatch(op, `axis ${axis} is out of range for an array of rank ${rank}`);
  }
  return a;
}

/** NumPy broadcast of two shapes; throws `SHAPE_MISMATCH` naming the op. */
export function broadcastShapes(a: readonly number[], b: readonly number[], op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw mismatch(op, `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** Result shape of a reduction along `axis` (non-negative): the axis is removed, or kept as 1 with `keepDims`. */
export function reducedShape(shape: readonly number[], axis: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((s, i) => (i === axis ? 1 : s)) : shape.filter((_, i) => i !== axis);
}

/** Shape facts of a matmul, validated. */
export interface MatmulShape {
  /** Batch size of the result: the larger of `batchA` and `batchB` (1 for two rank-2 operands). */
  readonly batch: number;
  /** Batch size of `a` (1 when `a` has rank 2, so it is shared by every batch). */
  readonly batchA: number;
  /** Batch size of `b` (1 when `b` has rank 2). */
  readonly batchB: number;
  /** Rows of the (possibly transposed) left operand and of the result. */
  readonly m: number;
  /** The contracted (inner) dimension. */
  readonly k: number;
  /** Columns of the (possibly transposed) right operand and of the result. */
  readonly n: number;
  /** Result shape: `[m, n]`, or `[batch, m, n]` when either operand has rank 3. */
  readonly out: number[];
}

/** Validate and describe `matmul(a, b, {transposeA, transposeB})`. */
export function matmulShape(
  a: readonly number[],
  b: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
): MatmulShape {
  if (a.length < 2 || a.length > 3 || b.length < 2 || b.length > 3) {
    throw mismatch(
      'matmul',
      `operands must have rank 2 or 3, got ${formatShape(a)} and ${formatShape(b)}`,
    );
  }
  const batchA = a.length === 3 ? a[0]! : 1;
  const batchB = b.length === 3 ? b[0]! : 1;
  if (a.length === 3 && b.length === 3 && batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw mismatch('matmul', `batch sizes differ: ${formatShape(a)} and ${formatShape(b)}`);
  }
  const ar = a[a.length - 2]!;
  const ac = a[a.length - 1]!;
  const br = b[b.length - 2]!;
  const bc = b[b.length - 1]!;
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const k2 = transposeB ? bc : br;
  const n = transposeB ? br : bc;
  if (k !== k2) {
    throw mismatch(
      'matmul',
      `inner dimensions differ: ${formatShape(a)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b)}${transposeB ? 'ᵀ' : ''}`,
    );
  }
  const batch = Math.max(batchA, batchB);
  const out = a.length === 3 || b.length === 3 ? [batch, m, n] : [m, n];
  return { batch, batchA, batchB, m, k, n, out };
}

/** Validate the shapes of a circular convolution / correlation and return the output shape. */
export function circularShape(a: readonly number[], b: readonly number[], op: string): number[] {
  if (a.length < 1 || b.length < 1) throw mismatch(op, 'operands must have rank ≥ 1');
  const d = a[a.length - 1]!;
  if (b[b.length - 1] !== d) {
    throw mismatch(op, `last dimensions differ: ${formatShape(a)} and ${formatShape(b)}`);
  }
  return [...broadcastShapes(a.slice(0, -1), b.slice(0, -1), op), d];
}

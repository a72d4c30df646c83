import { broadcastIndexMap, prod } from './indexing.js';

/** `c_i += Σ_j a_j b_{(i−j) mod d}` for one row, as two contiguous runs per j. */
function convolveRow(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  d: number,
): void {
  for (let j = 0; j < d; j++) {
    const aj = a[ao + j]!;
    // i ≥ j: b_{i−j}; i < j: b_{i−j+d}
    for (let i = j; i < d; i++) c[co + i]! += aj * b[bo + i - j]!;
    for (let i = 0; i < j; i++) c[co + i]! += aj * b[bo + i - j + d]!;
  }
}

/** `c_i += Σ_j a_{(i+j) mod d} b_j` for one row, as two contiguous runs per j. */
function correlateRow(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  d: number,
): void {
  for (let j = 0; j < d; j++) {
    const bj = b[bo + j]!;
    // i + j < d: a_{i+j}; otherwise a_{i+j−d}
    for (let i = 0; i < d - j; i++) c[co + i]! += a[ao + i + j]! * bj;
    for (let i = d - j; i < d; i++) c[co + i]! += a[ao + i + j - d]! * bj;
  }
}

/**
 * Circular convolution or correlation along the last axis, leading axes broadcast to
 * `outShape` (already validated). Direct O(d²) loops per row.
 */
export function circularKernel(
  kind: 'convolve' | 'correlate',
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  outShape: readonly number[],
): Float64Array {
  const d = outShape[outShape.length - 1]!;
  const lead = outShape.slice(0, -1);
  const rows = prod(lead);
  const out = new Float64Array(rows * d);
  const mapA = broadcastIndexMap(aShape.slice(0, -1), lead);
  const mapB = broadcastIndexMap(bShape.slice(0, -1), lead);
  const row = kind === 'convolve' ? convolveRow : correlateRow;
  for (let r = 0; r < rows; r++) row(a, mapA[r]! * d, b, mapB[r]! * d, out, r * d, d);
  return out;
}

import { broadcastIndexMap, prod } from './indexing.js';
import { dft } from './fft.js';

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

/** The DFT of every length-`d` row of `x`, as separate real and imaginary parts. */
function rowSpectra(x: Float64Array, rows: number, d: number): [Float64Array, Float64Array] {
  const re = x.slice(0, rows * d);
  const im = new Float64Array(rows * d);
  const t = dft(d);
  for (let r = 0; r < rows; r++)
    t.run(re.subarray(r * d, (r + 1) * d), im.subarray(r * d, (r + 1) * d), false);
  return [re, im];
}

/**
 * Whether the FFT path is cheaper than direct loops for rows of length `d` (measured with the
 * earlier radix-2 FFT: it won from d = 64, Bluestein's padded transforms from about d = 200–250;
 * the mixed-radix transforms of other lengths are cheaper now, so the second threshold is
 * conservative: a generic-path cost only, results agree either way within the FFT's bound).
 */
export function useFft(d: number): boolean {
  return (d & (d - 1)) === 0 ? d >= 64 : d >= 256;
}

/**
 * Circular convolution or correlation along the last axis, leading axes broadcast to
 * `outShape` (already validated). Direct O(d²) loops for short rows; for long rows the
 * convolution theorem, `DFT(a ∗ b) = A·B` and `DFT(a ⋆ b) = A·conj(B)`, with every input
 * row transformed once however often broadcasting reuses it.
 */
export function circularKernel(
  kind: 'convolve' | 'correlate',
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  outShape: readonly number[],
  fft = useFft(outShape[outShape.length - 1]!),
): Float64Array {
  const d = outShape[outShape.length - 1]!;
  const lead = outShape.slice(0, -1);
  const rows = prod(lead);
  const out = new Float64Array(rows * d);
  const mapA = broadcastIndexMap(aShape.slice(0, -1), lead);
  const mapB = broadcastIndexMap(bShape.slice(0, -1), lead);
  if (!fft || d === 0) {
    const row = kind === 'convolve' ? convolveRow : correlateRow;
    for (let r = 0; r < rows; r++) row(a, mapA[r]! * d, b, mapB[r]! * d, out, r * d, d);
    return out;
  }
  const [ar, ai] = rowSpectra(a, a.length / d, d);
  const [br, bi] = rowSpectra(b, b.length / d, d);
  const sign = kind === 'convolve' ? 1 : -1;
  const pr = new Float64Array(d);
  const pi = new Float64Array(d);
  const t = dft(d);
  for (let r = 0; r < rows; r++) {
    const oa = mapA[r]! * d;
    const ob = mapB[r]! * d;
    for (let k = 0; k < d; k++) {
      const xr = ar[oa + k]!;
      const xi = ai[oa + k]!;
      const yr = br[ob + k]!;
      const yi = sign * bi[ob + k]!;
      pr[k] = xr * yr - xi * yi;
      pi[k] = xr * yi + xi * yr;
    }
    t.run(pr, pi, true);
    out.set(pr, r * d);
  }
  return out;
}

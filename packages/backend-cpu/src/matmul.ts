import type { MatmulShape } from '@implicit-bias/backend';

/** Transpose an `r × c` row-major block starting at `off` into a new `c × r` array. */
function transposeBlock(x: Float64Array, off: number, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = off + i * c;
    for (let j = 0; j < c; j++) t[j * r + i] = x[row + j]!;
  }
  return t;
}

/**
 * One `m × n` product `C = op(A)·op(B)` written into `c` at `co`. Loop orders keep the
 * innermost loop contiguous: i-k-j for plain operands, k-i-j when `A` is transposed, and
 * row-by-row dot products when only `B` is transposed.
 */
function gemm(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
): void {
  if (tb && ta) {
    // Bᵀ stored as n × k: materialize B (k × n) once and fall through to the Aᵀ·B loop
    gemm(a, ao, transposeBlock(b, bo, n, k), 0, c, co, m, k, n, true, false);
    return;
  }
  if (tb) {
    // dot products with four independent accumulators: one accumulator makes every add wait
    // for the previous one (latency-bound); four keep the FP pipeline busy (~2–3× at k ≥ 100)
    const k4 = k - (k % 4);
    for (let i = 0; i < m; i++) {
      const ar = ao + i * k;
      for (let j = 0; j < n; j++) {
        const br = bo + j * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let p = 0;
        for (; p < k4; p += 4) {
          s0 += a[ar + p]! * b[br + p]!;
          s1 += a[ar + p + 1]! * b[br + p + 1]!;
          s2 += a[ar + p + 2]! * b[br + p + 2]!;
          s3 += a[ar + p + 3]! * b[br + p + 3]!;
        }
        for (; p < k; p++) s0 += a[ar + p]! * b[br + p]!;
        c[co + i * n + j] = s0 + s1 + (s2 + s3);
      }
    }
    return;
  }
  if (ta) {
    for (let p = 0; p < k; p++) {
      const ar = ao + p * m;
      const br = bo + p * n;
      for (let i = 0; i < m; i++) {
        const aip = a[ar + i]!;
        const cr = co + i * n;
        for (let j = 0; j < n; j++) c[cr + j]! += aip * b[br + j]!;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ar = ao + i * k;
    const cr = co + i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[ar + p]!;
      const br = bo + p * n;
      for (let j = 0; j < n; j++) c[cr + j]! += aip * b[br + j]!;
    }
  }
}

/** Batched matrix product for a validated {@link MatmulShape}; batch axes broadcast. */
export function matmulKernel(
  a: Float64Array,
  b: Float64Array,
  s: MatmulShape,
  transposeA: boolean,
  transposeB: boolean,
): Float64Array {
  const { batch, batchA, batchB, m, k, n } = s;
  const out = new Float64Array(batch * m * n);
  const sizeA = m * k;
  const sizeB = k * n;
  for (let t = 0; t < batch; t++) {
    const ao = batchA === 1 ? 0 : t * sizeA;
    const bo = batchB === 1 ? 0 : t * sizeB;
    gemm(a, ao, b, bo, out, t * m * n, m, k, n, transposeA, transposeB);
  }
  return out;
}

/**
 * Kernels of the reduced odeco flow (./reduced-flow.ts): the row–vector product and the Gram
 * matrix `A diag(w) Aᵀ`, written for speed with independent accumulators.
 */

/** `Σ_j M[off + j]·v[j]` over `len` entries, with four accumulators (one would wait on every addition). */
export function dot4(M: Float64Array, off: number, v: Float64Array, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < len; j += 4) {
    s0 += M[off + j]! * v[j]!;
    s1 += M[off + j + 1]! * v[j + 1]!;
    s2 += M[off + j + 2]! * v[j + 2]!;
    s3 += M[off + j + 3]! * v[j + 3]!;
  }
  for (; j < len; j++) s0 += M[off + j]! * v[j]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * `out[base + i·n + k] = Σ_j M_ij w_j M_kj` for the `n×mm` row-major `M` (symmetric: the upper
 * triangle is computed four columns k at a time, then mirrored). `aw` is scratch of length ≥ mm.
 */
export function gram(
  M: Float64Array,
  n: number,
  mm: number,
  w: Float64Array,
  out: Float64Array,
  base: number,
  aw: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const ri = i * mm;
    for (let j = 0; j < mm; j++) aw[j] = M[ri + j]! * w[j]!;
    let k = i;
    for (; k + 3 < n; k += 4) {
      const r0 = k * mm;
      const r1 = r0 + mm;
      const r2 = r1 + mm;
      const r3 = r2 + mm;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < mm; j++) {
        const a = aw[j]!;
        s0 += a * M[r0 + j]!;
        s1 += a * M[r1 + j]!;
        s2 += a * M[r2 + j]!;
        s3 += a * M[r3 + j]!;
      }
      out[base + i * n + k] = s0;
      out[base + i * n + k + 1] = s1;
      out[base + i * n + k + 2] = s2;
      out[base + i * n + k + 3] = s3;
    }
    for (; k < n; k++) {
      const rk = k * mm;
      let s = 0;
      for (let j = 0; j < mm; j++) s += aw[j]! * M[rk + j]!;
      out[base + i * n + k] = s;
    }
    for (let k2 = i + 1; k2 < n; k2++) out[base + k2 * n + i] = out[base + i * n + k2]!;
  }
}

/**
 * `A diag(w) Aᵀ` into `out[base..]` over the columns j whose term `|w_j|·‖A[:, j]‖²` is at least
 * `dropTol` times the largest (all columns when `dropTol = 0`). `colNorm2[j] = ‖A[:, j]‖²`.
 */
export function droppedGram(
  A: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  colNorm2: Float64Array,
  dropTol: number,
  out: Float64Array,
  base: number,
  aw: Float64Array,
  gemm?: GemmKernel,
): void {
  if (gemm !== undefined) return keptGram(A, n, m, w, colNorm2, dropTol, out, base, gemm);
  if (dropTol === 0) return gram(A, n, m, w, out, base, aw);
  let big = 0;
  for (let j = 0; j < m; j++) big = Math.max(big, Math.abs(w[j]!) * colNorm2[j]!);
  const keep: number[] = [];
  for (let j = 0; j < m; j++) if (Math.abs(w[j]!) * colNorm2[j]! >= dropTol * big) keep.push(j);
  if (keep.length === m) return gram(A, n, m, w, out, base, aw);
  const mm = keep.length;
  const Ak = new Float64Array(n * mm);
  const wk = new Float64Array(mm);
  keep.forEach((j, t) => {
    wk[t] = w[j]!;
    for (let i = 0; i < n; i++) Ak[i * mm + t] = A[i * m + j]!;
  });
  gram(Ak, n, mm, wk, out, base, aw);
}

/** `y[r·m ..] = A·x[r·n ..]` for `r < rows`, A m×n row-major (the cpu backend's `host.gemm`). */
export type GemmKernel = (
  a: Float64Array,
  x: Float64Array,
  rows: number,
  m: number,
  n: number,
  y: Float64Array,
) => void;

/**
 * {@link droppedGram} through a `gemm` kernel: the kept columns of A and of `A·diag(w)` are packed
 * (n×|kept|), `G = (A diag(w)) Aᵀ` is one product, and the lower triangle is mirrored from the
 * upper one so that G is exactly symmetric.
 */
function keptGram(
  A: Float64Array,
  n: number,
  m: number,
  w: Float64Array,
  colNorm2: Float64Array,
  dropTol: number,
  out: Float64Array,
  base: number,
  gemm: GemmKernel,
): void {
  let big = 0;
  if (dropTol > 0) for (let j = 0; j < m; j++) big = Math.max(big, Math.abs(w[j]!) * colNorm2[j]!);
  const keep: number[] = [];
  for (let j = 0; j < m; j++)
    if (dropTol === 0 || Math.abs(w[j]!) * colNorm2[j]! >= dropTol * big) keep.push(j);
  const mm = keep.length;
  const G = out.subarray(base, base + n * n);
  if (mm === 0) {
    G.fill(0);
    return;
  }
  const Ak = new Float64Array(n * mm);
  const AW = new Float64Array(n * mm);
  for (let i = 0; i < n; i++) {
    const ri = i * m;
    const ro = i * mm;
    for (let t = 0; t < mm; t++) {
      const j = keep[t]!;
      const a = A[ri + j]!;
      Ak[ro + t] = a;
      AW[ro + t] = a * w[j]!;
    }
  }
  // row r of G: Ak·(row r of AW) = Σ_j A_kj w_j A_rj
  gemm(Ak, AW, n, n, mm, G);
  for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) G[k * n + i] = G[i * n + k]!;
}

// Matrix products of the kernel module (see kernels.ts for the conventions): dot products,
// `gemmNT` (rows against rows), `gemmNN` (rank-4 row updates) and their building blocks.
import { dot, dot2 } from './dot';

/** Dot product of two length-k vectors at `a` and `b`. */
export function dotProduct(a: usize, b: usize, k: i32): f64 {
  return dot(a, b, k);
}

/** Doubles of A's rows kept in the first-level cache while {@link gemmNT} streams B past them. */
const TILE_A: i32 = 2048;

/**
 * `C = A·Bᵀ` for A m×k and B n×k (row-major): every entry is a dot product of two contiguous
 * rows. Rows of A (the parameter vectors of a batch: β in β·Xᵀ) go in tiles of about
 * {@link TILE_A} doubles; for each tile every row of B (the data X) is streamed past it once, and
 * within a tile rows of A go two at a time ({@link dot2}), sharing every load of B's row. Every
 * entry rounds as {@link dot} of its two rows, whatever m and the tiles are (so a batch of rows
 * equals each row alone, bit for bit).
 */
export function gemmNT(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32): void {
  const rowA = (<usize>k) << 3;
  const rowC = (<usize>n) << 3;
  const tile = max(2, (TILE_A / max(k, 1)) & ~1);
  for (let i0 = 0; i0 < m; i0 += tile) {
    const i1 = min(m, i0 + tile);
    for (let j = 0; j < n; j++) {
      const bj = b + <usize>j * rowA;
      const cj = c + ((<usize>j) << 3);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const ai = a + <usize>i * rowA;
        const ci = cj + <usize>i * rowC;
        dot2(ai, ai + rowA, bj, k, ci, ci + rowC);
      }
      if (i < i1) store<f64>(cj + <usize>i * rowC, dot(a + <usize>i * rowA, bj, k));
    }
  }
}

/** Doubles of B kept in cache across the row pairs of {@link gemmNN} (a column block). */
const BLOCK: i32 = 32768;

/**
 * `C = op(A)·B` for op(A) m×k with entry (i, p) at `a + 8·(i·rsA + p·csA)` (so A or Aᵀ), and
 * B k×n row-major. Rows of C are built two at a time from rank-4 updates: four rows of B are
 * streamed contiguously per pass and shared by both rows of C, whose entries are loaded and
 * stored once per four rows of B. With more than two rows, columns go in blocks of about
 * {@link BLOCK} doubles of B, so a block stays in cache while every row pair passes over it (B
 * is read from memory once, not ⌈m/2⌉ times). Each entry sums the same terms in the same order
 * whatever m and the blocks are (a batch of rows equals each row alone, bit for bit).
 */
export function gemmNN(
  a: usize,
  rsA: i32,
  csA: i32,
  b: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
): void {
  gemmNNStrided(a, rsA, csA, b, (<usize>n) << 3, c, (<usize>n) << 3, m, k, n);
}

/**
 * {@link gemmNN} with B's rows `rowB` bytes apart and C's rows `rowC` bytes apart (so B and C
 * may be column slices of wider matrices). Each entry sums the same terms in the same order as
 * in `gemmNN`, whatever the slice: a thread computing some columns gets them bit for bit.
 */
export function gemmNNStrided(
  a: usize,
  rsA: i32,
  csA: i32,
  b: usize,
  rowB: usize,
  c: usize,
  rowC: usize,
  m: i32,
  k: i32,
  n: i32,
): void {
  const rowA = (<usize>rsA) << 3;
  const step = (<usize>csA) << 3;
  for (let i = 0; i < m; i++) memory.fill(c + <usize>i * rowC, 0, (<usize>n) << 3);
  const width = m > 2 ? max(16, (BLOCK / max(k, 1)) & ~1) : n;
  for (let j0 = 0; j0 < n; j0 += width) {
    const w = min(width, n - j0);
    const bj = b + ((<usize>j0) << 3);
    const cj = c + ((<usize>j0) << 3);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const ai = a + <usize>i * rowA;
      const ci = cj + <usize>i * rowC;
      rows2(ai, ai + rowA, step, bj, rowB, ci, ci + rowC, k, w);
    }
    if (i < m) row1(a + <usize>i * rowA, step, bj, rowB, cj + <usize>i * rowC, k, w);
  }
}

/**
 * One row of {@link gemmNN}: `c += Σ_p a[p]·B_p` over n columns, a's entries `step` bytes apart,
 * B's rows `rowB` bytes apart.
 */
function row1(ai: usize, step: usize, b: usize, rowB: usize, ci: usize, k: i32, n: i32): void {
  const n2 = n & ~1;
  const k4 = k & ~3;
  let p = 0;
  for (; p < k4; p += 4) {
    const ap = ai + <usize>p * step;
    const x0 = load<f64>(ap);
    const x1 = load<f64>(ap + step);
    const x2 = load<f64>(ap + 2 * step);
    const x3 = load<f64>(ap + 3 * step);
    const v0 = f64x2.splat(x0);
    const v1 = f64x2.splat(x1);
    const v2 = f64x2.splat(x2);
    const v3 = f64x2.splat(x3);
    const b0 = b + <usize>p * rowB;
    const b1 = b0 + rowB;
    const b2 = b1 + rowB;
    const b3 = b2 + rowB;
    let j = 0;
    for (; j < n2; j += 2) {
      const o = (<usize>j) << 3;
      const t01 = f64x2.add(f64x2.mul(v0, v128.load(b0 + o)), f64x2.mul(v1, v128.load(b1 + o)));
      const t23 = f64x2.add(f64x2.mul(v2, v128.load(b2 + o)), f64x2.mul(v3, v128.load(b3 + o)));
      v128.store(ci + o, f64x2.add(v128.load(ci + o), f64x2.add(t01, t23)));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      const t =
        x0 * load<f64>(b0 + o) +
        x1 * load<f64>(b1 + o) +
        (x2 * load<f64>(b2 + o) + x3 * load<f64>(b3 + o));
      store<f64>(ci + o, load<f64>(ci + o) + t);
    }
  }
  for (; p < k; p++) axpyRow(load<f64>(ai + <usize>p * step), b + <usize>p * rowB, ci, n);
}

/** Two rows of {@link gemmNN} sharing every load of B (B's rows `rowB` bytes apart). */
function rows2(
  ai: usize,
  aj: usize,
  step: usize,
  b: usize,
  rowB: usize,
  ci: usize,
  cj: usize,
  k: i32,
  n: i32,
): void {
  const n2 = n & ~1;
  const k4 = k & ~3;
  let p = 0;
  for (; p < k4; p += 4) {
    const ap = ai + <usize>p * step;
    const aq = aj + <usize>p * step;
    const x0 = load<f64>(ap);
    const x1 = load<f64>(ap + step);
    const x2 = load<f64>(ap + 2 * step);
    const x3 = load<f64>(ap + 3 * step);
    const y0 = load<f64>(aq);
    const y1 = load<f64>(aq + step);
    const y2 = load<f64>(aq + 2 * step);
    const y3 = load<f64>(aq + 3 * step);
    const b0 = b + <usize>p * rowB;
    const b1 = b0 + rowB;
    const b2 = b1 + rowB;
    const b3 = b2 + rowB;
    let j = 0;
    for (; j < n2; j += 2) {
      const o = (<usize>j) << 3;
      const u0 = v128.load(b0 + o);
      const u1 = v128.load(b1 + o);
      const u2 = v128.load(b2 + o);
      const u3 = v128.load(b3 + o);
      const s = f64x2.add(
        f64x2.add(f64x2.mul(f64x2.splat(x0), u0), f64x2.mul(f64x2.splat(x1), u1)),
        f64x2.add(f64x2.mul(f64x2.splat(x2), u2), f64x2.mul(f64x2.splat(x3), u3)),
      );
      const t = f64x2.add(
        f64x2.add(f64x2.mul(f64x2.splat(y0), u0), f64x2.mul(f64x2.splat(y1), u1)),
        f64x2.add(f64x2.mul(f64x2.splat(y2), u2), f64x2.mul(f64x2.splat(y3), u3)),
      );
      v128.store(ci + o, f64x2.add(v128.load(ci + o), s));
      v128.store(cj + o, f64x2.add(v128.load(cj + o), t));
    }
    if (j < n) {
      const o = (<usize>j) << 3;
      const e0 = load<f64>(b0 + o);
      const e1 = load<f64>(b1 + o);
      const e2 = load<f64>(b2 + o);
      const e3 = load<f64>(b3 + o);
      store<f64>(ci + o, load<f64>(ci + o) + (x0 * e0 + x1 * e1 + (x2 * e2 + x3 * e3)));
      store<f64>(cj + o, load<f64>(cj + o) + (y0 * e0 + y1 * e1 + (y2 * e2 + y3 * e3)));
    }
  }
  for (; p < k; p++) {
    const bp = b + <usize>p * rowB;
    axpyRow(load<f64>(ai + <usize>p * step), bp, ci, n);
    axpyRow(load<f64>(aj + <usize>p * step), bp, cj, n);
  }
}

/** `c += x·b` over n entries. */
export function axpyRow(x: f64, bp: usize, ci: usize, n: i32): void {
  const v = f64x2.splat(x);
  const n2 = n & ~1;
  let j = 0;
  for (; j < n2; j += 2) {
    const o = (<usize>j) << 3;
    v128.store(ci + o, f64x2.add(v128.load(ci + o), f64x2.mul(v, v128.load(bp + o))));
  }
  if (j < n) {
    const o = (<usize>j) << 3;
    store<f64>(ci + o, load<f64>(ci + o) + x * load<f64>(bp + o));
  }
}

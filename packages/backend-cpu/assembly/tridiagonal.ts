// Householder tridiagonalization of a symmetric matrix (see kernels.ts for the conventions), for
// radau5's Newton systems with a symmetric Jacobian (@implicit-bias/flow's radau5-symmetric.ts
// is the JavaScript original; Golub & Van Loan, Matrix Computations, §8.3.1). The O(n²) loops of
// each of the n − 2 steps (the product with the trailing block, its rank-2 update, the backward
// accumulation of Q) run on f64x2 lanes; the O(n) work per step is scalar.
import { dot } from './dot';
import { axpy1 } from './lu';
import { axpyRow } from './products';

/** Byte address of entry (i, j) of the row-major matrix at `a` with rows `row` bytes apart. */
function at(a: usize, row: usize, i: i32, j: i32): usize {
  return a + <usize>i * row + ((<usize>j) << 3);
}

/** `row[j] = (row[j] − s·x[j]) − t·y[j]` for j in [0, len) (the JavaScript original's roundings). */
function rank2(row: usize, x: usize, y: usize, s: f64, t: f64, len: i32): void {
  const sv = f64x2.splat(s);
  const tv = f64x2.splat(t);
  const l2 = len & ~1;
  let j = 0;
  for (; j < l2; j += 2) {
    const o = (<usize>j) << 3;
    const r = f64x2.sub(v128.load(row + o), f64x2.mul(sv, v128.load(x + o)));
    v128.store(row + o, f64x2.sub(r, f64x2.mul(tv, v128.load(y + o))));
  }
  if (j < len) {
    const o = (<usize>j) << 3;
    store<f64>(row + o, load<f64>(row + o) - s * load<f64>(x + o) - t * load<f64>(y + o));
  }
}

/**
 * Reduce the symmetric row-major n×n matrix at `a` (both triangles filled; overwritten) to
 * `A = Q·T·Qᵀ`: the diagonal of T at `d` (n), its subdiagonal at `e` (n − 1), Q row-major at `q`
 * (n×n). `work` holds n·n + 2n doubles (the Householder vectors, one per row, then p and τ).
 */
export function symTridiagonal(a: usize, n: i32, d: usize, e: usize, q: usize, work: usize): void {
  const row = (<usize>n) << 3;
  const vs = work;
  const p = work + <usize>n * row;
  const tau = p + row;
  for (let k = 0; k + 2 < n; k++) {
    const k1 = k + 1;
    const m = n - k1;
    const x0 = load<f64>(at(a, row, k1, k));
    let tail = 0.0;
    for (let i = k + 2; i < n; i++) {
      const v = load<f64>(at(a, row, i, k));
      tail += v * v;
    }
    store<f64>(d + ((<usize>k) << 3), load<f64>(at(a, row, k, k)));
    if (!(tail > 0)) {
      store<f64>(e + ((<usize>k) << 3), x0);
      store<f64>(tau + ((<usize>k) << 3), 0);
      continue;
    }
    const alpha = Math.sqrt(tail + x0 * x0);
    const s = x0 >= 0 ? -alpha : alpha;
    const t = 1 / (alpha * (alpha + Math.abs(x0)));
    store<f64>(tau + ((<usize>k) << 3), t);
    store<f64>(e + ((<usize>k) << 3), s);
    const v = vs + <usize>k * row + ((<usize>k1) << 3); // v[k1 ..]
    store<f64>(v, x0 - s);
    for (let i = k + 2; i < n; i++)
      store<f64>(v + ((<usize>(i - k1)) << 3), load<f64>(at(a, row, i, k)));
    // p = τ·B·v over the trailing block, and pᵀv
    const pk = p + ((<usize>k1) << 3);
    let pv = 0.0;
    for (let i = 0; i < m; i++) {
      const pi = t * dot(at(a, row, k1 + i, k1), v, m);
      store<f64>(pk + ((<usize>i) << 3), pi);
      pv += pi * load<f64>(v + ((<usize>i) << 3));
    }
    // w = p − (τ/2)(pᵀv)·v;  B ← B − v·wᵀ − w·vᵀ
    const kk = 0.5 * t * pv;
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      store<f64>(pk + o, load<f64>(pk + o) - kk * load<f64>(v + o));
    }
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      rank2(at(a, row, k1 + i, k1), pk, v, load<f64>(v + o), load<f64>(pk + o), m);
    }
  }
  if (n >= 2) {
    store<f64>(d + ((<usize>(n - 2)) << 3), load<f64>(at(a, row, n - 2, n - 2)));
    store<f64>(e + ((<usize>(n - 2)) << 3), load<f64>(at(a, row, n - 1, n - 2)));
  }
  if (n >= 1) store<f64>(d + ((<usize>(n - 1)) << 3), load<f64>(at(a, row, n - 1, n - 1)));
  // Q = H₀·H₁·…·H_{n−3} by backward accumulation: Q_sub ← Q_sub − τ·v·(vᵀ·Q_sub)
  memory.fill(q, 0, <usize>n * row);
  for (let i = 0; i < n; i++) store<f64>(q + <usize>i * row + ((<usize>i) << 3), 1);
  for (let k = n - 3; k >= 0; k--) {
    const t = load<f64>(tau + ((<usize>k) << 3));
    if (t == 0) continue;
    const k1 = k + 1;
    const m = n - k1;
    const v = vs + <usize>k * row + ((<usize>k1) << 3);
    const r = p + ((<usize>k1) << 3);
    memory.fill(r, 0, (<usize>m) << 3);
    for (let i = 0; i < m; i++)
      axpyRow(load<f64>(v + ((<usize>i) << 3)), at(q, row, k1 + i, k1), r, m);
    for (let i = 0; i < m; i++)
      axpy1(at(q, row, k1 + i, k1), r, t * load<f64>(v + ((<usize>i) << 3)), m);
  }
}

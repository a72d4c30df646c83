// The matrix-chain kernels of the kernel module (see kernels.ts): the end-to-end vector of a
// chain of matrices and the gradients of a bilinear form in it with respect to every factor
// (a fully-connected linear network's β and layer contractions), all in linear memory, so
// that a small network's evaluation is a few calls instead of loops over its weights in
// JavaScript.
//
// A chain of L factors with widths w_0 .. w_{L−1} is packed in `theta`: factor l < L − 1 is the
// w_l × w_{l+1} matrix W_l (row-major), the last one the vector c of length w_{L−1}. The widths
// are read from `widths` as float64 (exact small integers).
import { dot, dot2 } from './dot';
import { gemmNN } from './products';

function width(widths: usize, l: i32): i32 {
  return <i32>load<f64>(widths + ((<usize>l) << 3));
}

/**
 * `b_{L−1} = c`, `b_l = W_l·b_{l+1}` for l = L − 2 … 0, into `bs` (b_0 at the start, then
 * b_1 … b_{L−2}, each w_l long); b_0 is the end-to-end vector β = W_0·W_1·…·c. For L = 1,
 * b_0 = c is copied.
 */
export function chainBeta(theta: usize, widths: usize, L: i32, bs: usize): void {
  // byte offsets of the factors in theta and of the b_l in bs
  let off: usize = 0;
  let boff: usize = 0;
  for (let l = 0; l < L - 1; l++) {
    off += (<usize>(width(widths, l) * width(widths, l + 1))) << 3;
    boff += (<usize>width(widths, l)) << 3;
  }
  // off: the last factor c; boff: past b_{L−2}
  if (L === 1) {
    memory.copy(bs, theta, (<usize>width(widths, 0)) << 3);
    return;
  }
  let next = theta + off; // b_{l+1}
  for (let l = L - 2; l >= 0; l--) {
    const rows = width(widths, l);
    const cols = width(widths, l + 1);
    off -= (<usize>(rows * cols)) << 3;
    boff -= (<usize>rows) << 3;
    // b_l[i] = W_l[i, :]·b_{l+1}, two rows of W_l at a time sharing the loads of b_{l+1}
    // (each entry rounds as `dot`, as gemmNT of one row would)
    const wl = theta + off;
    const bl = bs + boff;
    const row = (<usize>cols) << 3;
    let i = 0;
    for (; i + 1 < rows; i += 2) {
      const wi = wl + <usize>i * row;
      dot2(wi, wi + row, next, cols, bl + ((<usize>i) << 3), bl + ((<usize>(i + 1)) << 3));
    }
    if (i < rows) store<f64>(bl + ((<usize>i) << 3), dot(wl + <usize>i * row, next, cols));
    next = bs + boff;
  }
}

/**
 * The contractions of `u` (length w_0) with every factor, given the `bs` of {@link chainBeta}
 * for the same theta: factor l < L − 1 gets the outer product `a_l·b_{l+1}ᵀ` (a_0 = u,
 * a_{l+1} = W_lᵀ·a_l), the last one a_{L−1}; written to `out` packed as theta. `as` holds the
 * a_l of l ≥ 1 (Σ_{l≥1} w_l entries).
 */
export function chainContract(
  theta: usize,
  widths: usize,
  L: i32,
  bs: usize,
  u: usize,
  out: usize,
  as: usize,
): void {
  let a = u;
  let off: usize = 0;
  let boff: usize = 0;
  let aoff: usize = 0;
  for (let l = 0; l < L - 1; l++) {
    const rows = width(widths, l);
    const cols = width(widths, l + 1);
    boff += (<usize>rows) << 3;
    const size = (<usize>(rows * cols)) << 3;
    // b_{l+1}: the last factor itself, or the one chainBeta kept
    const b = l + 1 === L - 1 ? theta + off + size : bs + boff;
    outer(a, b, out + off, rows, cols);
    const next = as + aoff;
    // a_{l+1} = W_lᵀ·a_l (one row a_l times the matrix W_l)
    gemmNN(a, rows, 1, theta + off, next, 1, rows, cols);
    a = next;
    aoff += (<usize>cols) << 3;
    off += size;
  }
  memory.copy(out + off, a, (<usize>width(widths, L - 1)) << 3);
}

/** `o[i, j] = a[i]·b[j]` for i < rows, j < cols (row-major). */
function outer(a: usize, b: usize, o: usize, rows: i32, cols: i32): void {
  const c2 = cols & ~1;
  const row = (<usize>cols) << 3;
  for (let i = 0; i < rows; i++) {
    const x = load<f64>(a + ((<usize>i) << 3));
    const v = f64x2.splat(x);
    const oi = o + <usize>i * row;
    let j = 0;
    for (; j < c2; j += 2) {
      const p = (<usize>j) << 3;
      v128.store(oi + p, f64x2.mul(v, v128.load(b + p)));
    }
    if (j < cols) {
      const p = (<usize>j) << 3;
      store<f64>(oi + p, x * load<f64>(b + p));
    }
  }
}

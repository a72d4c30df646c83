// The squared-loss kernels of the kernel module (see kernels.ts): the residual and gradient of
// a linear model in one call, and its two halves for worker threads (src/threads.ts), each
// entry summed exactly as the one-call kernel sums it.
import { gemmNN, gemmNNStrided, gemmNT } from './products';

/**
 * The first half of {@link residualGradient} for some rows of X: `R = y − B·Xᵀ` (rows×n, X n×d
 * here being those rows, y their targets), each entry as `residualGradient` computes it.
 */
export function residualRows(
  x: usize,
  bm: usize,
  y: usize,
  r: usize,
  rows: i32,
  n: i32,
  d: i32,
): void {
  gemmNT(bm, x, r, rows, d, n);
  const rowR = (<usize>n) << 3;
  for (let q = 0; q < rows; q++) {
    const rq = r + <usize>q * rowR;
    for (let i = 0; i < n; i++) {
      const o = (<usize>i) << 3;
      store<f64>(rq + o, load<f64>(y + o) - load<f64>(rq + o));
    }
  }
}

/**
 * The second half of {@link residualGradient} for columns `j0 .. j0 + w` of X (n×d): `U = R·X`
 * restricted to them, rows×w, each entry as `residualGradient` computes it.
 */
export function gradientColumns(
  x: usize,
  r: usize,
  u: usize,
  rows: i32,
  n: i32,
  d: i32,
  j0: i32,
  w: i32,
): void {
  gemmNNStrided(r, n, 1, x + ((<usize>j0) << 3), (<usize>d) << 3, u, (<usize>w) << 3, rows, n, w);
}

/**
 * The residual and gradient of a linear model under the squared loss for `rows` parameter
 * vectors B (rows×d) and data X (n×d), in one call: `R = y − B·Xᵀ` by {@link gemmNT} and the
 * subtraction, then `U = R·X` by {@link gemmNN} — so every entry is bit for bit what the
 * three steps give separately, for one row of B alone or with any others. (A single pass over
 * X in blocks of four rows, each block serving the residuals then the rank-4 update, measured
 * 10–20% slower at 100×200 to 1000×1000: these kernels are bound by arithmetic, not memory.)
 */
export function residualGradient(
  x: usize,
  bm: usize,
  y: usize,
  r: usize,
  u: usize,
  rows: i32,
  n: i32,
  d: i32,
): void {
  residualRows(x, bm, y, r, rows, n, d);
  gemmNN(r, n, 1, x, u, rows, n, d);
}

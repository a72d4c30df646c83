import { leastSquares } from '../linalg/dense.js';

/** Result of {@link nnls}. */
export interface NnlsResult {
  /** The minimizer `x ≥ 0`. */
  readonly x: Float64Array;
  /** `‖B x − b‖`. */
  readonly residualNorm: number;
  /** Iterations of the outer loop. */
  readonly iterations: number;
}

/**
 * Non-negative least squares `argmin_{x ≥ 0} ‖B x − b‖` (B dense row-major `rows × cols`) by the
 * active-set method of Lawson & Hanson (Solving Least Squares Problems, 1974, ch. 23):
 * 1. start with every variable at its bound (`x = 0`, passive set P empty) and `w = Bᵀ(b − Bx)`;
 * 2. while some `w_j > tol` for j outside P, move the largest into P;
 * 3. solve the unconstrained least squares `z` on P; if some `z_j ≤ 0`, step from x towards z
 *    until the first passive variable hits 0, drop it (and any other zero) from P, repeat 3;
 * 4. otherwise `x = z` and go to 2.
 * At the end `w_j ≤ tol` off P and `x_j > 0` on P: the KKT conditions of the problem. The
 * least-squares subproblems use Householder QR; `tol = 10·ε·‖B‖_F·‖b‖` by default.
 */
export function nnls(
  B: ArrayLike<number>,
  rows: number,
  cols: number,
  b: ArrayLike<number>,
  maxIterations = 3 * cols + 10,
): NnlsResult {
  const x = new Float64Array(cols);
  const passive = new Array<boolean>(cols).fill(false);
  let bNorm = 0;
  let Bnorm = 0;
  for (let i = 0; i < rows; i++) bNorm += b[i]! ** 2;
  for (let k = 0; k < rows * cols; k++) Bnorm += B[k]! ** 2;
  const tol = 10 * 2.220446049250313e-16 * Math.sqrt(Bnorm) * Math.sqrt(bNorm);
  const residual = (): Float64Array => {
    const r = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = b[i]!;
      for (let j = 0; j < cols; j++) s -= B[i * cols + j]! * x[j]!;
      r[i] = s;
    }
    return r;
  };
  const solvePassive = (): Float64Array | null => {
    const idx: number[] = [];
    for (let j = 0; j < cols; j++) if (passive[j]) idx.push(j);
    const sub = new Float64Array(rows * idx.length);
    for (let i = 0; i < rows; i++)
      for (let k = 0; k < idx.length; k++) sub[i * idx.length + k] = B[i * cols + idx[k]!]!;
    const zP = rows >= idx.length ? leastSquares(sub, rows, idx.length, b) : null;
    if (zP === null) return null;
    const z = new Float64Array(cols);
    idx.forEach((j, k) => (z[j] = zP[k]!));
    return z;
  };
  let it = 0;
  for (; it < maxIterations; it++) {
    const r = residual();
    let best = -1;
    let bestW = tol;
    for (let j = 0; j < cols; j++) {
      if (passive[j]) continue;
      let w = 0;
      for (let i = 0; i < rows; i++) w += B[i * cols + j]! * r[i]!;
      if (w > bestW) {
        bestW = w;
        best = j;
      }
    }
    if (best < 0) break;
    passive[best] = true;
    let z = solvePassive();
    if (z === null) {
      // the new column is dependent on the passive ones: it cannot reduce the residual
      passive[best] = false;
      break;
    }
    for (let inner = 0; inner < cols + 1; inner++) {
      let alpha = Infinity;
      for (let j = 0; j < cols; j++) {
        if (passive[j] && z[j]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - z[j]!));
      }
      if (alpha === Infinity) break;
      for (let j = 0; j < cols; j++) {
        if (!passive[j]) continue;
        x[j] = x[j]! + alpha * (z[j]! - x[j]!);
        if (x[j]! <= tol) {
          x[j] = 0;
          passive[j] = false;
        }
      }
      const zz = solvePassive();
      if (zz === null) break;
      z = zz;
    }
    for (let j = 0; j < cols; j++) x[j] = passive[j] ? z[j]! : 0;
  }
  const r = residual();
  let rn = 0;
  for (let i = 0; i < rows; i++) rn += r[i]! ** 2;
  return { x, residualNorm: Math.sqrt(rn), iterations: it };
}

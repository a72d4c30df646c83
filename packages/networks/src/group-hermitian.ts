/** Result of {@link hermitianEigen}. */
export interface HermitianEigen {
  /** Eigenvalues λ_k (real, unsorted). */
  readonly values: Float64Array;
  /** Real parts of V, row-major n×n (column k is the eigenvector of λ_k). */
  readonly vre: Float64Array;
  /** Imaginary parts of V, same layout. */
  readonly vim: Float64Array;
}

/**
 * Eigen-decomposition `A = V diag(λ) V^*` of a complex Hermitian n×n matrix by the cyclic Jacobi
 * method (each rotation first removes the phase of `a_pq`, then applies the real Jacobi rotation of
 * Numerical Recipes §11.1). Converges quadratically; stops when the off-diagonal Frobenius norm is
 * below `1e−15·‖A‖_F` or after 60 sweeps. Small n only (O(n³) per sweep).
 *
 * @param n the order of A
 * @param reIn real parts of A, row-major n×n (A must be Hermitian: only that case is solved)
 * @param imIn imaginary parts of A, row-major n×n
 * @returns eigenvalues (unsorted) and the columns of the unitary V (row-major, real and imaginary parts)
 */
export function hermitianEigen(n: number, reIn: Float64Array, imIn: Float64Array): HermitianEigen {
  const re = Float64Array.from(reIn);
  const im = Float64Array.from(imIn);
  const vre = new Float64Array(n * n);
  const vim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vre[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += re[i]! * re[i]! + im[i]! * im[i]!;
  const tol = 1e-30 * total;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) off += re[p * n + q]! ** 2 + im[p * n + q]! ** 2;
    if (2 * off <= tol) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const r = Math.hypot(re[p * n + q]!, im[p * n + q]!);
        if (r === 0) continue;
        // e^{iφ} = a_pq / r
        const er = re[p * n + q]! / r;
        const ei = im[p * n + q]! / r;
        const tau = (re[q * n + q]! - re[p * n + p]!) / (2 * r);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // G on coordinates (p, q): G_pp = c, G_pq = s, G_qp = −s e^{−iφ}, G_qq = c e^{−iφ}
        rotateColumns(n, re, im, p, q, c, s, er, ei);
        rotateColumns(n, vre, vim, p, q, c, s, er, ei);
        // rows: (G^*M)_p = c M_p − s e^{iφ} M_q, (G^*M)_q = s M_p + c e^{iφ} M_q
        for (let k = 0; k < n; k++) {
          const mpr = re[p * n + k]!;
          const mpi = im[p * n + k]!;
          const mqr = re[q * n + k]!;
          const mqi = im[q * n + k]!;
          const eqr = er * mqr - ei * mqi; // e^{iφ} M_q
          const eqi = er * mqi + ei * mqr;
          re[p * n + k] = c * mpr - s * eqr;
          im[p * n + k] = c * mpi - s * eqi;
          re[q * n + k] = s * mpr + c * eqr;
          im[q * n + k] = s * mpi + c * eqi;
        }
        re[p * n + q] = 0;
        im[p * n + q] = 0;
        re[q * n + p] = 0;
        im[q * n + p] = 0;
        im[p * n + p] = 0;
        im[q * n + q] = 0;
      }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = re[i * n + i]!;
  return { values, vre, vim };
}

/** `M ← M G` on columns p, q (see {@link hermitianEigen}). */
function rotateColumns(
  n: number,
  re: Float64Array,
  im: Float64Array,
  p: number,
  q: number,
  c: number,
  s: number,
  er: number,
  ei: number,
): void {
  for (let k = 0; k < n; k++) {
    const mpr = re[k * n + p]!;
    const mpi = im[k * n + p]!;
    const mqr = re[k * n + q]!;
    const mqi = im[k * n + q]!;
    const fr = er * mqr + ei * mqi; // e^{−iφ} M_q
    const fi = er * mqi - ei * mqr;
    re[k * n + p] = c * mpr - s * fr;
    im[k * n + p] = c * mpi - s * fi;
    re[k * n + q] = s * mpr + c * fr;
    im[k * n + q] = s * mpi + c * fi;
  }
}

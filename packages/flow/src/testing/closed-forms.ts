import { symEig } from './sym-eig.js';

/**
 * Test oracle: the closed-form path of depth-1 gradient flow on the squared loss,
 * `β(t) = β0 + Xᵀ K⁻¹ (I − e^{−tK}) r0` with `K = XXᵀ`, `r0 = y − Xβ0`.
 */
export function linearRegressionClosedForm(
  X: number[][],
  y: number[],
  beta0: number[],
  t: number,
): Float64Array {
  const n = X.length;
  const d = X[0]!.length;
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) K[i * n + j] = X[i]!.reduce((s, v, k) => s + v * X[j]![k]!, 0);
  const r0 = y.map((yi, i) => yi - X[i]!.reduce((s, v, k) => s + v * beta0[k]!, 0));
  const { values, vectors } = symEig(K, n);
  // c = K⁻¹(I − e^{−tK}) r0 = V diag((1 − e^{−tλ})/λ) Vᵀ r0
  const c = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let proj = 0;
    for (let i = 0; i < n; i++) proj += vectors[i * n + a]! * r0[i]!;
    const lam = values[a]!;
    const w = (-Math.expm1(-t * lam) / lam) * proj;
    for (let i = 0; i < n; i++) c[i] = c[i]! + vectors[i * n + a]! * w;
  }
  return Float64Array.from(
    { length: d },
    (_, k) => beta0[k]! + X.reduce((s, row, i) => s + row[k]! * c[i]!, 0),
  );
}

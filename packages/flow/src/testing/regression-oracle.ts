import { luFactor, luSolve } from '../lu.js';

/**
 * Test oracle (docs/theory/q-potential.md) for a depth-3 real odeco network with S = I (diagonal): the limit
 * of gradient flow on squared loss is ρ(λ) with ρ_j = c_j³ h_3(tan(c_j [Aᵀλ]_j)), h_3(t) = t(1+t²),
 * c_j = α|η_j|, where λ solves A ρ(λ) = y. Damped Newton from λ = 0, keeping |c_j [Aᵀλ]_j| < π/2.
 */
export function depth3DiagonalLimit(
  A: readonly (readonly number[])[],
  y: readonly number[],
  c: Float64Array,
): Float64Array {
  const n = A.length;
  const d = c.length;
  const rho = (lam: Float64Array): { r: Float64Array; w: Float64Array; ok: boolean } => {
    const r = new Float64Array(d);
    const w = new Float64Array(d);
    let ok = true;
    for (let j = 0; j < d; j++) {
      let u = 0;
      for (let i = 0; i < n; i++) u += A[i]![j]! * lam[i]!;
      const arg = c[j]! * u;
      if (Math.abs(arg) >= Math.PI / 2) ok = false;
      const T = Math.tan(arg);
      r[j] = c[j]! ** 3 * T * (1 + T * T);
      w[j] = c[j]! ** 4 * (1 + 3 * T * T) * (1 + T * T);
    }
    return { r, w, ok };
  };
  const residual = (r: Float64Array): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => A[i]!.reduce((s, v, j) => s + v * r[j]!, 0) - y[i]!);
  const nrm = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  let lam = new Float64Array(n);
  let cur = rho(lam);
  let res = residual(cur.r);
  for (let it = 0; it < 200 && nrm(res) > 1e-15 * (1 + nrm(Float64Array.from(y))); it++) {
    const J = new Float64Array(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += A[a]![j]! * cur.w[j]! * A[b]![j]!;
        J[a * n + b] = s;
      }
    const step = luSolve(luFactor(J, n), res);
    let t = 1;
    for (;;) {
      const trial = lam.map((v, i) => v - t * step[i]!);
      const next = rho(trial);
      const nr = residual(next.r);
      if (next.ok && nrm(nr) < nrm(res)) {
        lam = trial;
        cur = next;
        res = nr;
        break;
      }
      t /= 2;
      if (t < 1e-12) throw new Error('Newton failed');
    }
  }
  return cur.r;
}

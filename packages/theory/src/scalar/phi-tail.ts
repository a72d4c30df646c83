import { CL, phiL, phiLInverse, phiLPrime } from './phi-l.js';

/**
 * The tail `Ψ_L(t) = C_L − Φ_L(t) = ∫_t^∞ (1+τ²)^{−(L−1)/2} dτ` for `L ≥ 3`, `t ≥ 0`, accurate in
 * relative terms where `C_L − Φ_L(t)` would cancel: for `t² ≥ L+1` the convergent series
 * `Σ_k binom(−(L−1)/2, k) t^{−(L−2+2k)}/(L−2+2k)` (terms decrease from the first since
 * `((L−1)/2 + k)/(k+1)·t^{−2} < 1`), else the difference itself.
 * @internal
 */
export function phiLTail(L: number, t: number): number {
  if (t === Infinity) return 0;
  if (t * t < L + 1) return CL(L) - phiL(L, t);
  const a = (L - 1) / 2;
  const w2 = 1 / (t * t);
  let coef = 1; // binom(−a, k)
  let pw = Math.pow(t, -(L - 2)); // t^{−(L−2+2k)}
  let sum = 0;
  for (let k = 0; k < 400; k++) {
    const term = (coef * pw) / (L - 2 + 2 * k);
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    coef *= -(a + k) / (k + 1);
    pw *= w2;
  }
  return sum;
}

/**
 * Inverse of {@link phiLTail}: the `t ≥ 0` with `Ψ_L(t) = ε`, for `0 < ε ≤ C_L`. For `ε` above
 * `Ψ_L(1)` this is `Φ_L^{−1}(C_L − ε)`; below, Newton on `log Ψ_L(e^u) = log ε` in `u = log t`,
 * safeguarded by the bracket `2^{−(L−1)/(2(L−2))}·t̄ ≤ t ≤ t̄` with `t̄ = ((L−2)ε)^{−1/(L−2)}`
 * (from `2^{−(L−1)/2} τ^{−(L−1)} ≤ (1+τ²)^{−(L−1)/2} ≤ τ^{−(L−1)}` for `τ ≥ 1`).
 * @internal
 */
export function phiLTailInverse(L: number, eps: number): number {
  const c = CL(L);
  if (!(eps > 0)) return eps === 0 ? Infinity : NaN;
  if (eps >= c) return 0;
  if (eps > phiLTail(L, 1)) return phiLInverse(L, c - eps);
  const hi = -Math.log((L - 2) * eps) / (L - 2);
  let uHi = hi;
  let uLo = hi - ((L - 1) / (2 * (L - 2))) * Math.LN2;
  const logEps = Math.log(eps);
  let u = 0.5 * (uLo + uHi);
  for (let it = 0; it < 200; it++) {
    const t = Math.exp(u);
    const psi = phiLTail(L, t);
    const f = Math.log(psi) - logEps; // decreasing in u
    if (f === 0) return t;
    if (f > 0) uLo = Math.max(uLo, u);
    else uHi = Math.min(uHi, u);
    const df = (-t * phiLPrime(L, t)) / psi;
    let next = u - f / df;
    if (!(next > uLo && next < uHi)) next = 0.5 * (uLo + uHi);
    if (
      Math.abs(next - u) <= 1e-16 * Math.max(1, Math.abs(u)) ||
      uHi - uLo <= 1e-16 * Math.max(1, Math.abs(u))
    ) {
      u = next;
      break;
    }
    u = next;
  }
  return Math.exp(u);
}

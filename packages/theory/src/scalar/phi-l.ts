import { assertDepth } from './depth.js';

/**
 * `C_L = Φ_L(∞) = ∫_0^∞ (1+τ²)^{−(L−1)/2} dτ`: finite for `L ≥ 3` (`C_3 = π/2`, `C_4 = 1`,
 * `C_{L+2} = ((L−2)/(L−1)) C_L`), `Infinity` for `L ≤ 2`.
 */
export function CL(L: number): number {
  assertDepth(L);
  if (L <= 2) return Infinity;
  let c = L % 2 === 1 ? Math.PI / 2 : 1;
  for (let k = L % 2 === 1 ? 3 : 4; k < L; k += 2) c *= (k - 2) / (k - 1);
  return c;
}

/**
 * `Φ_L(t) = ∫_0^t (1+τ²)^{−(L−1)/2} dτ` (docs/theory/q-potential.md), odd and increasing. Closed forms
 * `Φ_1 = t`, `Φ_2 = asinh t`, `Φ_3 = atan t`, `Φ_4 = t/√(1+t²)`, and the upward recurrence
 * `Φ_{L+2}(t) = t/((L−1)(1+t²)^{(L−1)/2}) + ((L−2)/(L−1)) Φ_L(t)` (a convex combination of
 * positive terms, hence stable). Defined on the whole real line; `Φ_L(±∞) = ±C_L`.
 */
export function phiL(L: number, t: number): number {
  assertDepth(L);
  if (Number.isNaN(t)) return NaN;
  if (t < 0) return -phiL(L, -t);
  if (L === 1) return t;
  if (L === 2) return Math.asinh(t);
  if (t === Infinity) return CL(L);
  const r = Math.hypot(1, t); // √(1+t²) without overflow
  let k = L % 2 === 1 ? 3 : 4;
  let phi = k === 3 ? Math.atan(t) : t / r;
  for (; k < L; k += 2) phi = t / ((k - 1) * Math.pow(r, k - 1)) + ((k - 2) / (k - 1)) * phi;
  return phi;
}

/** `Φ_L'(t) = (1+t²)^{−(L−1)/2}`. */
export function phiLPrime(L: number, t: number): number {
  assertDepth(L);
  return Math.pow(Math.hypot(1, t), -(L - 1));
}

/**
 * Inverse of {@link phiL}: the `t` with `Φ_L(t) = s`. Closed forms for `L ≤ 4`
 * (`s`, `sinh s`, `tan s`, `s/√(1−s²)`); for `L ≥ 5` a Newton iteration safeguarded by the
 * bracket `|s| ≤ t ≤ ((L−2)(C_L−|s|))^{−1/(L−2)}` (from `Φ_L(t) ≤ t` and
 * `C_L − Φ_L(t) ≤ t^{−(L−2)}/(L−2)`), falling back to bisection when a step leaves it.
 * For `L ≥ 3` the domain is `|s| < C_L`: `±Infinity` at `±C_L`, `NaN` beyond.
 */
export function phiLInverse(L: number, s: number): number {
  assertDepth(L);
  if (Number.isNaN(s)) return NaN;
  if (s < 0) return -phiLInverse(L, -s);
  if (L === 1) return s;
  if (L === 2) return Math.sinh(s);
  const c = CL(L);
  if (s > c) return NaN;
  if (s === c) return Infinity;
  if (L === 3) return Math.tan(s);
  if (L === 4) return s / Math.sqrt((1 - s) * (1 + s));
  if (s === 0) return 0;
  let lo = s;
  let hi = Math.pow((L - 2) * (c - s), -1 / (L - 2));
  if (!(hi > lo)) hi = lo;
  // initial guess: the small-s or the tail asymptote, whichever is nearer the middle
  let t = s < 0.5 * c ? s : hi;
  for (let it = 0; it < 200; it++) {
    const f = phiL(L, t) - s;
    if (f === 0) return t;
    if (f > 0) hi = Math.min(hi, t);
    else lo = Math.max(lo, t);
    let next = t - f / phiLPrime(L, t);
    if (!(next > lo && next < hi)) next = Math.sqrt(lo * hi); // geometric bisection
    if (Math.abs(next - t) <= 2e-16 * t || hi - lo <= 4e-16 * hi) return next;
    t = next;
  }
  return t;
}

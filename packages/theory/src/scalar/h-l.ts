import { assertDepth } from './depth.js';
import { phiL } from './phi-l.js';

/** `h_L(t) = t (1+t²)^{(L−1)/2}` (docs/theory/q-potential.md): odd, increasing, `±Infinity` on overflow. */
export function hL(L: number, t: number): number {
  assertDepth(L);
  if (L === 1) return t;
  return t * Math.pow(Math.hypot(1, t), L - 1);
}

/** `h_L'(t) = (1+t²)^{(L−3)/2} (1 + L t²)`. */
export function hLPrime(L: number, t: number): number {
  assertDepth(L);
  return Math.pow(Math.hypot(1, t), L - 3) * (1 + L * t * t);
}

/** `log(1 + e^x)` without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Inverse of {@link hL}: the `t` with `h_L(t) = z`, for every real `z`. Closed forms for
 * `L ≤ 2`; otherwise Newton on `g(u) = u + ((L−1)/2)·log(1+e^{2u}) − log|z|` in `u = log|t|`,
 * which is increasing and convex with `g' ∈ [1, L]`, then one Newton step in `t`. Started at `u_0 = min(log|z|, log|z|/L)`,
 * an upper bound of the root (because `h_L(t) ≥ max(t, t^L)` for `t > 0`, the asymptotics
 * `t ≈ |z|^{1/L}` for large and `t ≈ z` for small `|z|`), Newton decreases monotonically to the
 * root without overshoot; the iteration stops when the step no longer shrinks.
 */
export function hLInverse(L: number, z: number): number {
  assertDepth(L);
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return -hLInverse(L, -z);
  if (L === 1 || z === 0 || z === Infinity) return z;
  if (L === 2) {
    // t² = (√(1+4z²) − 1)/2 = 2z²/(1 + √(1+4z²)), written without cancellation or overflow
    const w = 2 * z;
    const r = Math.hypot(1, w);
    return z / Math.sqrt((1 + r) / 2);
  }
  const logz = Math.log(z);
  let u = Math.min(logz, logz / L);
  let prevStep = Infinity;
  for (let it = 0; it < 100; it++) {
    const e = 1 / (1 + Math.exp(-2 * u)); // e^{2u}/(1+e^{2u})
    const g = u + ((L - 1) / 2) * softplus(2 * u) - logz;
    const step = g / (1 + (L - 1) * e);
    if (!(Math.abs(step) < prevStep)) break;
    u -= step;
    prevStep = Math.abs(step);
    if (prevStep <= 1e-16 * Math.max(1, Math.abs(u))) break;
  }
  // one Newton step in t itself removes the absolute rounding of u (relative error in t)
  const t = Math.exp(u);
  const polished = t - (hL(L, t) - z) / hLPrime(L, t);
  return Number.isFinite(polished) && polished > 0 ? polished : t;
}

/**
 * `H_L(z) = z·Φ_L(h_L^{−1}(z)) − ½ (h_L^{−1}(z))²` (docs/theory/q-potential.md), the per-coordinate
 * potential whose weighted sum is `Q`. `H_1(z) = z²/2`; `H_2(z) = q(4z)/8` with Woodworth et
 * al. (2020)'s `q`. Even, convex, `H_L(0) = 0`.
 */
export function HL(L: number, z: number): number {
  assertDepth(L);
  if (L === 1) return (z * z) / 2;
  const T = hLInverse(L, z);
  return z * phiL(L, T) - (T * T) / 2;
}

/** `H_L'(z) = Φ_L(h_L^{−1}(z))`. */
export function HLPrime(L: number, z: number): number {
  assertDepth(L);
  return phiL(L, hLInverse(L, z));
}

/** `H_L''(z) = 1/((1+T²)^{L−2} (1 + L T²))` with `T = h_L^{−1}(z)`; `H_1'' = 1`. */
export function HLSecond(L: number, z: number): number {
  assertDepth(L);
  if (L === 1) return 1;
  const T = hLInverse(L, z);
  return 1 / (Math.pow(Math.hypot(1, T), 2 * (L - 2)) * (1 + L * T * T));
}

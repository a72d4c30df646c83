/*
 * Elementary functions built only from +, −, ×, ÷ and sqrt, which IEEE 754 rounds correctly.
 * Math.log / Math.cos / Math.sin are not required to be correctly rounded, so engines may
 * differ in the last bit; these replacements make generated data byte-identical everywhere.
 */
import type { Rng } from '@implicit-bias/core';

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/**
 * Natural logarithm of a positive finite number using only basic arithmetic
 * (relative error a few ulps), so the result is identical on every IEEE 754 platform.
 */
export function portableLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return Number.NaN;
  // x = m · 2^e with m in [1/√2, √2); multiplying by 2 is exact.
  let m = x;
  let e = 0;
  while (m >= SQRT2) {
    m /= 2;
    e++;
  }
  while (m < SQRT2 / 2) {
    m *= 2;
    e--;
  }
  // ln m = 2 atanh(f), f = (m − 1)/(m + 1), |f| ≤ 0.1716.
  const f = (m - 1) / (m + 1);
  const f2 = f * f;
  let term = f;
  let sum = 0;
  for (let k = 0; k < 14; k++) {
    sum += term / (2 * k + 1);
    term *= f2;
  }
  return 2 * sum + e * LN2;
}

/**
 * cos and sin of the angle 2π·m/d for integers m and d > 0, using only basic arithmetic
 * after an exact integer range reduction. Returns `[cos, sin]`.
 */
export function portableCosSinTurns(m: number, d: number): [number, number] {
  const r0 = ((m % d) + d) % d; // in [0, d)
  const q = Math.floor((4 * r0) / d); // quadrant 0..3
  const r = 4 * r0 - q * d; // in [0, d): angle within quadrant is (π/2)·r/d
  let c: number;
  let s: number;
  if (2 * r <= d) {
    const a = (Math.PI / 2) * (r / d);
    [c, s] = cosSinSmall(a);
  } else {
    const a = (Math.PI / 2) * ((d - r) / d);
    const [ca, sa] = cosSinSmall(a);
    c = sa;
    s = ca;
  }
  switch (q) {
    case 0:
      return [c, s];
    case 1:
      return [-s, c];
    case 2:
      return [-c, -s];
    default:
      return [s, -c];
  }
}

// Taylor series for |a| ≤ π/4: truncation error below 1e-20.
function cosSinSmall(a: number): [number, number] {
  const a2 = a * a;
  let c = 0;
  let s = 0;
  let tc = 1;
  let ts = a;
  for (let k = 0; k < 12; k++) {
    c += tc;
    s += ts;
    tc *= -a2 / ((2 * k + 1) * (2 * k + 2));
    ts *= -a2 / ((2 * k + 2) * (2 * k + 3));
  }
  return [c, s];
}

/**
 * A standard normal sample by Marsaglia's polar method from `rng`'s integer-based
 * uniforms and {@link portableLog}: byte-identical on every platform.
 */
export function portableNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.uniform() - 1;
    const v = 2 * rng.uniform() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * portableLog(s)) / s);
  }
}

/** `n` standard normal samples scaled by `scale`, from {@link portableNormal}. */
export function portableNormals(rng: Rng, n: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * portableNormal(rng);
  return out;
}

import { portableNormal } from './portable-math.js';
import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { Rng } from '@implicit-bias/core';

/** `k` distinct indices from 0..d-1, uniformly at random (partial Fisher–Yates), ascending. */
export function sampleSupport(rng: Rng, d: number, k: number): number[] {
  const p = Array.from({ length: d }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(d - i);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p.slice(0, k).sort((a, b) => a - b);
}

/** `v / ‖v‖`; throws INTERNAL for the (probability-zero) zero vector. */
export function unit(v: Float64Array, what: string): Float64Array {
  const nv = norm2(v);
  if (!(nv > 0)) {
    throw new ImplicitBiasError('INTERNAL', `${what} came out as the zero vector`, {
      path: what,
    });
  }
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / nv;
  return out;
}

/** Row `i` of a row-major n×d array times `v`. */
export function rowDot(data: Float64Array, d: number, i: number, v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += data[i * d + j]! * v[j]!;
  return s;
}

/**
 * Regression targets `y = Xβ + noise·ε`, ε ~ N(0, I) drawn from `rng` (row-major X with d
 * columns, n rows); no draws when `noise` is 0.
 */
export function linearTargets(
  X: Float64Array,
  n: number,
  d: number,
  beta: Float64Array,
  noise: number,
  rng: Rng,
): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rowDot(X, d, i, beta) + (noise > 0 ? noise * portableNormal(rng) : 0);
  }
  return y;
}

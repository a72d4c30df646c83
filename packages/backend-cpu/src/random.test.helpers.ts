/** Test data of the kernel tests (kernels.test.ts, chain.test.ts): reproducible entries. */

/** Deterministic pseudo-random entries in [-1, 1) (xorshift; no Math.random). */
export function random(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

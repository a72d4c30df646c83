/** The plain reductions along one axis. */
export type ReduceOp = 'sum' | 'max' | 'min';

/**
 * Reduce the middle axis of an `[outer, n, inner]` view. Rows of `inner` entries are
 * combined contiguously, so the loop stays cache-friendly for any axis.
 */
export function reduceKernel(
  op: ReduceOp,
  a: Float64Array,
  outer: number,
  n: number,
  inner: number,
): Float64Array {
  const out = new Float64Array(outer * inner);
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  out.fill(init);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let j = 0; j < n; j++) {
      const ab = (o * n + j) * inner;
      if (op === 'sum') {
        for (let i = 0; i < inner; i++) out[ob + i]! += a[ab + i]!;
      } else if (op === 'max') {
        for (let i = 0; i < inner; i++) {
          const v = a[ab + i]!;
          if (v > out[ob + i]! || Number.isNaN(v)) out[ob + i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const v = a[ab + i]!;
          if (v < out[ob + i]! || Number.isNaN(v)) out[ob + i] = v;
        }
      }
    }
  }
  return out;
}

/**
 * `log Σ_j exp(a_j)` over the middle axis of `[outer, n, inner]`, shifted by the maximum so
 * that no exponential overflows; an infinite or NaN maximum is returned as is.
 */
export function logSumExpKernel(
  a: Float64Array,
  outer: number,
  n: number,
  inner: number,
): Float64Array {
  const m = reduceKernel('max', a, outer, n, inner);
  const s = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let j = 0; j < n; j++) {
      const ab = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) s[ob + i]! += Math.exp(a[ab + i]! - m[ob + i]!);
    }
  }
  for (let i = 0; i < s.length; i++) {
    const mi = m[i]!;
    s[i] = Number.isFinite(mi) ? mi + Math.log(s[i]!) : mi;
  }
  return s;
}

/** `exp(a − logSumExp(a))` over the middle axis of `[outer, n, inner]`. */
export function softmaxKernel(
  a: Float64Array,
  outer: number,
  n: number,
  inner: number,
): Float64Array {
  const lse = logSumExpKernel(a, outer, n, inner);
  const out = new Float64Array(a.length);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let j = 0; j < n; j++) {
      const ab = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) out[ab + i] = Math.exp(a[ab + i]! - lse[ob + i]!);
    }
  }
  return out;
}

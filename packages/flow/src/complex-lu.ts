// Gaussian elimination with partial pivoting of radau5's complex shifted Newton matrix.

/** LU with partial pivoting of a complex n×n matrix held as separate real and imaginary parts. */
export interface ComplexLuFactors {
  /** Order. */
  readonly n: number;
  /** Real parts of the packed factors (row-major). */
  readonly re: Float64Array;
  /** Imaginary parts of the packed factors (row-major). */
  readonly im: Float64Array;
  /** Row `i` of `P·A` is row `pivots[i]` of `A`. */
  readonly pivots: Int32Array;
  /** False when a pivot is zero or not finite. */
  readonly ok: boolean;
}

/** Factor `(sr + i·si)·I − J` (J real, row-major n×n) by Gaussian elimination with partial pivoting. */
export function complexShiftFactor(
  jac: ArrayLike<number>,
  n: number,
  sr: number,
  si: number,
): ComplexLuFactors {
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) re[i] = -jac[i]!;
  for (let i = 0; i < n; i++) {
    re[i * n + i] = re[i * n + i]! + sr;
    im[i * n + i] = si;
  }
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  let ok = true;
  for (let k = 0; k < n; k++) {
    // pivot by |re| + |im| (LINPACK's complex pivoting: no square roots, same stability)
    let p = k;
    let best = Math.abs(re[k * n + k]!) + Math.abs(im[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(re[i * n + k]!) + Math.abs(im[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) {
      ok = false;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        let t = re[k * n + j]!;
        re[k * n + j] = re[p * n + j]!;
        re[p * n + j] = t;
        t = im[k * n + j]!;
        im[k * n + j] = im[p * n + j]!;
        im[p * n + j] = t;
      }
      const t = pivots[k]!;
      pivots[k] = pivots[p]!;
      pivots[p] = t;
    }
    const pr = re[k * n + k]!;
    const pi = im[k * n + k]!;
    const d = pr * pr + pi * pi;
    for (let i = k + 1; i < n; i++) {
      const ar = re[i * n + k]!;
      const ai = im[i * n + k]!;
      if (ar === 0 && ai === 0) continue;
      // m = a / pivot
      const mr = (ar * pr + ai * pi) / d;
      const mi = (ai * pr - ar * pi) / d;
      re[i * n + k] = mr;
      im[i * n + k] = mi;
      const ri = i * n;
      const rk = k * n;
      for (let j = k + 1; j < n; j++) {
        const ur = re[rk + j]!;
        const ui = im[rk + j]!;
        re[ri + j] = re[ri + j]! - (mr * ur - mi * ui);
        im[ri + j] = im[ri + j]! - (mr * ui + mi * ur);
      }
    }
  }
  return { n, re, im, pivots, ok };
}

/** Solve with complex factors; `(br, bi)` are overwritten by the solution. */
export function complexSolveInPlace(f: ComplexLuFactors, br: Float64Array, bi: Float64Array): void {
  const { n, re, im, pivots } = f;
  const xr = new Float64Array(n);
  const xi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xr[i] = br[pivots[i]!]!;
    xi[i] = bi[pivots[i]!]!;
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let sr = xr[i]!;
    let si = xi[i]!;
    for (let j = 0; j < i; j++) {
      const lr = re[ri + j]!;
      const li = im[ri + j]!;
      const yr = xr[j]!;
      const yi = xi[j]!;
      sr -= lr * yr - li * yi;
      si -= lr * yi + li * yr;
    }
    xr[i] = sr;
    xi[i] = si;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let sr = xr[i]!;
    let si = xi[i]!;
    for (let j = i + 1; j < n; j++) {
      const ur = re[ri + j]!;
      const ui = im[ri + j]!;
      const yr = xr[j]!;
      const yi = xi[j]!;
      sr -= ur * yr - ui * yi;
      si -= ur * yi + ui * yr;
    }
    const dr = re[ri + i]!;
    const di = im[ri + i]!;
    const d = dr * dr + di * di;
    xr[i] = (sr * dr + si * di) / d;
    xi[i] = (si * dr - sr * di) / d;
  }
  br.set(xr);
  bi.set(xi);
}

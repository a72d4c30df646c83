import { RADAU_TRANSFORM, radauTransformSolve, type DenseLu } from './radau5-linear.js';

// Radau IIA's Newton systems for a symmetric Jacobian (a gradient flow's negated Hessian).
// Householder's reduction J = Q·T·Qᵀ (T symmetric tridiagonal, Q orthogonal; Golub & Van Loan,
// Matrix Computations, §8.3.1) costs 8n³/3 flops once per Jacobian; then for any shift σ,
// (σI − J)⁻¹b = Q·(σI − T)⁻¹·Qᵀb is two products with Q and an O(n) tridiagonal solve
// (LAPACK's xGTTRF/xGTTRS, Gaussian elimination with partial pivoting, so an indefinite J is
// solved as safely as by a dense LU). A new step size costs O(n) instead of the dense
// factorizations' 5n³/3 flops (a real and a complex LU): the step size may follow the error
// controller without a refactorization each time.

/** `J = Q·T·Qᵀ`: the tridiagonal form of a symmetric matrix and its orthogonal basis. */
export interface SymmetricTridiagonal {
  /** Order. */
  readonly n: number;
  /** Diagonal of T (n). */
  readonly d: Float64Array;
  /** Sub- (= super-) diagonal of T (n − 1; `e[i] = T[i+1][i]`). */
  readonly e: Float64Array;
  /** Q, row-major n×n. */
  readonly q: Float64Array;
  /** False when J has a non-finite entry. */
  readonly ok: boolean;
}

/**
 * Householder tridiagonalization of the symmetric row-major n×n matrix `jac` (its lower triangle
 * is read; not modified), with Q formed explicitly by backward accumulation; through `lu`'s
 * `tridiagonal` when it has one (the cpu backend's WebAssembly SIMD kernel, equal to rounding).
 */
export function symmetricTridiagonal(
  jac: ArrayLike<number>,
  n: number,
  lu?: DenseLu,
): SymmetricTridiagonal {
  if (lu?.tridiagonal !== undefined) {
    const fast = lu.tridiagonal(jac instanceof Float64Array ? jac : Float64Array.from(jac), n);
    if (fast !== undefined) return fast;
  }
  const a = new Float64Array(n * n);
  let ok = true;
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      const v = jac[i * n + j]!;
      if (!Number.isFinite(v)) ok = false;
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  const tau = new Float64Array(n);
  const p = new Float64Array(n);
  // Householder vector v_k of step k in row k of vs (entries k+1 .. n−1)
  const vs = new Float64Array(n * n);
  for (let k = 0; k + 2 < n; k++) {
    // x = a[k+1 .., k]
    const x0 = a[(k + 1) * n + k]!;
    let tail = 0;
    for (let i = k + 2; i < n; i++) tail += a[i * n + k]! * a[i * n + k]!;
    const norm2 = tail + x0 * x0;
    d[k] = a[k * n + k]!;
    if (!(tail > 0)) {
      // already tridiagonal in this column (H = I)
      e[k] = x0;
      tau[k] = 0;
      continue;
    }
    const alpha = Math.sqrt(norm2);
    const s = x0 >= 0 ? -alpha : alpha; // H x = s·e₁, with no cancellation in v₀ = x₀ − s
    const t = 1 / (alpha * (alpha + Math.abs(x0))); // 2/(vᵀv)
    tau[k] = t;
    e[k] = s;
    const vo = k * n;
    vs[vo + k + 1] = x0 - s;
    for (let i = k + 2; i < n; i++) vs[vo + i] = a[i * n + k]!;
    // p = τ·B·v over the trailing block B = a[k+1 .., k+1 ..]
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      let acc = 0;
      const ro = i * n;
      for (let j = k + 1; j < n; j++) acc += a[ro + j]! * vs[vo + j]!;
      p[i] = t * acc;
      pv += p[i]! * vs[vo + i]!;
    }
    // w = p − (τ/2)(pᵀv)·v, B ← B − v·wᵀ − w·vᵀ
    const kk = 0.5 * t * pv;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - kk * vs[vo + i]!;
    for (let i = k + 1; i < n; i++) {
      const vi = vs[vo + i]!;
      const wi = p[i]!;
      const ro = i * n;
      for (let j = k + 1; j < n; j++) a[ro + j] = a[ro + j]! - vi * p[j]! - wi * vs[vo + j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2]!;
    e[n - 2] = a[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = a[(n - 1) * n + n - 1]!;
  // Q = H₀·H₁·…·H_{n−3}, accumulated from the right end: Q_sub ← H_k·Q_sub
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k]!;
    if (t === 0) continue;
    const vo = k * n;
    // r = vᵀ·Q_sub (row vector over columns k+1 ..), then Q_sub −= τ·v·r
    p.fill(0, k + 1, n);
    for (let i = k + 1; i < n; i++) {
      const vi = vs[vo + i]!;
      const ro = i * n;
      for (let j = k + 1; j < n; j++) p[j] = p[j]! + vi * q[ro + j]!;
    }
    for (let i = k + 1; i < n; i++) {
      const c = t * vs[vo + i]!;
      const ro = i * n;
      for (let j = k + 1; j < n; j++) q[ro + j] = q[ro + j]! - c * p[j]!;
    }
  }
  return { n, d, e, q, ok };
}

/**
 * Gaussian elimination with partial pivoting of the complex tridiagonal `σ·I − T` (LAPACK's
 * ZGTTRF; pivoting by `|re| + |im|`), for `σ = sr + i·si` (`si = 0`: a real matrix).
 */
export interface ShiftedTridiagonalLu {
  /** Order. */
  readonly n: number;
  /** Multipliers (n − 1), real parts. */
  readonly dlr: Float64Array;
  /** Multipliers, imaginary parts. */
  readonly dli: Float64Array;
  /** Diagonal of U (n), real parts. */
  readonly dr: Float64Array;
  /** Diagonal of U, imaginary parts. */
  readonly di: Float64Array;
  /** First superdiagonal of U (n − 1), real parts. */
  readonly ur: Float64Array;
  /** First superdiagonal of U, imaginary parts. */
  readonly ui: Float64Array;
  /** Second superdiagonal of U (fill-in of row interchanges, n − 2), real parts. */
  readonly u2r: Float64Array;
  /** Second superdiagonal of U, imaginary parts. */
  readonly u2i: Float64Array;
  /** Row i was interchanged with row i + 1. */
  readonly swap: Uint8Array;
  /** False when a pivot is zero or not finite. */
  readonly ok: boolean;
}

/** Factor `(sr + i·si)·I − T` for T = {@link SymmetricTridiagonal} `t`. */
export function shiftedTridiagonalLu(
  t: SymmetricTridiagonal,
  sr: number,
  si: number,
): ShiftedTridiagonalLu {
  const { n, d, e } = t;
  const m = Math.max(0, n - 1);
  const dr = new Float64Array(n);
  const di = new Float64Array(n);
  const dlr = new Float64Array(m);
  const dli = new Float64Array(m);
  const ur = new Float64Array(m);
  const ui = new Float64Array(m);
  const u2r = new Float64Array(Math.max(0, n - 2));
  const u2i = new Float64Array(Math.max(0, n - 2));
  const swap = new Uint8Array(m);
  for (let i = 0; i < n; i++) {
    dr[i] = sr - d[i]!;
    di[i] = si;
  }
  for (let i = 0; i < m; i++) {
    dlr[i] = -e[i]!;
    ur[i] = -e[i]!;
  }
  const abs = (r: number, i: number): number => Math.abs(r) + Math.abs(i);
  for (let i = 0; i < m; i++) {
    if (abs(dr[i]!, di[i]!) >= abs(dlr[i]!, dli[i]!)) {
      // no interchange: l = dl/d, d[i+1] −= l·u[i]
      const den = dr[i]! * dr[i]! + di[i]! * di[i]!;
      if (den === 0) continue; // a zero column: the zero pivot fails the check below
      const lr = (dlr[i]! * dr[i]! + dli[i]! * di[i]!) / den;
      const li = (dli[i]! * dr[i]! - dlr[i]! * di[i]!) / den;
      dlr[i] = lr;
      dli[i] = li;
      dr[i + 1] = dr[i + 1]! - (lr * ur[i]! - li * ui[i]!);
      di[i + 1] = di[i + 1]! - (lr * ui[i]! + li * ur[i]!);
    } else {
      // interchange rows i and i+1: l = d/dl
      swap[i] = 1;
      const den = dlr[i]! * dlr[i]! + dli[i]! * dli[i]!;
      const lr = (dr[i]! * dlr[i]! + di[i]! * dli[i]!) / den;
      const li = (di[i]! * dlr[i]! - dr[i]! * dli[i]!) / den;
      dr[i] = dlr[i]!;
      di[i] = dli[i]!;
      dlr[i] = lr;
      dli[i] = li;
      const tr = ur[i]!;
      const ti = ui[i]!;
      ur[i] = dr[i + 1]!;
      ui[i] = di[i + 1]!;
      dr[i + 1] = tr - (lr * ur[i]! - li * ui[i]!);
      di[i + 1] = ti - (lr * ui[i]! + li * ur[i]!);
      if (i + 1 < m) {
        u2r[i] = ur[i + 1]!;
        u2i[i] = ui[i + 1]!;
        const nr = -(lr * ur[i + 1]! - li * ui[i + 1]!);
        const ni = -(lr * ui[i + 1]! + li * ur[i + 1]!);
        ur[i + 1] = nr;
        ui[i + 1] = ni;
      }
    }
  }
  let ok = t.ok;
  for (let i = 0; i < n; i++) {
    const a = abs(dr[i]!, di[i]!);
    if (!(a > 0) || !Number.isFinite(a)) ok = false;
  }
  return { n, dlr, dli, dr, di, ur, ui, u2r, u2i, swap, ok };
}

/** Solve with {@link shiftedTridiagonalLu} factors in place (`bi` undefined: a real system). */
export function shiftedTridiagonalSolve(
  f: ShiftedTridiagonalLu,
  br: Float64Array,
  bi?: Float64Array,
): void {
  const { n, dlr, dli, dr, di, ur, ui, u2r, u2i, swap } = f;
  const xi = bi ?? new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) {
    if (swap[i]) {
      const tr = br[i]!;
      const ti = xi[i]!;
      br[i] = br[i + 1]!;
      xi[i] = xi[i + 1]!;
      br[i + 1] = tr - (dlr[i]! * br[i]! - dli[i]! * xi[i]!);
      xi[i + 1] = ti - (dlr[i]! * xi[i]! + dli[i]! * br[i]!);
    } else {
      br[i + 1] = br[i + 1]! - (dlr[i]! * br[i]! - dli[i]! * xi[i]!);
      xi[i + 1] = xi[i + 1]! - (dlr[i]! * xi[i]! + dli[i]! * br[i]!);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let sr = br[i]!;
    let s2 = xi[i]!;
    if (i + 1 < n) {
      sr -= ur[i]! * br[i + 1]! - ui[i]! * xi[i + 1]!;
      s2 -= ur[i]! * xi[i + 1]! + ui[i]! * br[i + 1]!;
    }
    if (i + 2 < n) {
      sr -= u2r[i]! * br[i + 2]! - u2i[i]! * xi[i + 2]!;
      s2 -= u2r[i]! * xi[i + 2]! + u2i[i]! * br[i + 2]!;
    }
    const den = dr[i]! * dr[i]! + di[i]! * di[i]!;
    br[i] = (sr * dr[i]! + s2 * di[i]!) / den;
    xi[i] = (s2 * dr[i]! - sr * di[i]!) / den;
  }
}

/** Radau IIA's transformed Newton system for a symmetric Jacobian and one step size. */
export interface RadauSymmetricFactors {
  /** Tells these factors from the dense `RadauSplitFactors`. */
  readonly kind: 'symmetric';
  /** Order of the system. */
  readonly dim: number;
  /** Step size the factors were made for. */
  readonly h: number;
  /** The Jacobian's tridiagonal form (shared by every step size). */
  readonly reduction: SymmetricTridiagonal;
  /** `γ/h·I − T`. */
  readonly real: ShiftedTridiagonalLu;
  /** `(α + iβ)/h·I − T`. */
  readonly complex: ShiftedTridiagonalLu;
  /** True when both factorizations succeeded. */
  readonly ok: boolean;
  /** The provider of the products with Q, when it has them (`DenseLu.multiply`). */
  readonly lu?: DenseLu | undefined;
}

/** The factors of Radau IIA's split Newton system for step `h` from a reduction: O(n). */
export function radauSymmetricFactor(
  reduction: SymmetricTridiagonal,
  h: number,
  lu?: DenseLu,
): RadauSymmetricFactors {
  const { gamma, alpha, beta } = RADAU_TRANSFORM;
  const real = shiftedTridiagonalLu(reduction, gamma / h, 0);
  const complex = shiftedTridiagonalLu(reduction, alpha / h, beta / h);
  return {
    kind: 'symmetric',
    dim: reduction.n,
    h,
    reduction,
    real,
    complex,
    ok: real.ok && complex.ok,
    lu,
  };
}

/** `(γ/h·I − J)⁻¹·b` (radau5's error estimate) with symmetric factors. */
export function radauSymmetricRealSolve(f: RadauSymmetricFactors, b: Float64Array): Float64Array {
  const { q, n } = f.reduction;
  const x = new Float64Array(n);
  if (f.lu?.multiply?.(q, n, b, 1, true, x) !== true) qtTimesInto(q, n, b, 1, x);
  shiftedTridiagonalSolve(f.real, x);
  const out = new Float64Array(n);
  if (f.lu?.multiply?.(q, n, x, 1, false, out) !== true) qTimesInto(q, n, x, 1, out);
  return out;
}

/** Solve `(I − h·A⊗J)·ΔZ = rhs` as `radauSplitSolve` does, with symmetric factors. */
export function radauSymmetricSolve(
  f: RadauSymmetricFactors,
  rhs: ArrayLike<number>,
): Float64Array {
  const { q, n } = f.reduction;
  const x = new Float64Array(3 * n);
  return radauTransformSolve(n, f.h, rhs, (_w0, _w1, _w2, packed) => {
    // Qᵀ·w for the three vectors, the tridiagonal solves, then Q back into `packed`
    if (f.lu?.multiply?.(q, n, packed, 3, true, x) !== true) qtTimesInto(q, n, packed, 3, x);
    shiftedTridiagonalSolve(f.real, x.subarray(0, n));
    shiftedTridiagonalSolve(f.complex, x.subarray(n, 2 * n), x.subarray(2 * n));
    if (f.lu?.multiply?.(q, n, x, 3, false, packed) !== true) qTimesInto(q, n, x, 3, packed);
  });
}

/** `out[c] = Qᵀ·v[c]` for `count` packed vectors (one pass over Q for all of them). */
function qtTimesInto(
  q: Float64Array,
  n: number,
  v: Float64Array,
  count: number,
  out: Float64Array,
): void {
  out.fill(0, 0, count * n);
  for (let i = 0; i < n; i++) {
    const ro = i * n;
    for (let c = 0; c < count; c++) {
      const s = v[c * n + i]!;
      if (s === 0) continue;
      const oc = c * n;
      for (let j = 0; j < n; j++) out[oc + j] = out[oc + j]! + q[ro + j]! * s;
    }
  }
}

/** `out[c] = Q·v[c]` for `count` packed vectors. */
function qTimesInto(
  q: Float64Array,
  n: number,
  v: Float64Array,
  count: number,
  out: Float64Array,
): void {
  for (let c = 0; c < count; c++) {
    const vc = c * n;
    for (let i = 0; i < n; i++) {
      const ro = i * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += q[ro + j]! * v[vc + j]!;
      out[vc + i] = acc;
    }
  }
}

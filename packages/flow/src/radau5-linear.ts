import { complexShiftFactor, complexSolveInPlace, type ComplexLuFactors } from './complex-lu.js';
import { luFactor, luSolve, type LuFactors } from './lu.js';

export { complexShiftFactor, complexSolveInPlace, type ComplexLuFactors };

// Hairer's transformation of the Radau IIA Newton system (Hairer & Wanner, Solving ODEs II,
// §IV.8, "Implementation of implicit Runge–Kutta methods"): A⁻¹ = T·Λ·T⁻¹ with
// Λ = [[γ, 0, 0], [0, α, −β], [0, β, α]] turns the 3n×3n system
//   ((hA)⁻¹ ⊗ I − I ⊗ J) ΔZ = R
// into one real n×n system (γ/h·I − J) and one complex n×n system ((α + iβ)/h·I − J): two
// factorizations of n³/3 and 4n³/3 flops instead of one of 9n³. T is computed here from the
// method's coefficients (eigenvectors of A⁻¹), not copied from a table.

const S6 = Math.sqrt(6);
/** Radau IIA (order 5) coefficient matrix, row-major. */
export const RADAU_A: readonly (readonly number[])[] = [
  [(88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225],
  [(296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225],
  [(16 - S6) / 36, (16 + S6) / 36, 1 / 9],
];

type M3 = number[][];

function inverse3(m: readonly (readonly number[])[]): M3 {
  const [a, b, c] = m as [number[], number[], number[]];
  const cof = (r0: number[], r1: number[], i: number, j: number): number =>
    r0[i]! * r1[j]! - r0[j]! * r1[i]!;
  // adjugate via cross products of rows: columns of inverse
  const c0 = [cof(b, c, 1, 2), cof(b, c, 2, 0), cof(b, c, 0, 1)];
  const c1 = [cof(c, a, 1, 2), cof(c, a, 2, 0), cof(c, a, 0, 1)];
  const c2 = [cof(a, b, 1, 2), cof(a, b, 2, 0), cof(a, b, 0, 1)];
  const det = a[0]! * c0[0]! + a[1]! * c0[1]! + a[2]! * c0[2]!;
  return [0, 1, 2].map((i) => [c0[i]! / det, c1[i]! / det, c2[i]! / det]);
}

/** Real roots of the monic cubic t³ + p t² + q t + r by Cardano (one real root expected). */
function realRootOfCubic(p: number, q: number, r: number): number {
  // depressed: t = s − p/3, s³ + a s + b = 0
  const a = q - (p * p) / 3;
  const b = (2 * p * p * p) / 27 - (p * q) / 3 + r;
  const disc = (b * b) / 4 + (a * a * a) / 27;
  const s = Math.cbrt(-b / 2 + Math.sqrt(disc)) + Math.cbrt(-b / 2 - Math.sqrt(disc));
  let t = s - p / 3;
  // one Newton polish on the original cubic
  for (let k = 0; k < 2; k++) {
    const f = ((t + p) * t + q) * t + r;
    const df = (3 * t + 2 * p) * t + q;
    t -= f / df;
  }
  return t;
}

/** Null vector of a rank-2 3×3 complex matrix: the cross product of two of its rows. */
function nullVector(re: M3, im: M3): { re: number[]; im: number[] } {
  // choose the pair of rows whose cross product is largest
  let best = { re: [0, 0, 0], im: [0, 0, 0] };
  let bestNorm = -1;
  for (const [i, j] of [
    [0, 1],
    [0, 2],
    [1, 2],
  ] as const) {
    const vr: number[] = [];
    const vi: number[] = [];
    for (let k = 0; k < 3; k++) {
      const k1 = (k + 1) % 3;
      const k2 = (k + 2) % 3;
      // (a × b)_k = a_k1 b_k2 − a_k2 b_k1, complex
      const ar1 = re[i]![k1]!,
        ai1 = im[i]![k1]!,
        br2 = re[j]![k2]!,
        bi2 = im[j]![k2]!;
      const ar2 = re[i]![k2]!,
        ai2 = im[i]![k2]!,
        br1 = re[j]![k1]!,
        bi1 = im[j]![k1]!;
      vr.push(ar1 * br2 - ai1 * bi2 - (ar2 * br1 - ai2 * bi1));
      vi.push(ar1 * bi2 + ai1 * br2 - (ar2 * bi1 + ai2 * br1));
    }
    const nrm = vr.reduce((s, v) => s + v * v, 0) + vi.reduce((s, v) => s + v * v, 0);
    if (nrm > bestNorm) {
      bestNorm = nrm;
      best = { re: vr, im: vi };
    }
  }
  return best;
}

/** The transformation of Radau IIA's A⁻¹ to its real block form (see the module comment). */
export interface RadauTransform {
  /** Real eigenvalue γ of A⁻¹. */
  readonly gamma: number;
  /** Real part α of the complex pair α ± iβ of A⁻¹'s eigenvalues. */
  readonly alpha: number;
  /** Imaginary part β > 0 of the pair; Λ = [[γ, 0, 0], [0, α, −β], [0, β, α]]. */
  readonly beta: number;
  /** T (row-major 3×3): A⁻¹ = T Λ T⁻¹. */
  readonly T: readonly (readonly number[])[];
  /** T⁻¹ (row-major 3×3). */
  readonly Tinv: readonly (readonly number[])[];
  /** (hA)⁻¹ = h⁻¹ A⁻¹: A⁻¹, row-major. */
  readonly Ainv: readonly (readonly number[])[];
}

function computeTransform(): RadauTransform {
  const Ainv = inverse3(RADAU_A);
  // characteristic polynomial λ³ − tr λ² + c2 λ − det
  const tr = Ainv[0]![0]! + Ainv[1]![1]! + Ainv[2]![2]!;
  const minor = (i: number, j: number): number =>
    Ainv[i]![i]! * Ainv[j]![j]! - Ainv[i]![j]! * Ainv[j]![i]!;
  const c2 = minor(0, 1) + minor(0, 2) + minor(1, 2);
  const det = 1 / detOf(RADAU_A);
  const gamma = realRootOfCubic(-tr, c2, -det);
  // remaining quadratic λ² + (γ − tr) λ + det/γ: roots α ± iβ
  const alpha = (tr - gamma) / 2;
  const beta = Math.sqrt(det / gamma - alpha * alpha);
  const zero = (): M3 => [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  // real eigenvector
  const mr = Ainv.map((row, i) => row.map((v, j) => v - (i === j ? gamma : 0)));
  const v = nullVector(mr, zero()).re;
  // complex eigenvector u = a + ib for the eigenvalue α − iβ: A⁻¹a = αa + βb, A⁻¹b = −βa + αb,
  // so with T = [v a b], A⁻¹T = TΛ where Λ's complex block is [[α, −β], [β, α]].
  const cr = Ainv.map((row, i) => row.map((x, j) => x - (i === j ? alpha : 0)));
  const ci = Ainv.map((row, i) => row.map((_, j) => (i === j ? beta : 0)));
  const u = nullVector(cr, ci);
  const T: M3 = [0, 1, 2].map((i) => [v[i]!, u.re[i]!, u.im[i]!]);
  return { gamma, alpha, beta, T, Tinv: inverse3(T), Ainv };
}

function detOf(m: readonly (readonly number[])[]): number {
  const [a, b, c] = m as [number[], number[], number[]];
  return (
    a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) -
    a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) +
    a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!)
  );
}

/** Hairer's transformation for Radau IIA (order 5), computed once. */
export const RADAU_TRANSFORM: RadauTransform = computeTransform();

// A⁻¹, T and T⁻¹ row-major in flat arrays, for the loops of radauSplitSolve
type Flat3x3 = readonly [number, number, number, number, number, number, number, number, number];
const flat = (m: readonly (readonly number[])[]): Flat3x3 =>
  m.flatMap((row) => [...row]) as unknown as Flat3x3;
const AINV_FLAT = flat(RADAU_TRANSFORM.Ainv);
const T_FLAT = flat(RADAU_TRANSFORM.T);
const TINV_FLAT = flat(RADAU_TRANSFORM.Tinv);

/**
 * Dense LU factorizations that the implicit steppers may use instead of their JavaScript ones
 * ({@link luFactor}, {@link complexShiftFactor}): `IntegrateOptions.lu` passes them to every
 * step. An implementation must give the same factors (same pivoting rule: the first largest `|a|`
 * for real matrices, `|re| + |im|` for complex ones) up to rounding; the cpu backend's
 * WebAssembly ones (`cpuDenseLu` of `@implicit-bias/backend-cpu`) equal them bit for bit. Either
 * may return undefined to leave a matrix to the JavaScript factorization (e.g. out of memory).
 */
export interface DenseLu {
  /** The LU of the row-major `n×n` matrix `a` (not modified), as {@link luFactor}. */
  real(a: Float64Array, n: number): LuFactors | undefined;
  /** The LU of `(sr + i·si)·I − J` for the row-major real `n×n` J, as {@link complexShiftFactor}. */
  complexShift(jac: Float64Array, n: number, sr: number, si: number): ComplexLuFactors | undefined;
  /**
   * Optional: the Householder tridiagonalization of a symmetric matrix (lower triangle read), as
   * `symmetricTridiagonal` of radau5-symmetric.ts up to rounding; radau5 uses it for fields with
   * a symmetric Jacobian.
   */
  tridiagonal?(
    a: Float64Array,
    n: number,
  ):
    | {
        /** Order. */
        readonly n: number;
        /** Diagonal of T (n). */
        readonly d: Float64Array;
        /** Subdiagonal of T (n − 1). */
        readonly e: Float64Array;
        /** Q, row-major n×n. */
        readonly q: Float64Array;
        /** False when the matrix has a non-finite entry. */
        readonly ok: boolean;
      }
    | undefined;
  /**
   * Optional: `out[c] = Q·v[c]` (`transpose`: `Qᵀ·v[c]`) for `count` packed length-n vectors, Q
   * row-major n×n; false leaves it to the caller.
   */
  multiply?(
    q: Float64Array,
    n: number,
    v: Float64Array,
    count: number,
    transpose: boolean,
    out: Float64Array,
  ): boolean;
}

/** {@link luFactor} through `lu` when given (falling back to it when `lu` declines). */
export function denseLuFactor(m: Float64Array, n: number, lu: DenseLu | undefined): LuFactors {
  return lu?.real(m, n) ?? luFactor(m, n);
}

/** The two factorizations of the transformed Radau IIA Newton system for one Jacobian and step. */
export interface RadauSplitFactors {
  /** Order of the system (the state dimension). */
  readonly dim: number;
  /** Step size the factors were made for. */
  readonly h: number;
  /** LU of `γ/h·I − J`. */
  readonly real: LuFactors;
  /** LU of `(α + iβ)/h·I − J`. */
  readonly complex: ComplexLuFactors;
  /** True when both factorizations succeeded. */
  readonly ok: boolean;
}

/**
 * Factor the transformed Newton system of Radau IIA for the Jacobian `jac` (n×n) and step `h`,
 * through `lu` when given (see {@link DenseLu}), else with the JavaScript factorizations.
 */
export function radauSplitFactor(
  jac: ArrayLike<number>,
  dim: number,
  h: number,
  lu?: DenseLu,
): RadauSplitFactors {
  const { gamma, alpha, beta } = RADAU_TRANSFORM;
  const m = new Float64Array(dim * dim);
  for (let i = 0; i < dim * dim; i++) m[i] = -jac[i]!;
  for (let i = 0; i < dim; i++) m[i * dim + i] = m[i * dim + i]! + gamma / h;
  const real = denseLuFactor(m, dim, lu);
  const complex =
    lu?.complexShift(
      jac instanceof Float64Array ? jac : Float64Array.from(jac),
      dim,
      alpha / h,
      beta / h,
    ) ?? complexShiftFactor(jac, dim, alpha / h, beta / h);
  return { dim, h, real, complex, ok: real.ok && complex.ok };
}

/**
 * Solve `(I − h·A⊗J)·ΔZ = rhs` (rhs and ΔZ stage-major, `[3, dim]`) with the split factors:
 * multiply by `(hA)⁻¹ ⊗ I`, transform by `T⁻¹ ⊗ I`, solve the real and complex systems, transform back.
 */
export function radauSplitSolve(f: RadauSplitFactors, rhs: ArrayLike<number>): Float64Array {
  return radauTransformSolve(f.dim, f.h, rhs, (w0, w1, w2) => {
    w0.set(luSolve(f.real, w0));
    complexSolveInPlace(f.complex, w1, w2);
  });
}

/**
 * The transformation around the split systems (see {@link radauSplitSolve}): `solve` replaces
 * `w0` by `(γ/h·I − J)⁻¹w0` and `w1 + i·w2` by `((α + iβ)/h·I − J)⁻¹(w1 + i·w2)` (the three are
 * consecutive views of `packed`).
 */
export function radauTransformSolve(
  dim: number,
  h: number,
  rhs: ArrayLike<number>,
  solve: (w0: Float64Array, w1: Float64Array, w2: Float64Array, packed: Float64Array) => void,
): Float64Array {
  const [a00, a01, a02, a10, a11, a12, a20, a21, a22] = AINV_FLAT;
  const [t00, t01, t02, t10, t11, t12, t20, t21, t22] = T_FLAT;
  const [u00, u01, u02, u10, u11, u12, u20, u21, u22] = TINV_FLAT;
  // s = (hA)⁻¹ rhs (per component, across stages), then w = T⁻¹ s
  const packed = new Float64Array(3 * dim);
  const w0 = packed.subarray(0, dim);
  const w1 = packed.subarray(dim, 2 * dim);
  const w2 = packed.subarray(2 * dim);
  for (let i = 0; i < dim; i++) {
    const r0 = rhs[i]!;
    const r1 = rhs[dim + i]!;
    const r2 = rhs[2 * dim + i]!;
    // the sums start at 0 as they always did (0 + (−0) is +0)
    const s0 = (0 + a00 * r0 + a01 * r1 + a02 * r2) / h;
    const s1 = (0 + a10 * r0 + a11 * r1 + a12 * r2) / h;
    const s2 = (0 + a20 * r0 + a21 * r1 + a22 * r2) / h;
    w0[i] = u00 * s0 + u01 * s1 + u02 * s2;
    w1[i] = u10 * s0 + u11 * s1 + u12 * s2;
    w2[i] = u20 * s0 + u21 * s1 + u22 * s2;
  }
  solve(w0, w1, w2, packed);
  const out = new Float64Array(3 * dim);
  for (let i = 0; i < dim; i++) {
    const v = w0[i]!;
    const x = w1[i]!;
    const y = w2[i]!;
    out[i] = t00 * v + t01 * x + t02 * y;
    out[dim + i] = t10 * v + t11 * x + t12 * y;
    out[2 * dim + i] = t20 * v + t21 * x + t22 * y;
  }
  return out;
}

import type { CpuKernelsOption } from './kernels-js.js';
import { CPU_KERNELS_ENV, envChoice } from './kernels.js';
import { ImplicitBiasError } from '@implicit-bias/core';
import { kernelModule } from './wasm-module.js';

/** An LU factorization with partial pivoting of a dense `n×n` matrix: `P·A = L·U`. */
export interface CpuLuFactors {
  /** Order of the matrix. */
  readonly n: number;
  /** `L` (unit lower, below the diagonal) and `U` (on and above it), packed row-major. */
  readonly lu: Float64Array;
  /** Row `i` of `P·A` is row `pivots[i]` of `A`. */
  readonly pivots: Int32Array;
  /** False when a pivot is exactly zero or not finite (the matrix is numerically singular). */
  readonly ok: boolean;
}

/** The LU factors of a complex `n×n` matrix, real and imaginary parts apart. */
export interface CpuComplexLuFactors {
  /** Order of the matrix. */
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

/**
 * Dense LU factorizations in the kernel module (assembly/lu.ts), for the Newton systems of
 * implicit integrators (`@implicit-bias/flow`'s radau5 takes them as its `DenseLu`). They equal
 * flow's JavaScript `luFactor` and the complex shift factorization of its radau5 bit for bit
 * (same pivots, same roundings, lane by lane), several times faster (docs/adr/0008).
 */
export interface CpuDenseLu {
  /**
   * Factor the row-major `n×n` matrix `a` (not modified) with partial pivoting by `|a|`;
   * undefined when linear memory cannot grow to hold it (the caller factors it itself).
   */
  real(a: Float64Array, n: number): CpuLuFactors | undefined;
  /**
   * Factor `(sr + i·si)·I − J` for the row-major real `n×n` J, pivoting by `|re| + |im|`;
   * undefined when linear memory cannot grow to hold it.
   */
  complexShift(
    jac: Float64Array,
    n: number,
    sr: number,
    si: number,
  ): CpuComplexLuFactors | undefined;
  /**
   * Householder tridiagonalization of the symmetric row-major `n×n` matrix `a` (its lower
   * triangle is read; not modified), Q formed explicitly (assembly/tridiagonal.ts; flow's
   * `symmetricTridiagonal` is the JavaScript original, equal to rounding); undefined when linear
   * memory cannot grow to hold it.
   */
  tridiagonal(a: Float64Array, n: number): CpuSymmetricTridiagonal | undefined;
  /**
   * `out[c] = Q·v[c]` (`transpose`: `Qᵀ·v[c]`) for the `count` length-n vectors packed in `v`,
   * Q row-major `n×n` (kept in linear memory across calls while it is reused); false when memory
   * cannot grow (nothing written).
   */
  multiply(
    q: Float64Array,
    n: number,
    v: Float64Array,
    count: number,
    transpose: boolean,
    out: Float64Array,
  ): boolean;
}

/** `A = Q·T·Qᵀ` for a symmetric A: T's diagonal and subdiagonal, and Q (row-major). */
export interface CpuSymmetricTridiagonal {
  /** Order. */
  readonly n: number;
  /** Diagonal of T (n). */
  readonly d: Float64Array;
  /** Subdiagonal of T (n − 1). */
  readonly e: Float64Array;
  /** Q, row-major n×n, orthogonal. */
  readonly q: Float64Array;
  /** False when A has a non-finite entry. */
  readonly ok: boolean;
}

const align = (bytes: number): number => (bytes + 15) & ~15;

let dense: CpuDenseLu | undefined;

/**
 * The WebAssembly SIMD LU factorizations, or undefined where the kernel path for `option`
 * (default: `IMPLICIT_BIAS_CPU_KERNELS`, else `'auto'`) is JavaScript: the caller then keeps
 * its own JavaScript factorizations, which give the same factors. Throws `BACKEND_UNAVAILABLE`
 * for `'wasm'` where WebAssembly SIMD cannot run, as `selectCpuKernels` does.
 */
export function cpuDenseLu(option?: CpuKernelsOption): CpuDenseLu | undefined {
  const choice = option ?? envChoice();
  if (choice === 'js') return undefined;
  const mod = kernelModule();
  if (typeof mod === 'string') {
    if (choice === 'auto') return undefined;
    throw new ImplicitBiasError(
      'BACKEND_UNAVAILABLE',
      `the WebAssembly SIMD kernels cannot run here: ${mod}; ` +
        `use the JavaScript kernels (${CPU_KERNELS_ENV}=js or kernels: 'js')`,
      { path: 'cpu kernels' },
    );
  }
  if (dense !== undefined) return dense;
  const { exports: x, arena } = mod;
  const pivotsAt = (ptr: number, n: number): Int32Array =>
    new Int32Array(arena.view().buffer, ptr, n).slice();
  dense = Object.freeze({
    real(a: Float64Array, n: number): CpuLuFactors | undefined {
      if (a.length < n * n) throw new RangeError(`real: ${a.length} entries for n = ${n}`);
      const m = a.length === n * n ? a : a.subarray(0, n * n);
      // the matrix is copied (never resident: it is overwritten by its factors)
      if (!arena.place(m, m, align(4 * n), 0)) return undefined;
      const ok = x.luFactor(arena.p0, arena.ps, n) === 1;
      return { n, lu: arena.read(arena.p0, n * n), pivots: pivotsAt(arena.ps, n), ok };
    },
    complexShift(
      jac: Float64Array,
      n: number,
      sr: number,
      si: number,
    ): CpuComplexLuFactors | undefined {
      if (jac.length < n * n)
        throw new RangeError(`complexShift: ${jac.length} entries for n = ${n}`);
      const j = jac.length === n * n ? jac : jac.subarray(0, n * n);
      const part = align(8 * n * n);
      if (!arena.place(j, j, 2 * part + align(4 * n), 0)) return undefined;
      const { p0, ps } = arena;
      const ok = x.complexShiftFactor(p0, ps, ps + part, ps + 2 * part, n, sr, si) === 1;
      return {
        n,
        re: arena.read(ps, n * n),
        im: arena.read(ps + part, n * n),
        pivots: pivotsAt(ps + 2 * part, n),
        ok,
      };
    },
    tridiagonal(a: Float64Array, n: number): CpuSymmetricTridiagonal | undefined {
      if (a.length < n * n) throw new RangeError(`tridiagonal: ${a.length} entries for n = ${n}`);
      // both triangles from the lower one, so the kernel may read either
      const full = new Float64Array(n * n);
      let ok = true;
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++) {
          const v = a[i * n + j]!;
          if (!Number.isFinite(v)) ok = false;
          full[i * n + j] = v;
          full[j * n + i] = v;
        }
      const mat = align(8 * n * n);
      const vec = align(8 * n);
      // scratch: d, e, Q, then the kernel's work (n·n + 2n doubles)
      if (!arena.place(full, full, 2 * vec + 2 * mat + 2 * vec, 0)) return undefined;
      const { p0, ps } = arena;
      const d = ps;
      const e = d + vec;
      const q = e + vec;
      x.symTridiagonal(p0, n, d, e, q, q + mat);
      return {
        n,
        d: arena.read(d, n),
        e: arena.read(e, Math.max(0, n - 1)),
        q: arena.read(q, n * n),
        ok,
      };
    },
    multiply(
      q: Float64Array,
      n: number,
      v: Float64Array,
      count: number,
      transpose: boolean,
      out: Float64Array,
    ): boolean {
      if (q.length < n * n || v.length < count * n || out.length < count * n)
        throw new RangeError(`multiply: sizes do not fit n = ${n}, count = ${count}`);
      const vv = v.length === count * n ? v : v.subarray(0, count * n);
      // Q is fixed (it lives as long as its Jacobian); the vectors change every call
      if (!arena.place(vv, q, align(8 * count * n), 2, 0)) return false;
      const { p0, p1, ps } = arena;
      // rows of V times Q (Qᵀ·v as a row) or times Qᵀ (Q·v)
      if (transpose) x.gemmNN(p0, n, 1, p1, ps, count, n, n);
      else x.gemmNT(p0, p1, ps, count, n, n);
      arena.readInto(ps, out, count * n);
      return true;
    },
  });
  return dense;
}

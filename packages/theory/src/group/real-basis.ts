import type { Irrep } from '@implicit-bias/networks';

/**
 * One term of the Schatten objective in the real block basis: `real1` a real 1-dimensional irrep
 * (one coordinate), `pair` a conjugate pair of complex characters (two coordinates), `real2` a real
 * orthogonal 2-dimensional irrep (four coordinates `u = (a+d, c−b)/√n`, `v = (a−d, b+c)/√n` of its
 * block `[[a, b], [c, d]]`). @internal
 */
export interface BlockTerm {
  readonly kind: 'real1' | 'pair' | 'real2';
  /** First coordinate of the term in γ = Rβ. */
  readonly start: number;
}

/** The real block basis of a group whose irreps all fit it (see {@link realBlockBasis}). @internal */
export interface RealBlockBasis {
  /** Orthogonal n×n matrix (row-major), γ = Rβ. */
  readonly R: Float64Array;
  readonly terms: readonly BlockTerm[];
  /** |G|. */
  readonly n: number;
}

const sizeOf = { real1: 1, pair: 2, real2: 4 } as const;

/** Number of coordinates of a term. @internal */
export const termSize = (t: BlockTerm): number => sizeOf[t.kind];

/**
 * The orthogonal change of basis γ = Rβ in which `Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p` is a sum of functions of
 * the Euclidean norms of 1-, 2- and 4-coordinate groups: for a real 2×2 block
 * `M = [[a, b], [c, d]]`, `M = P + Q` with `P = ½(a+d)I + ½(c−b)J` (a scaled rotation) and `Q` a
 * scaled reflection with `‖Q‖_F = ‖(a−d, b+c)‖/√2`, so `σ₁ = (‖u‖ + ‖v‖)√n/2`,
 * `σ₂ = |‖u‖ − ‖v‖|√n/2` and `‖M‖_* = √n max(‖u‖, ‖v‖)` with `u, v` as in {@link BlockTerm}
 * (Schur orthogonality makes the rows of R orthonormal). Null when some irrep is neither real of
 * dimension ≤ 2 nor a complex character (e.g. numerically computed complex 2-dimensional irreps).
 * @internal
 */
export function realBlockBasis(reps: readonly Irrep[], n: number): RealBlockBasis | null {
  const R = new Float64Array(n * n);
  const terms: BlockTerm[] = [];
  let row = 0;
  const put = (f: (g: number) => number, scale: number): void => {
    for (let g = 0; g < n; g++) R[row * n + g] = scale * f(g);
    row++;
  };
  for (const [k, r] of reps.entries()) {
    const realMatrices = r.real || r.im.every((v) => v === 0);
    if (r.dim === 1 && realMatrices) {
      terms.push({ kind: 'real1', start: row });
      put((g) => r.re[g]!, 1 / Math.sqrt(n));
    } else if (r.dim === 1 && r.conjugate !== k && r.conjugate >= 0) {
      if (r.conjugate < k) continue; // placed with its partner
      terms.push({ kind: 'pair', start: row });
      put((g) => r.re[g]!, Math.SQRT2 / Math.sqrt(n));
      put((g) => r.im[g]!, Math.SQRT2 / Math.sqrt(n));
    } else if (r.dim === 2 && realMatrices) {
      terms.push({ kind: 'real2', start: row });
      const e = (g: number, i: number): number => r.re[g * 4 + i]!;
      const s = 1 / Math.sqrt(n);
      put((g) => e(g, 0) + e(g, 3), s);
      put((g) => e(g, 2) - e(g, 1), s);
      put((g) => e(g, 0) - e(g, 3), s);
      put((g) => e(g, 1) + e(g, 2), s);
    } else return null;
  }
  return row === n ? { R, terms, n } : null;
}

/** `√(x_0² + … )` over `len` coordinates from `s`. @internal */
export function normAt(x: ArrayLike<number>, s: number, len: number): number {
  let q = 0;
  for (let k = 0; k < len; k++) q += x[s + k]! ** 2;
  return Math.sqrt(q);
}

/**
 * The singular values of a term's block(s) from γ: `real1` |γ|√n, `pair` ‖γ‖√(n/2) (twice: both
 * characters of the pair), `real2` `(‖u‖ ± ‖v‖)√n/2`. @internal
 */
export function termSingularValues(
  basis: RealBlockBasis,
  t: BlockTerm,
  gamma: ArrayLike<number>,
): [number, number] {
  const rn = Math.sqrt(basis.n);
  if (t.kind === 'real1') return [Math.abs(gamma[t.start]!) * rn, 0];
  if (t.kind === 'pair') return [normAt(gamma, t.start, 2) * Math.sqrt(basis.n / 2), 0];
  const a = normAt(gamma, t.start, 2);
  const b = normAt(gamma, t.start + 2, 2);
  return [((a + b) * rn) / 2, (Math.abs(a - b) * rn) / 2];
}

/**
 * `Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p` from γ = Rβ (for a `pair`, the two characters together; for `real2`
 * the weight d_ρ = 2). @internal
 */
export function basisObjective(basis: RealBlockBasis, gamma: ArrayLike<number>, p: number): number {
  let s = 0;
  for (const t of basis.terms) {
    const [s1, s2] = termSingularValues(basis, t, gamma);
    const w = t.kind === 'real1' ? 1 : 2;
    s += w * ((s1 > 0 ? s1 ** p : 0) + (t.kind === 'real2' && s2 > 0 ? s2 ** p : 0));
  }
  return s;
}

/**
 * The dual norm of `Σ_ρ d_ρ ‖·‖_*` at g = Rz (z a function on G), in the same units: per term
 * `|g|/√n`, `‖g‖/√(2n)` (a pair), `(‖g_u‖ + ‖g_v‖)/(2√n)` (the operator norm over d_ρ), maximized
 * over terms. @internal
 */
export function basisDualNorm(basis: RealBlockBasis, g: ArrayLike<number>): number {
  const rn = Math.sqrt(basis.n);
  let worst = 0;
  for (const t of basis.terms) {
    const v =
      t.kind === 'real1'
        ? Math.abs(g[t.start]!) / rn
        : t.kind === 'pair'
          ? normAt(g, t.start, 2) / (Math.SQRT2 * rn)
          : (normAt(g, t.start, 2) + normAt(g, t.start + 2, 2)) / (2 * rn);
    worst = Math.max(worst, v);
  }
  return worst;
}

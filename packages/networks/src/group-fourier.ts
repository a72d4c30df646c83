import { ImplicitBiasError } from '@implicit-bias/core';
import type { FiniteGroup } from './group.js';
import type { Irrep } from './group-irreps.js';
import type { ComplexMatrix } from './types.js';

/**
 * The group Fourier transform `f̂(ρ) = Σ_g f(g) ρ(g)` of a real function on G (a vector of length
 * |G|), one d_ρ×d_ρ complex block per irrep. With this convention convolution becomes a product,
 * `(a ∗ b)^(ρ) = â(ρ) b̂(ρ)` for `(a ∗ b)(g) = Σ_{hk=g} a(h) b(k)`, and Plancherel reads
 * `Σ_g f(g)² = (1/|G|) Σ_ρ d_ρ ‖f̂(ρ)‖_F²`, so `f ↦ (√(d_ρ/|G|) f̂(ρ))_ρ` is unitary
 * (see {@link groupFourierMatrix}). For C_n, `f̂(ρ_k) = Σ_j f_j e^{2πijk/n}` is √n times the
 * conjugate of the unitary DFT. docs/theory/group-equivariant.md.
 *
 * @param G the group
 * @param reps its irreps (from `irreps(G)`)
 * @param f values `f(g)`, length |G|
 */
export function groupFourier(
  G: FiniteGroup,
  reps: readonly Irrep[],
  f: ArrayLike<number>,
): ComplexMatrix[] {
  if (f.length !== G.order) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `a function on G needs |G| = ${G.order} values, got ${f.length}`,
      { path: 'f' },
    );
  }
  return reps.map((r) => {
    const dd = r.dim * r.dim;
    const re = new Float64Array(dd);
    const im = new Float64Array(dd);
    for (let g = 0; g < G.order; g++) {
      const v = f[g]!;
      if (v === 0) continue;
      for (let e = 0; e < dd; e++) {
        re[e]! += v * r.re[g * dd + e]!;
        im[e]! += v * r.im[g * dd + e]!;
      }
    }
    return { rows: r.dim, cols: r.dim, re, im };
  });
}

/**
 * The inverse transform `f(g) = (1/|G|) Σ_ρ d_ρ tr(ρ(g)^* f̂(ρ))` (real part: the blocks of a real
 * function).
 *
 * @param G the group
 * @param reps its irreps
 * @param blocks `f̂(ρ)` for every irrep, as from {@link groupFourier}
 */
export function inverseGroupFourier(
  G: FiniteGroup,
  reps: readonly Irrep[],
  blocks: readonly ComplexMatrix[],
): Float64Array {
  const f = new Float64Array(G.order);
  reps.forEach((r, k) => {
    const b = blocks[k]!;
    const dd = r.dim * r.dim;
    for (let g = 0; g < G.order; g++) {
      // Re tr(ρ(g)^* B) = Σ_ij Re(conj ρ_ij B_ij)
      let s = 0;
      for (let e = 0; e < dd; e++) s += r.re[g * dd + e]! * b.re[e]! + r.im[g * dd + e]! * b.im[e]!;
      f[g]! += (r.dim * s) / G.order;
    }
  });
  return f;
}

/**
 * The unitary group Fourier matrix: row `(ρ, i, j)` (irreps in order, then row-major entries)
 * and column g hold `√(d_ρ/|G|) ρ(g)_{ij}`; it is |G|×|G| and unitary because `Σ_ρ d_ρ² = |G|` and
 * the matrix entries of irreps are orthogonal (Schur).
 *
 * @param G the group
 * @param reps its irreps
 */
export function groupFourierMatrix(G: FiniteGroup, reps: readonly Irrep[]): ComplexMatrix {
  const n = G.order;
  const rows = reps.reduce((s, r) => s + r.dim * r.dim, 0);
  const re = new Float64Array(rows * n);
  const im = new Float64Array(rows * n);
  let row = 0;
  for (const r of reps) {
    const dd = r.dim * r.dim;
    const c = Math.sqrt(r.dim / n);
    for (let e = 0; e < dd; e++, row++)
      for (let g = 0; g < n; g++) {
        re[row * n + g] = c * r.re[g * dd + e]!;
        im[row * n + g] = c * r.im[g * dd + e]!;
      }
  }
  return { rows, cols: n, re, im };
}

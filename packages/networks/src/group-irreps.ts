import { ImplicitBiasError, key, normal } from '@implicit-bias/core';
import type { FiniteGroup } from './group.js';
import { hermitianEigen } from './group-hermitian.js';

/**
 * An irreducible unitary representation ρ of a finite group, as the matrices `ρ(g)` of every
 * element: entry (i, j) of `ρ(g)` is `re[(g·dim + i)·dim + j] + i·im[…]`.
 */
export interface Irrep {
  /** Dimension d_ρ. */
  readonly dim: number;
  /** Real parts of `ρ(g)`, `order·dim·dim` entries. */
  readonly re: Float64Array;
  /** Imaginary parts, same layout (all zero for real orthogonal representations). */
  readonly im: Float64Array;
  /** True when every `ρ(g)` is real (orthogonal). */
  readonly real: boolean;
  /** Index of the irrep equivalent to the complex conjugate `ρ̄` (itself when χ is real). */
  readonly conjugate: number;
}

function oneDim(order: number, theta: (g: number) => number): Irrep {
  const re = new Float64Array(order);
  const im = new Float64Array(order);
  for (let g = 0; g < order; g++) {
    re[g] = Math.cos(theta(g));
    im[g] = Math.sin(theta(g));
  }
  const real = im.every((v) => v === 0);
  return { dim: 1, re, im, real, conjugate: -1 };
}

/** `ρ_k(j) = e^{2πi jk/n}`, k = 0..n−1, with the angle reduced mod n in integers. */
function cyclicIrreps(n: number): Irrep[] {
  return Array.from({ length: n }, (_, k) => {
    const r = oneDim(n, (j) => (2 * Math.PI * ((j * k) % n)) / n);
    // exact zeros where the angle is a multiple of π
    for (let j = 0; j < n; j++) if ((2 * j * k) % n === 0) r.im[j] = 0;
    for (let j = 0; j < n; j++) if ((4 * j * k) % n === 0 && (2 * j * k) % n !== 0) r.re[j] = 0;
    return { ...r, real: r.im.every((v) => v === 0), conjugate: (n - k) % n };
  });
}

/**
 * D_n (element k < n is r^k, n + k is s r^k): the 1-dimensional irreps (trivial, sign, and for
 * even n the two with `r ↦ −1`), then for `1 ≤ k < n/2` the real 2-dimensional
 * `ρ_k(r^j) = R(2πjk/n)`, `ρ_k(s) = diag(1, −1)`, `ρ_k(s r^j) = ρ_k(s) ρ_k(r^j)`.
 */
function dihedralIrreps(n: number): Irrep[] {
  const order = 2 * n;
  const flip = (g: number): number => (g >= n ? 1 : 0);
  const out: Irrep[] = [oneDim(order, () => 0), oneDim(order, (g) => Math.PI * flip(g))];
  if (n % 2 === 0) {
    out.push(oneDim(order, (g) => Math.PI * (g % n)));
    out.push(oneDim(order, (g) => Math.PI * ((g % n) + flip(g))));
  }
  for (const r of out) {
    r.re.forEach((v, i) => (r.re[i] = Math.round(v)));
    r.im.fill(0);
  }
  for (let k = 1; 2 * k < n; k++) {
    const re = new Float64Array(order * 4);
    for (let g = 0; g < order; g++) {
      const t = (2 * Math.PI * (((g % n) * k) % n)) / n;
      const [c, s] = [Math.cos(t), Math.sin(t)];
      const sign = flip(g) === 1 ? -1 : 1; // diag(1, −1) on the left negates the second row
      re.set([c, -s, sign * s, sign * c], g * 4);
    }
    out.push({ dim: 2, re, im: new Float64Array(order * 4), real: true, conjugate: -1 });
  }
  return out.map((r, i) => ({ ...r, real: true, conjugate: i }));
}

/** Characters `χ(g) = tr ρ(g)` as [re, im]. */
export function character(r: Irrep, order: number): [Float64Array, Float64Array] {
  const cr = new Float64Array(order);
  const ci = new Float64Array(order);
  const d = r.dim;
  for (let g = 0; g < order; g++)
    for (let i = 0; i < d; i++) {
      cr[g]! += r.re[(g * d + i) * d + i]!;
      ci[g]! += r.im[(g * d + i) * d + i]!;
    }
  return [cr, ci];
}

/**
 * Irreps from the regular representation: a random Hermitian `H[a, b] = φ(a⁻¹b)` with
 * `φ(k⁻¹) = conj φ(k)` commutes with the left regular representation λ, so each eigenspace is
 * λ-invariant, and for generic φ it is one irreducible copy (dimension d_ρ). `ρ(g) = V^* λ(g) V`
 * on an orthonormal eigenbasis V; one representative per character is kept. Checked:
 * `Σ d_ρ² = |G|` and `⟨χ, χ⟩ = 1` (retried with another φ otherwise).
 */
function numericIrreps(G: FiniteGroup): Irrep[] {
  const n = G.order;
  const mul = (a: number, b: number): number => G.mul[a * n + b]!;
  for (let attempt = 0; attempt < 5; attempt++) {
    const z = normal(key(7919 + attempt), 2 * n);
    const phr = new Float64Array(n);
    const phi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const ki = G.inverse[k]!;
      phr[k] = (z[2 * k]! + z[2 * ki]!) / 2;
      phi[k] = (z[2 * k + 1]! - z[2 * ki + 1]!) / 2;
    }
    const hr = new Float64Array(n * n);
    const hi = new Float64Array(n * n);
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        const k = mul(G.inverse[a]!, b);
        hr[a * n + b] = phr[k]!;
        hi[a * n + b] = phi[k]!;
      }
    const { values, vre, vim } = hermitianEigen(n, hr, hi);
    const order = Array.from(values.keys()).sort((i, j) => values[i]! - values[j]!);
    const scale = Math.max(1, ...Array.from(values, Math.abs));
    const clusters: number[][] = [];
    for (const i of order) {
      const last = clusters[clusters.length - 1];
      if (last !== undefined && values[i]! - values[last[last.length - 1]!]! <= 1e-8 * scale)
        last.push(i);
      else clusters.push([i]);
    }
    const found: Irrep[] = [];
    const chars: [Float64Array, Float64Array][] = [];
    let ok = true;
    for (const cols of clusters) {
      const d = cols.length;
      const re = new Float64Array(n * d * d);
      const im = new Float64Array(n * d * d);
      // ρ(g)[i, j] = Σ_h conj(V[gh, i]) V[h, j]
      for (let g = 0; g < n; g++)
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++) {
            let sr = 0;
            let si = 0;
            for (let h = 0; h < n; h++) {
              const a = mul(g, h) * n + cols[i]!;
              const b = h * n + cols[j]!;
              sr += vre[a]! * vre[b]! + vim[a]! * vim[b]!;
              si += vre[a]! * vim[b]! - vim[a]! * vre[b]!;
            }
            re[(g * d + i) * d + j] = sr;
            im[(g * d + i) * d + j] = si;
          }
      const r: Irrep = { dim: d, re, im, real: false, conjugate: -1 };
      const [cr, ci] = character(r, n);
      let norm = 0;
      for (let g = 0; g < n; g++) norm += cr[g]! ** 2 + ci[g]! ** 2;
      if (Math.abs(norm / n - 1) > 1e-8) {
        ok = false; // two irreps share an eigenvalue: try another φ
        break;
      }
      const same = chars.some(
        ([xr, xi]) =>
          xr.every((v, g) => Math.abs(v - cr[g]!) <= 1e-8 * n) &&
          xi.every((v, g) => Math.abs(v - ci[g]!) <= 1e-8 * n),
      );
      if (!same) {
        chars.push([cr, ci]);
        found.push({ ...r, real: im.every((v) => Math.abs(v) <= 1e-14) });
      }
    }
    if (!ok || found.reduce((s, r) => s + r.dim * r.dim, 0) !== n) continue;
    return found.map((r, idx) => {
      const [cr, ci] = chars[idx]!;
      const conjugate = chars.findIndex(([xr, xi]) =>
        xr.every(
          (v, g) => Math.abs(v - cr[g]!) <= 1e-8 * n && Math.abs(xi[g]! + ci[g]!) <= 1e-8 * n,
        ),
      );
      return { ...r, conjugate };
    });
  }
  throw new ImplicitBiasError(
    'INTERNAL',
    `could not split the regular representation of a group of order ${n} into irreducibles (Σ d_ρ² ≠ |G| after 5 random commuting matrices)`,
    { path: 'group.table' },
  );
}

/**
 * The irreducible unitary representations of a finite group, one per equivalence class:
 * closed forms for C_n (`e^{2πi jk/n}`) and D_n (real, dimensions 1 and 2), and for a table
 * computed numerically from the regular representation (unitary to rounding, checked by
 * `Σ d_ρ² = |G|` and `⟨χ_ρ, χ_ρ⟩ = 1`). docs/theory/group-equivariant.md.
 *
 * @param G a validated group (see `finiteGroup`)
 */
export function irreps(G: FiniteGroup): Irrep[] {
  if (G.spec.kind === 'cyclic') return cyclicIrreps(G.spec.n);
  if (G.spec.kind === 'dihedral') return dihedralIrreps(G.spec.n);
  return numericIrreps(G);
}

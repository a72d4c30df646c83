import type { HostMatrix } from '@implicit-bias/core';
import { cholesky, choleskySolve, luSolve, matVec } from '../linalg/dense.js';
import { nnls } from '../certificates/nnls.js';
import { normAt, termSingularValues, termSize } from './real-basis.js';
import type { BlockTerm, RealBlockBasis } from './real-basis.js';

/**
 * The local structure of a term at a stationary point: `zero` (block 0, coordinates fixed at 0),
 * `full` (every singular value > 0: the objective is smooth there), `tie` (`real2` of rank 1:
 * `‖u‖ = ‖v‖`, a constraint with its own multiplier ν). @internal
 */
export type TermShape = 'zero' | 'full' | 'tie';

/** A point of the fixed-structure KKT system solved by {@link blockNewton}. @internal */
export interface BlockNewtonPoint {
  readonly gamma: Float64Array;
  /** Margin multipliers μ ≥ 0 (length = samples; 0 off the active set). */
  readonly mu: Float64Array;
  /** ‖F‖ at the end (F the KKT residual of the fixed structure). */
  readonly residual: number;
}

/**
 * The shapes and active margins read off a point: a block is `zero` when `σ₁ ≤ τ·σ_max`, a
 * `real2` block is a `tie` when `σ₂ ≤ τ·σ₁`, a margin is active when `≤ 1 + τ_m`. @internal
 */
export function identifyStructure(
  basis: RealBlockBasis,
  Zt: HostMatrix,
  gamma: ArrayLike<number>,
  tau: number,
  tauMargin: number,
): { shapes: TermShape[]; active: number[] } {
  const sv = basis.terms.map((t) => termSingularValues(basis, t, gamma));
  const top = Math.max(...sv.map(([s]) => s));
  const shapes = basis.terms.map((t, k): TermShape => {
    const [s1, s2] = sv[k]!;
    if (s1 <= tau * top) return 'zero';
    return t.kind === 'real2' && s2 <= tau * s1 ? 'tie' : 'full';
  });
  const margins = matVec(Zt, gamma);
  const active = Array.from(margins.keys()).filter((i) => margins[i]! <= 1 + tauMargin);
  return { shapes, active };
}

/** Derivatives of `φ(a, b)` for a `real2` term: [φ_a, φ_b, φ_aa, φ_ab, φ_bb]. */
function phi2(a: number, b: number, p: number, tie: boolean): number[] {
  const s = a + b;
  const c1 = p * s ** (p - 1);
  const c2 = p === 1 ? 0 : p * (p - 1) * s ** (p - 2);
  if (tie) return [c1, c1, c2, c2, c2];
  const sg = a > b ? 1 : -1;
  const q = Math.abs(a - b);
  const d1 = p * q ** (p - 1);
  const d2 = p === 1 ? 0 : p * (p - 1) * q ** (p - 2);
  return [c1 + sg * d1, c1 - sg * d1, c2 + d2, c2 - d2, c2 + d2];
}

/**
 * Gradient and Hessian of one term's value (Schatten-p in the real block basis, see
 * `realBlockBasis`) at its coordinates x; for a `tie` also the ν terms: `+ν(‖u‖ − ‖v‖)`.
 */
function termDerivatives(
  t: BlockTerm,
  x: Float64Array,
  p: number,
  n: number,
  tie: boolean,
  nu: number,
): { g: Float64Array; H: Float64Array; dnu: Float64Array } {
  const s = x.length;
  const g = new Float64Array(s);
  const H = new Float64Array(s * s);
  const dnu = new Float64Array(s);
  if (t.kind === 'real1') {
    const C = n ** (p / 2);
    const ax = Math.abs(x[0]!);
    g[0] = C * p * ax ** (p - 1) * Math.sign(x[0]!);
    H[0] = p === 1 ? 0 : C * p * (p - 1) * ax ** (p - 2);
    return { g, H, dnu };
  }
  if (t.kind === 'pair') {
    const C = 2 * (n / 2) ** (p / 2);
    const r = Math.hypot(x[0]!, x[1]!);
    for (let i = 0; i < 2; i++) {
      g[i] = C * p * r ** (p - 2) * x[i]!;
      for (let j = 0; j < 2; j++)
        H[i * 2 + j] =
          C * p * r ** (p - 2) * ((i === j ? 1 : 0) + ((p - 2) * x[i]! * x[j]!) / (r * r));
    }
    return { g, H, dnu };
  }
  const C = 2 * (Math.sqrt(n) / 2) ** p;
  const a = Math.hypot(x[0]!, x[1]!);
  const b = Math.hypot(x[2]!, x[3]!);
  const [fa, fb, faa, fab, fbb] = phi2(a, b, p, tie).map((v) => C * v) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // unit vectors (0 for a vanishing half: then the limit Hessian φ_bb I is used)
  const tiny = 1e-13 * Math.max(a, b);
  const uh = a > tiny ? [x[0]! / a, x[1]! / a] : [0, 0];
  const vh = b > tiny ? [x[2]! / b, x[3]! / b] : [0, 0];
  const ga = fa + (tie ? nu : 0);
  const gb = fb - (tie ? nu : 0);
  for (let i = 0; i < 2; i++) {
    g[i] = a > tiny ? ga * uh[i]! : faa * x[i]!;
    g[2 + i] = b > tiny ? gb * vh[i]! : fbb * x[2 + i]!;
    dnu[i] = tie ? uh[i]! : 0;
    dnu[2 + i] = tie ? -vh[i]! : 0;
    for (let j = 0; j < 2; j++) {
      const id = i === j ? 1 : 0;
      H[i * 4 + j] =
        a > tiny ? faa * uh[i]! * uh[j]! + (ga / a) * (id - uh[i]! * uh[j]!) : faa * id;
      H[(2 + i) * 4 + 2 + j] =
        b > tiny ? fbb * vh[i]! * vh[j]! + (gb / b) * (id - vh[i]! * vh[j]!) : fbb * id;
      H[i * 4 + 2 + j] = fab * uh[i]! * vh[j]!;
      H[(2 + j) * 4 + i] = fab * uh[i]! * vh[j]!;
    }
  }
  return { g, H, dnu };
}

/**
 * Newton's method on the KKT system of `min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p s.t. Zt γ ≥ 1` (γ = Rβ, the real
 * block basis) with the structure held fixed: `zero` terms at 0, active margins equal to 1,
 * `tie` terms on the rank-1 manifold `‖u‖ = ‖v‖`. Unknowns: γ on the non-zero terms, one ν per tie,
 * μ on the active margins; equations: `∇f(γ) + Σ ν ∇h − Σ_A μ_i z_i = 0`, `h = ‖u‖ − ‖v‖ = 0`,
 * `z_iᵀγ = 1`. Returns null when the system is singular, Newton does not converge to
 * `‖F‖ ≤ 1e−11`, the structure changes (a block crosses zero or a tie), a margin is violated or
 * some μ < 0. The caller certifies the result (duality gap for p = 1, `groupKkt` for p < 1).
 * @internal
 */
export function blockNewton(
  basis: RealBlockBasis,
  Zt: HostMatrix,
  gamma0: ArrayLike<number>,
  mu0: ArrayLike<number> | null,
  p: number,
  shapes: readonly TermShape[],
  active: readonly number[],
): BlockNewtonPoint | null {
  const n = basis.n;
  const live = basis.terms.map((t, k) => ({ t, k })).filter(({ k }) => shapes[k] !== 'zero');
  const coords: number[] = [];
  for (const { t } of live) for (let q = 0; q < termSize(t); q++) coords.push(t.start + q);
  const ties = live.filter(({ k }) => shapes[k] === 'tie');
  const m = coords.length;
  const T = ties.length;
  const N = m + T + active.length;
  if (N === 0 || m === 0) return null;
  const x = new Float64Array(N);
  coords.forEach((c, a) => (x[a] = gamma0[c]!));
  const z = (i: number, c: number): number => Zt.data[i * n + c]!;
  if (mu0 !== null) active.forEach((i, b) => (x[m + T + b] = Math.max(0, mu0[i]!)));
  else {
    // μ₀ ≥ 0 fitted to the stationarity rows at γ₀ (NNLS), ν₀ = 0
    const grad = new Float64Array(m);
    let off = 0;
    for (const { t, k } of live) {
      const sz = termSize(t);
      const d = termDerivatives(t, x.slice(off, off + sz), p, n, shapes[k] === 'tie', 0);
      grad.set(d.g, off);
      off += sz;
    }
    const B = new Float64Array(m * active.length);
    coords.forEach((c, a) => active.forEach((i, b) => (B[a * active.length + b] = z(i, c))));
    const fit = nnls(B, m, active.length, grad);
    active.forEach((_, b) => (x[m + T + b] = fit.x[b]!));
  }
  const sign0 = live.map(({ t }) =>
    t.kind === 'real2' ? Math.sign(normAt(gamma0, t.start, 2) - normAt(gamma0, t.start + 2, 2)) : 0,
  );
  let residual = Infinity;
  const evaluate = (xv: Float64Array): { F: Float64Array; J: Float64Array } => {
    const F = new Float64Array(N);
    const J = new Float64Array(N * N);
    let off = 0;
    let tieIdx = 0;
    for (const { t, k } of live) {
      const s = termSize(t);
      const tie = shapes[k] === 'tie';
      const nu = tie ? xv[m + tieIdx]! : 0;
      const d = termDerivatives(t, xv.slice(off, off + s), p, n, tie, nu);
      for (let i = 0; i < s; i++) {
        const row = off + i;
        F[row] = d.g[i]!;
        for (let j = 0; j < s; j++) J[row * N + off + j] = d.H[i * s + j]!;
        if (tie) {
          J[row * N + m + tieIdx] = d.dnu[i]!;
          J[(m + tieIdx) * N + row] = d.dnu[i]!;
        }
        active.forEach((smp, b) => {
          F[row]! -= xv[m + T + b]! * z(smp, coords[row]!);
          J[row * N + m + T + b] = -z(smp, coords[row]!);
        });
      }
      if (tie) {
        F[m + tieIdx] = normAt(xv, off, 2) - normAt(xv, off + 2, 2);
        tieIdx++;
      }
      off += s;
    }
    active.forEach((smp, b) => {
      let v = -1;
      coords.forEach((c, a) => {
        v += z(smp, c) * xv[a]!;
        J[(m + T + b) * N + a] = z(smp, c);
      });
      F[m + T + b] = v;
    });
    return { F, J };
  };
  const scale = Math.max(1, ...Array.from(x, Math.abs));
  for (let it = 0; it < 60; it++) {
    const { F, J } = evaluate(x);
    residual = Math.sqrt(F.reduce((acc, v) => acc + v * v, 0));
    if (!Number.isFinite(residual)) return null;
    if (residual <= 1e-14 * scale * Math.sqrt(N)) break;
    const step = luSolve(J, N, F) ?? levenbergStep(J, N, F);
    if (step === null) return null;
    // damped: halve until ‖F‖ decreases (at most 20 times)
    let tstep = 1;
    for (let h = 0; h < 20; h++) {
      const trial = x.map((v, k) => v - tstep * step[k]!);
      const r = Math.sqrt(evaluate(trial).F.reduce((acc, v) => acc + v * v, 0));
      if (r < residual || h === 19) {
        x.set(trial);
        break;
      }
      tstep /= 2;
    }
  }
  if (!(residual <= 1e-11 * scale)) return null;
  const gamma = new Float64Array(n);
  coords.forEach((c, a) => (gamma[c] = x[a]!));
  const mu = new Float64Array(Zt.rows);
  active.forEach((i, b) => (mu[i] = x[m + T + b]!));
  const muMax = Math.max(0, ...mu);
  if (mu.some((v) => v < -1e-10 * muMax)) return null;
  if (matVec(Zt, gamma).some((v) => v < 1 - 1e-10)) return null;
  // the structure must survive: live blocks stay non-zero, full real2 blocks keep their order
  const sv = live.map(({ t }) => termSingularValues(basis, t, gamma));
  const top = Math.max(...sv.map(([s]) => s));
  for (const [j, { t, k }] of live.entries()) {
    if (sv[j]![0] <= 1e-9 * top) return null;
    if (t.kind === 'real2' && shapes[k] === 'full') {
      const d = normAt(gamma, t.start, 2) - normAt(gamma, t.start + 2, 2);
      if (Math.sign(d) !== sign0[j] || sv[j]![1] <= 1e-9 * sv[j]![0]) return null;
    }
  }
  return { gamma, mu: mu.map((v) => Math.max(0, v)), residual };
}

/**
 * `(JᵀJ + λI)⁻¹ JᵀF` with `λ = 1e−12·‖J‖²_F`: the step when J is singular (a face of minimizers,
 * e.g. several optimal β with the same certified value), converging to a point of the face.
 */
function levenbergStep(J: Float64Array, N: number, F: Float64Array): Float64Array | null {
  const A = new Float64Array(N * N);
  const b = new Float64Array(N);
  let fro = 0;
  for (let k = 0; k < N * N; k++) fro += J[k]! ** 2;
  for (let i = 0; i < N; i++)
    for (let r = 0; r < N; r++) {
      const jri = J[r * N + i]!;
      if (jri === 0) continue;
      b[i]! += jri * F[r]!;
      for (let j = 0; j < N; j++) A[i * N + j]! += jri * J[r * N + j]!;
    }
  for (let i = 0; i < N; i++) A[i * N + i]! += 1e-12 * fro;
  const R = cholesky(A, N, 0);
  return R === null ? null : choleskySolve(R, N, b);
}

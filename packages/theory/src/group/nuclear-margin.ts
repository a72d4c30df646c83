import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { GroupNetwork } from '@implicit-bias/networks';
import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { assertSeparable } from '../classification/separable.js';
import { solveDense } from '../solvers/highs.js';
import type { MaxMarginPrediction } from '../classification/types.js';
import type { NetworkData } from '../network/network-prediction.js';
import { basisDualNorm, basisObjective, normAt, realBlockBasis } from './real-basis.js';
import type { RealBlockBasis } from './real-basis.js';
import { blockNewton, identifyStructure } from './block-newton.js';
import type { TermShape } from './block-newton.js';

/** Result of {@link groupNuclearMargin}. */
export interface GroupNuclearMarginResult extends MaxMarginPrediction {
  readonly kind: 'group-nuclear-margin';
  /** The minimizer at margin 1. */
  readonly beta: Float64Array;
  /** Multipliers μ ≥ 0 of the margin constraints (for the objective `Σ_ρ d_ρ ‖β̂(ρ)‖_*`). */
  readonly dual: Float64Array;
  /** Cutting-plane LPs solved. */
  readonly iterations: number;
}

/** `y_i R x_i` as rows: the margin constraints in the real block basis. @internal */
export function basisData(basis: RealBlockBasis, X: HostMatrix, y: ArrayLike<number>): HostMatrix {
  const n = basis.n;
  const R = { rows: n, cols: n, data: basis.R };
  const Zt = new Float64Array(X.rows * n);
  for (let i = 0; i < X.rows; i++) {
    const rx = matVec(R, X.data.subarray(i * n, (i + 1) * n));
    for (let k = 0; k < n; k++) Zt[i * n + k] = y[i]! * rx[k]!;
  }
  return { rows: X.rows, cols: n, data: Zt };
}

/** Relative weak-duality gap `(Φ(γ) − Σμ/Φ*(Ztᵀμ)) / Φ(γ)` for the nuclear objective Φ. @internal */
export function nuclearGap(
  basis: RealBlockBasis,
  Zt: HostMatrix,
  gamma: ArrayLike<number>,
  mu: ArrayLike<number>,
): number {
  const objective = basisObjective(basis, gamma, 1);
  const dualNorm = basisDualNorm(basis, matTVec(Zt, mu));
  const total = Array.from(mu).reduce((s, v) => s + Math.max(0, v), 0);
  const lower = dualNorm > 0 ? total / dualNorm : 0;
  return Math.max(0, objective - lower) / objective;
}

/** A cone of the LP: `t_term ≥ ⟨(cos φ, sin φ), γ[start..start+size)⟩` for each angle. */
interface Cone {
  readonly term: number;
  readonly start: number;
  readonly size: 1 | 2;
  readonly angles: number[];
}

/**
 * Exact L = 2 limit of a group network whose irreps are real of dimension ≤ 2 or complex
 * characters (D_n, every abelian group, tables whose numerical irreps came out real):
 * `min Σ_ρ d_ρ ‖β̂(ρ)‖_* s.t. y_i⟨x_i, β⟩ ≥ 1`. In the real block basis γ = Rβ (`realBlockBasis`)
 * the objective is `√|G| Σ_k w_k max_c ‖γ_c‖` (w = 1 for a real character, √2 for a conjugate pair,
 * 2 for a 2-dimensional irrep with its two 2-vectors `u`, `v`, since
 * `‖[[a, b], [c, d]]‖_* = max(‖(a+d, c−b)‖, ‖(a−d, b+c)‖)`): a second-order cone program. Solved by
 * Kelley cutting planes (HiGHS LPs with tangent cuts of every cone), finished by Newton on the KKT
 * system of the identified structure (zero blocks, rank-1 blocks `‖u‖ = ‖v‖`, active margins;
 * `blockNewton`), certified by the weak-duality gap `Σμ / max_ρ (‖ẑ_μ(ρ)‖_op/… )` (`nuclearGap`).
 * `status` is `'converged'` when the gap is ≤ 1e−9 and the margins hold to 1e−12, else `'stalled'`.
 * Throws `INVALID_CONFIG` when the irreps do not fit (use `groupSchattenMaxMargin`), `NOT_SEPARABLE`.
 *
 * @param net the group network
 * @param data `X` (n×|G|) and labels ±1
 */
export async function groupNuclearMargin(
  net: GroupNetwork,
  data: NetworkData,
): Promise<GroupNuclearMarginResult> {
  const { X, y } = data;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  const n = net.inputDim;
  if (X.cols !== n) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', `X has ${X.cols} columns, |G| = ${n}`, {
      path: 'X',
    });
  }
  const basis = realBlockBasis(net.irreps(), n);
  if (basis === null) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'the exact nuclear-norm SOCP needs irreps that are real of dimension ≤ 2 or complex characters; use groupSchattenMaxMargin (IRLS) for this group',
      { path: 'net.group' },
    );
  }
  await assertSeparable(X, y, 'group nuclear-norm max margin', 'X');
  const Zt = basisData(basis, X, y);
  const rn = Math.sqrt(n);
  // Φ(γ)/√|G| = Σ_k w_k max_c ‖γ_c‖ (the LP's cost)
  const weights = basis.terms.map((t) =>
    t.kind === 'real1' ? 1 : t.kind === 'pair' ? Math.SQRT2 : 2,
  );
  const cones: Cone[] = [];
  const eight = (): number[] => Array.from({ length: 8 }, (_, a) => (a * Math.PI) / 4);
  basis.terms.forEach((t, k) => {
    if (t.kind === 'real1') cones.push({ term: k, start: t.start, size: 1, angles: [0, Math.PI] });
    else cones.push({ term: k, start: t.start, size: 2, angles: eight() });
    if (t.kind === 'real2') cones.push({ term: k, start: t.start + 2, size: 2, angles: eight() });
  });
  const K = basis.terms.length;
  const m = X.rows;
  let gamma: Float64Array = new Float64Array(n);
  let mu: Float64Array = new Float64Array(m);
  let best: { gamma: Float64Array; mu: Float64Array; gap: number; residual: number } | null = null;
  let it = 0;
  for (; it < 200; it++) {
    const cuts = cones.reduce((s, c) => s + c.angles.length, 0);
    const numCols = n + K;
    const numRows = m + cuts;
    const rows = new Float64Array(numRows * numCols);
    for (let i = 0; i < m; i++) rows.set(Zt.data.subarray(i * n, (i + 1) * n), i * numCols);
    const cutCone: number[] = [];
    let r = m;
    cones.forEach((c, ci) => {
      for (const phi of c.angles) {
        rows[r * numCols + c.start] = -Math.cos(phi);
        if (c.size === 2) rows[r * numCols + c.start + 1] = -Math.sin(phi);
        rows[r * numCols + n + c.term] = 1;
        cutCone.push(ci);
        r++;
      }
    });
    const sol = await solveDense({
      numCols,
      cost: [...new Array<number>(n).fill(0), ...weights],
      colLower: [...new Array<number>(n).fill(-Infinity), ...new Array<number>(K).fill(0)],
      colUpper: new Float64Array(numCols).fill(Infinity),
      numRows,
      rows,
      rowLower: [...new Array<number>(m).fill(1), ...new Array<number>(cuts).fill(0)],
      rowUpper: new Float64Array(numRows).fill(Infinity),
    });
    gamma = sol.x.slice(0, n);
    mu = sol.rowDual.slice(0, m).map((v) => Math.max(0, v) * rn);
    const gapLp = nuclearGap(basis, Zt, gamma, mu);
    if (best === null || gapLp < best.gap) best = { gamma, mu, gap: gapLp, residual: NaN };
    // cone multipliers (Σ of the cut duals): both halves of a 2-dim block carry weight at a tie
    const lambda = new Float64Array(cones.length);
    cutCone.forEach((ci, j) => (lambda[ci]! += Math.abs(sol.rowDual[m + j]!)));
    if (it % 4 === 3 || gapLp <= 1e-9) {
      const finish = newtonFinish(basis, Zt, gamma, mu, cones, lambda, weights);
      if (finish !== null && finish.gap < best.gap) best = finish;
      if (best.gap <= 1e-12 || gapLp <= 1e-9) break;
    }
    cones.forEach((c) => {
      const v = normAt(gamma, c.start, c.size);
      if (c.size === 2 && v > sol.x[n + c.term]! * (1 + 1e-12)) {
        c.angles.push(Math.atan2(gamma[c.start + 1]!, gamma[c.start]!));
      }
    });
  }
  if (best === null) throw new ImplicitBiasError('INTERNAL', 'no LP was solved', { path: 'X' });
  const beta = matTVec({ rows: n, cols: n, data: basis.R }, best.gamma);
  const objective = basisObjective(basis, best.gamma, 1);
  const minMargin = Math.min(...matVec(Zt, best.gamma));
  const nb = norm2(beta);
  return {
    kind: 'group-nuclear-margin',
    beta,
    direction: beta.map((v) => v / nb),
    objective,
    margin: 1 / objective,
    exact: true,
    reference: `min Σ_ρ d_ρ ‖β̂(ρ)‖_* s.t. margins ≥ 1 (an SOCP in the real block basis): the L = 2 limit of a linear G-CNN over a group of order ${n} (Lawrence, Georgiev, Dereventsov & Fanuel, ICML 2022)`,
    certificate: {
      dualityGap: best.gap,
      primalInfeasibility: Math.max(0, 1 - minMargin),
      kktNewtonResidual: best.residual,
    },
    status: best.gap <= 1e-9 && minMargin >= 1 - 1e-12 ? 'converged' : 'stalled',
    dual: best.mu,
    iterations: it + 1,
  };
}

/**
 * Newton finishes from an LP point under the candidate structures (blocks read off at several
 * thresholds; rank-1 blocks also from the cut multipliers); the best certified one, or null.
 */
function newtonFinish(
  basis: RealBlockBasis,
  Zt: HostMatrix,
  gamma: Float64Array,
  mu: Float64Array,
  cones: readonly Cone[],
  lambda: Float64Array,
  weights: readonly number[],
): { gamma: Float64Array; mu: Float64Array; gap: number; residual: number } | null {
  let best: { gamma: Float64Array; mu: Float64Array; gap: number; residual: number } | null = null;
  for (const tau of [1e-7, 1e-5, 1e-3]) {
    const { shapes, active } = identifyStructure(basis, Zt, gamma, tau, Math.max(tau, 1e-6));
    const fromDuals: TermShape[] = shapes.map((s, k) => {
      if (s === 'zero' || basis.terms[k]!.kind !== 'real2') return s;
      const [cu, cv] = cones.map((c, ci) => ({ c, ci })).filter(({ c }) => c.term === k);
      const both = Math.min(lambda[cu!.ci]!, lambda[cv!.ci]!) > 1e-7 * weights[k]!;
      return both ? 'tie' : 'full';
    });
    const activeDual = Array.from(mu.keys()).filter((i) => mu[i]! > 0 || active.includes(i));
    for (const [sh, act] of [
      [shapes, active],
      [fromDuals, activeDual],
    ] as const) {
      const p = blockNewton(basis, Zt, gamma, mu, 1, sh, act);
      if (p === null) continue;
      const gap = nuclearGap(basis, Zt, p.gamma, p.mu);
      if (best === null || gap < best.gap) best = { ...p, gap };
      if (gap <= 1e-12) return best;
    }
  }
  return best;
}

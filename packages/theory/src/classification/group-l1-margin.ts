import type { HostMatrix } from '@implicit-bias/core';
import { luSolve, matTVec, matVec } from '../linalg/dense.js';
import { solveDense } from '../solvers/highs.js';

/** Result of {@link groupL1Margin}. */
export interface GroupL1Solution {
  readonly gamma: Float64Array;
  /** Multipliers μ ≥ 0 of the margin constraints. */
  readonly mu: Float64Array;
  /** `Σ_g w_g ‖γ_g‖`. */
  readonly objective: number;
  /** Relative gap to the weak-duality bound (see {@link certifiedGap}). */
  readonly gap: number;
  /** Residual of the Newton KKT finish (NaN when it was not used). */
  readonly newtonResidual: number;
  /** Cutting-plane LPs solved. */
  readonly iterations: number;
}

/**
 * `min Σ_g w_g ‖γ_g‖ s.t. Zt γ ≥ 1` over one- and two-dimensional groups of coordinates: Kelley
 * cutting planes (HiGHS LPs with `t_g ≥ ⟨(cos φ, sin φ), γ_g⟩`, 8 angles to start plus the angle of
 * γ_g whenever `‖γ_g‖ > t_g`), finished every few cuts by Newton on the KKT system of the identified
 * structure, stopping once the weak-duality gap is below 1e−12.
 * @internal
 */
export async function groupL1Margin(
  ZtM: HostMatrix,
  groups: readonly (readonly [number, number])[],
  weights: Float64Array,
): Promise<GroupL1Solution> {
  const n = ZtM.rows;
  const d = ZtM.cols;
  const G = groups.length;
  const Zt = ZtM.data;
  const angles: number[][] = groups.map(([, size]) =>
    size === 1 ? [0, Math.PI] : Array.from({ length: 8 }, (_, a) => (a * Math.PI) / 4),
  );
  const objectiveOf = (gamma: ArrayLike<number>): number =>
    groups.reduce(
      (acc, [s, size], g) =>
        acc + weights[g]! * Math.hypot(gamma[s]!, size === 2 ? gamma[s + 1]! : 0),
      0,
    );

  let gamma: Float64Array = new Float64Array(d);
  let mu: Float64Array = new Float64Array(n);
  let it = 0;
  let polished: Polished | null = null;
  for (; it < 200; it++) {
    const cuts = angles.reduce((a, v) => a + v.length, 0);
    const numRows = n + cuts;
    const numCols = d + G;
    const rows = new Float64Array(numRows * numCols);
    for (let i = 0; i < n; i++) rows.set(Zt.subarray(i * d, (i + 1) * d), i * numCols);
    let r = n;
    groups.forEach(([s, size], g) => {
      for (const phi of angles[g]!) {
        rows[r * numCols + s] = -Math.cos(phi);
        if (size === 2) rows[r * numCols + s + 1] = -Math.sin(phi);
        rows[r * numCols + d + g] = 1;
        r++;
      }
    });
    const sol = await solveDense({
      numCols,
      cost: [...new Array<number>(d).fill(0), ...weights],
      colLower: [...new Array<number>(d).fill(-Infinity), ...new Array<number>(G).fill(0)],
      colUpper: new Float64Array(numCols).fill(Infinity),
      numRows,
      rows,
      rowLower: [...new Array<number>(n).fill(1), ...new Array<number>(cuts).fill(0)],
      rowUpper: new Float64Array(numRows).fill(Infinity),
    });
    gamma = sol.x.slice(0, d);
    mu = sol.rowDual.slice(0, n).map((v) => Math.max(0, v));
    const lower = sol.objective;
    const upper = objectiveOf(gamma);
    if (upper - lower <= 1e-9 * upper) break;
    // try the exact finish every few cuts: stop once it is certified
    if (it % 4 === 3) {
      const p = newtonPolish(ZtM, groups, weights, gamma, mu);
      if (p !== null && certifiedGap(ZtM, groups, weights, p.gamma, p.mu, objectiveOf) <= 1e-12) {
        polished = p;
        break;
      }
    }
    groups.forEach(([s, size], g) => {
      if (size === 2 && Math.hypot(gamma[s]!, gamma[s + 1]!) > sol.x[d + g]! * (1 + 1e-12)) {
        angles[g]!.push(Math.atan2(gamma[s + 1]!, gamma[s]!));
      }
    });
  }
  polished ??= newtonPolish(ZtM, groups, weights, gamma, mu);
  let newtonResidual = NaN;
  if (polished !== null) {
    gamma = polished.gamma;
    mu = polished.mu;
    newtonResidual = polished.residual;
  }
  return {
    gamma,
    mu,
    objective: objectiveOf(gamma),
    gap: certifiedGap(ZtM, groups, weights, gamma, mu, objectiveOf),
    newtonResidual,
    iterations: it + 1,
  };
}

type Polished = { gamma: Float64Array; mu: Float64Array; residual: number };

/**
 * Relative gap between the objective at γ and the weak-duality bound `Σμ / max(1, max_g ‖u_g‖)`,
 * `u_g = (Σ μ_i y_i R x_i)_g / w_g` (μ ≥ 0 required).
 */
export function certifiedGap(
  Zt: { rows: number; cols: number; data: Float64Array },
  groups: readonly (readonly [number, number])[],
  weights: Float64Array,
  gamma: Float64Array,
  mu: Float64Array,
  objectiveOf: (g: ArrayLike<number>) => number,
): number {
  const gdual = matTVec(Zt, mu);
  let worst = 0;
  groups.forEach(([s, size], g) => {
    worst = Math.max(worst, Math.hypot(gdual[s]!, size === 2 ? gdual[s + 1]! : 0) / weights[g]!);
  });
  const lowerBound = mu.reduce((a, v) => a + Math.max(0, v), 0) / Math.max(1, worst);
  const objective = objectiveOf(gamma);
  return Math.max(0, objective - lowerBound) / objective;
}

/** Newton on the KKT system of the structure identified by the cutting planes; null if it fails. */
function newtonPolish(
  Zt: { rows: number; cols: number; data: Float64Array },
  groups: readonly (readonly [number, number])[],
  weights: Float64Array,
  gamma0: Float64Array,
  mu0: Float64Array,
): Polished | null {
  const n = Zt.rows;
  const d = Zt.cols;
  const norms = groups.map(([s, size]) => Math.hypot(gamma0[s]!, size === 2 ? gamma0[s + 1]! : 0));
  const top = Math.max(...norms);
  const P = groups.map((_, g) => g).filter((g) => norms[g]! > 1e-7 * top);
  const coords: number[] = [];
  P.forEach((g) => {
    const [s, size] = groups[g]!;
    for (let q = 0; q < size; q++) coords.push(s + q);
  });
  const margins = matVec(Zt, gamma0);
  const A = Array.from({ length: n }, (_, i) => i).filter((i) => margins[i]! <= 1 + 1e-6);
  const nc = coords.length;
  const N = nc + A.length;
  if (N === 0) return null;
  const x = new Float64Array(N);
  coords.forEach((c, a) => (x[a] = gamma0[c]!));
  A.forEach((i, b) => (x[nc + b] = mu0[i]!));
  let residual = Infinity;
  for (let it = 0; it < 40; it++) {
    const F = new Float64Array(N);
    const J = new Float64Array(N * N);
    let off = 0;
    for (const g of P) {
      const size = groups[g]![1];
      const w = weights[g]!;
      const a0 = x[off]!;
      const a1 = size === 2 ? x[off + 1]! : 0;
      const nr = Math.hypot(a0, a1);
      for (let q = 0; q < size; q++) {
        const row = off + q;
        const c = coords[row]!;
        let s = (w * x[row]!) / nr;
        A.forEach((i, b) => {
          s -= x[nc + b]! * Zt.data[i * d + c]!;
          J[row * N + nc + b] = -Zt.data[i * d + c]!;
        });
        F[row] = s;
        for (let q2 = 0; q2 < size; q2++) {
          const u = size === 2 ? [a0 / nr, a1 / nr] : [Math.sign(a0)];
          J[row * N + off + q2] = size === 2 ? (w * ((q === q2 ? 1 : 0) - u[q]! * u[q2]!)) / nr : 0;
        }
      }
      off += size;
    }
    A.forEach((i, b) => {
      let s = -1;
      coords.forEach((c, a) => {
        s += Zt.data[i * d + c]! * x[a]!;
        J[(nc + b) * N + a] = Zt.data[i * d + c]!;
      });
      F[nc + b] = s;
    });
    residual = Math.sqrt(F.reduce((acc, v) => acc + v * v, 0));
    if (residual <= 1e-15 * Math.sqrt(N)) break;
    const step = luSolve(J, N, F);
    if (step === null) return null;
    for (let k = 0; k < N; k++) x[k]! -= step[k]!;
  }
  const gamma = new Float64Array(d);
  coords.forEach((c, a) => (gamma[c] = x[a]!));
  const mu = new Float64Array(n);
  A.forEach((i, b) => (mu[i] = x[nc + b]!));
  if (
    !(residual <= 1e-10) ||
    mu.some((v) => v < -1e-12) ||
    matVec(Zt, gamma).some((v) => v < 1 - 1e-12)
  )
    return null;
  return { gamma, mu: mu.map((v) => Math.max(0, v)), residual };
}

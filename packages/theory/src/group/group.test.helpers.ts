import { key, normal } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { groupFourier } from '@implicit-bias/networks';
import type { GroupNetwork } from '@implicit-bias/networks';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { solveDense } from '../solvers/highs.js';

/** Separable data: labels of a random teacher, n samples on G. */
export function groupData(nG: number, n: number, seed: number): { X: HostMatrix; y: Float64Array } {
  const X = normal(key(seed), n * nG);
  const w = normal(key(seed + 1), nG);
  const y = Float64Array.from({ length: n }, (_, i) =>
    X.subarray(i * nG, (i + 1) * nG).reduce((s, v, j) => s + v * w[j]!, 0) >= 0 ? 1 : -1,
  );
  return { X: { rows: n, cols: nG, data: X }, y };
}

/** Nuclear norm of a real square matrix by ml-matrix's SVD. */
export function svdNuclear(d: number, entries: ArrayLike<number>): number {
  const M = new Matrix(
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => entries[i * d + j]!)),
  );
  return new SingularValueDecomposition(M).diagonal.reduce((s, v) => s + v, 0);
}

/** `Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p` for real irreps by ml-matrix's SVD (accurate small singular values). */
export function svdSchatten(net: GroupNetwork, beta: ArrayLike<number>, p: number): number {
  return groupFourier(net.group, net.irreps(), beta).reduce((s, B) => {
    const d = B.rows;
    const M = new Matrix(
      Array.from({ length: d }, (_, i) => Array.from(B.re.subarray(i * d, (i + 1) * d))),
    );
    const sv = new SingularValueDecomposition(M).diagonal;
    return s + d * sv.reduce((a, v) => a + (v > 0 ? v ** p : 0), 0);
  }, 0);
}

/**
 * Independent oracle for groups with real irreps: `min Σ_ρ d_ρ t_ρ s.t. margins ≥ 1,
 * t_ρ ≥ ⟨Q, β̂(ρ)⟩` for orthogonal Q (the extreme points of the operator-norm ball, so
 * `max_Q ⟨Q, M⟩ = ‖M‖_*`), in the raw block entries; Kelley cutting planes whose separation
 * oracle is the polar factor `Q = UVᵀ` of ml-matrix's SVD. No real block basis, no u/v formula.
 * Returns the LP value (a lower bound on the optimum) and the objective of its β (an upper bound).
 */
export async function polarCutLp(
  net: GroupNetwork,
  X: HostMatrix,
  y: ArrayLike<number>,
): Promise<{ lower: number; upper: number; beta: Float64Array }> {
  const n = net.inputDim;
  const reps = net.irreps();
  if (!reps.every((r) => r.im.every((v) => v === 0))) throw new Error('real irreps only');
  const K = reps.length;
  const cuts: { rep: number; Q: number[] }[] = [];
  reps.forEach((r, k) => {
    if (r.dim === 1) cuts.push({ rep: k, Q: [1] }, { rep: k, Q: [-1] });
    else
      for (let a = 0; a < 4; a++) {
        const [c, s] = [Math.cos((a * Math.PI) / 2), Math.sin((a * Math.PI) / 2)];
        cuts.push({ rep: k, Q: [c, -s, s, c] }, { rep: k, Q: [c, s, s, -c] });
      }
  });
  let out = { lower: NaN, upper: NaN, beta: new Float64Array(n) };
  for (let it = 0; it < 400; it++) {
    const numCols = n + K;
    const numRows = X.rows + cuts.length;
    const rows = new Float64Array(numRows * numCols);
    for (let i = 0; i < X.rows; i++)
      for (let g = 0; g < n; g++) rows[i * numCols + g] = y[i]! * X.data[i * n + g]!;
    cuts.forEach(({ rep, Q }, c) => {
      const r = reps[rep]!;
      const dd = r.dim * r.dim;
      const row = (X.rows + c) * numCols;
      for (let g = 0; g < n; g++) {
        let s = 0;
        for (let e = 0; e < dd; e++) s += Q[e]! * r.re[g * dd + e]!;
        rows[row + g] = -s;
      }
      rows[row + n + rep] = 1;
    });
    const sol = await solveDense({
      numCols,
      cost: [...new Array<number>(n).fill(0), ...reps.map((r) => r.dim)],
      colLower: [...new Array<number>(n).fill(-Infinity), ...new Array<number>(K).fill(0)],
      colUpper: new Float64Array(numCols).fill(Infinity),
      numRows,
      rows,
      rowLower: [...new Array<number>(X.rows).fill(1), ...new Array<number>(cuts.length).fill(0)],
      rowUpper: new Float64Array(numRows).fill(Infinity),
    });
    const beta = sol.x.slice(0, n);
    const blocks = groupFourier(net.group, reps, beta);
    // the LP value is a lower bound (outer approximation); β is feasible: its objective an upper one
    const upper = blocks.reduce((s, B) => s + B.rows * svdNuclear(B.rows, B.re), 0);
    out = { lower: sol.objective, upper, beta };
    let worst = 0;
    blocks.forEach((B, k) => {
      if (B.rows === 1) return;
      const M = new Matrix([
        [B.re[0]!, B.re[1]!],
        [B.re[2]!, B.re[3]!],
      ]);
      const svd = new SingularValueDecomposition(M);
      const nuc = svd.diagonal.reduce((s, v) => s + v, 0);
      const viol = (nuc - sol.x[n + k]!) / sol.objective;
      worst = Math.max(worst, viol);
      if (viol > 1e-14) {
        const Q = svd.leftSingularVectors.mmul(svd.rightSingularVectors.transpose());
        cuts.push({ rep: k, Q: Q.to1DArray() });
      }
    });
    if (worst <= 1e-12) break;
  }
  return out;
}

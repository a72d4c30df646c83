import { luSolve, matVec } from '../linalg/dense.js';
import { solveDense } from '../solvers/highs.js';

/**
 * `min Σ_j w_j|ρ_j| s.t. Zy ρ ≥ 1` (rows of `Zy` are `y_i z_i`) as an LP in `ρ = p − q ≥ 0` by
 * HiGHS, then polished: at a vertex with support S and active set A of equal size the square
 * systems `Zy_{A,S} ρ_S = 1` and `Zy_{A,S}ᵀ μ_A = w_S ∘ sign(ρ_S)` are solved exactly, and kept when
 * the signs, feasibility and `μ ≥ 0` survive.
 * @internal
 */
export async function weightedL1MarginLp(
  Zy: Float64Array,
  n: number,
  m: number,
  w: ArrayLike<number>,
): Promise<{ rho: Float64Array; mu: Float64Array; optimal: boolean; polished: boolean }> {
  const rows = new Float64Array(n * 2 * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      rows[i * 2 * m + j] = Zy[i * m + j]!;
      rows[i * 2 * m + m + j] = -Zy[i * m + j]!;
    }
  const cost = new Float64Array(2 * m);
  for (let j = 0; j < m; j++) cost[j] = cost[m + j] = w[j]!;
  const sol = await solveDense({
    numCols: 2 * m,
    cost,
    colLower: new Float64Array(2 * m),
    colUpper: new Float64Array(2 * m).fill(Infinity),
    numRows: n,
    rows,
    rowLower: new Float64Array(n).fill(1),
    rowUpper: new Float64Array(n).fill(Infinity),
  });
  const ZyM = { rows: n, cols: m, data: Zy };
  let rho: Float64Array = new Float64Array(m);
  for (let j = 0; j < m; j++) rho[j] = sol.x[j]! - sol.x[m + j]! + 0;
  let mu: Float64Array = sol.rowDual.map((v) => Math.max(0, v));
  let scale = 0;
  for (const v of rho) scale = Math.max(scale, Math.abs(v));
  const S: number[] = [];
  rho.forEach((v, j) => {
    if (Math.abs(v) > 1e-9 * scale) S.push(j);
  });
  const A: number[] = [];
  matVec(ZyM, rho).forEach((v, i) => {
    if (v <= 1 + 1e-7) A.push(i);
  });
  let polished = false;
  if (S.length === A.length && S.length > 0) {
    const k = S.length;
    const M = new Float64Array(k * k);
    const Mt = new Float64Array(k * k);
    A.forEach((i, a) =>
      S.forEach((j, b) => {
        M[a * k + b] = Zy[i * m + j]!;
        Mt[b * k + a] = Zy[i * m + j]!;
      }),
    );
    const xS = luSolve(M, k, new Float64Array(k).fill(1));
    const muA = luSolve(
      Mt,
      k,
      S.map((j) => w[j]! * Math.sign(rho[j]!)),
    );
    if (
      xS !== null &&
      muA !== null &&
      S.every((j, b) => Math.sign(xS[b]!) === Math.sign(rho[j]!)) &&
      muA.every((v) => v >= -1e-12)
    ) {
      const candidate = new Float64Array(m);
      S.forEach((j, b) => (candidate[j] = xS[b]!));
      if (matVec(ZyM, candidate).every((v) => v >= 1 - 1e-12)) {
        rho = candidate;
        mu = new Float64Array(n);
        A.forEach((i, a) => (mu[i] = Math.max(0, muA[a]!)));
        polished = true;
      }
    }
  }
  return { rho, mu, optimal: sol.status === 'optimal', polished };
}

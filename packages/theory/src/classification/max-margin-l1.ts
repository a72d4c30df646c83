import { checkLabels, checkMatrix } from '../linalg/validate.js';
import { luSolve, matTVec, matVec } from '../linalg/dense.js';
import { solveDense } from '../solvers/highs.js';
import { assertSeparable } from './separable.js';
import type { MaxMarginPrediction, TransformedClassificationProblem } from './types.js';

/** Result of {@link maxMarginL1}. */
export interface MaxMarginL1Result extends MaxMarginPrediction {
  readonly kind: 'max-margin-l1';
  readonly rho: Float64Array;
  /** Multipliers μ ≥ 0 (one per sample) of the margin constraints. */
  readonly dual: Float64Array;
}

/**
 * ℓ1 max-margin in the transformed space, `min ‖ρ‖₁ s.t. y_i z_iᵀρ ≥ 1` (Z = X Sᵀ real): the
 * L = 2 odeco limit (Yun et al. Theorem 2; diagonal networks: Gunasekar et al. 2018).
 *
 * An LP solved by HiGHS with `ρ = p − q`, `p, q ≥ 0`; a vertex with as many non-zeros as active
 * constraints is polished by solving the square system exactly. Certificates from the
 * multipliers μ: the certified lower bound `Σμ / max(1, ‖Σ μ_i y_i z_i‖_∞)` (weak duality) gives
 * the relative `dualityGap`; `dualInfeasibility = max(0, ‖Σ μ_i y_i z_i‖_∞ − 1)`.
 * Throws `NOT_SEPARABLE` with the best margin.
 */
export async function maxMarginL1(
  problem: TransformedClassificationProblem,
): Promise<MaxMarginL1Result> {
  const { Z, y } = problem;
  checkMatrix(Z, 'Z');
  checkLabels(y, Z.rows);
  await assertSeparable(Z, y, 'ℓ1 max margin', 'Z');
  const n = Z.rows;
  const m = Z.cols;
  const Zy = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) Zy[i * m + j] = y[i]! * Z.data[i * m + j]!;
  const rows = new Float64Array(n * 2 * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      rows[i * 2 * m + j] = Zy[i * m + j]!;
      rows[i * 2 * m + m + j] = -Zy[i * m + j]!;
    }
  const sol = await solveDense({
    numCols: 2 * m,
    cost: new Float64Array(2 * m).fill(1),
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
  // polish a non-degenerate vertex: support S, active set A with |S| = |A|
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
      S.map((j) => Math.sign(rho[j]!)),
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
      }
    }
  }
  let l1 = 0;
  let l2 = 0;
  for (const v of rho) {
    l1 += Math.abs(v);
    l2 += v * v;
  }
  l2 = Math.sqrt(l2);
  const g = matTVec(ZyM, mu);
  let gInf = 0;
  for (const v of g) gInf = Math.max(gInf, Math.abs(v));
  let muSum = 0;
  for (const v of mu) muSum += v;
  const lower = muSum / Math.max(1, gInf);
  let minMargin = Infinity;
  for (const v of matVec(ZyM, rho)) minMargin = Math.min(minMargin, v);
  return {
    kind: 'max-margin-l1',
    rho,
    direction: rho.map((v) => v / l2),
    objective: l1,
    margin: 1 / l1,
    exact: true,
    reference:
      'ℓ1 max margin: L = 2 odeco networks (Yun, Krishnan & Mobahi, ICLR 2021, Theorem 2; Gunasekar et al. 2018)',
    certificate: {
      dualityGap: Math.max(0, l1 - lower) / l1,
      dualInfeasibility: Math.max(0, gInf - 1),
      primalInfeasibility: Math.max(0, 1 - minMargin),
    },
    status: sol.status === 'optimal' ? 'converged' : 'stalled',
    dual: mu,
  };
}

import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { groupFourier } from '@implicit-bias/networks';
import type { GroupNetwork } from '@implicit-bias/networks';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { cholesky, matVec } from '../linalg/dense.js';
import { assertSeparable } from '../classification/separable.js';
import { maxMarginL2 } from '../classification/max-margin-l2.js';
import type { MaxMarginPrediction } from '../classification/types.js';
import { gram, hermitianFunction, opNorm, quadraticForm, schattenObjective } from './blocks.js';
import { groupKkt } from './group-kkt.js';

/** A classification problem for a group network: data on G (n×|G|), labels ±1, depth L. */
export interface GroupMarginProblem {
  /** The group network (its group and irreps are used). */
  readonly net: GroupNetwork;
  /** Data `X`, n×|G|, rows are samples (functions on G). */
  readonly X: HostMatrix;
  /** Labels ±1, length n. */
  readonly y: ArrayLike<number>;
  /** Depth L ≥ 2: the objective is `Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/L}}^{2/L}`. Default: the network's depth. */
  readonly L?: number;
  /** Start β₀ (length |G|); default: the L = 2 solution (L ≥ 3) or the ℓ2 max margin (L = 2). */
  readonly start?: ArrayLike<number>;
  /** Outer reweighting iterations (default 400). */
  readonly maxIterations?: number;
}

/** Result of {@link groupSchattenMaxMargin}. */
export interface GroupSchattenMarginResult extends MaxMarginPrediction {
  readonly kind: 'group-schatten-margin';
  /** The minimizer at margin 1 (min margin exactly 1). */
  readonly beta: Float64Array;
  /** Multipliers μ ≥ 0 of the margin constraints (KKT, scaled so `P_T(ẑ_μ(ρ)) = U Σ^{p−1} V^*`). */
  readonly dual: Float64Array;
  /** Reweighting iterations run. */
  readonly iterations: number;
}

/**
 * A stationary point (L ≥ 3) or the minimizer (L = 2, convex) of
 * `min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p s.t. y_i ⟨x_i, β⟩ ≥ 1`, `p = 2/L`, over the group Fourier blocks
 * `β̂(ρ) = Σ_g β(g) ρ(g)`: the limit direction of L-layer linear G-CNNs (Lawrence et al. 2022).
 *
 * Method (float64, host): iteratively reweighted least squares. With `A_ρ = β̂β̂^* + ε²I`,
 * concavity of `t ↦ t^{p/2}` gives the majorizer `Σ_ρ d_ρ tr(β̂^* H_ρ β̂)`, `H_ρ = A_ρ^{(p−2)/2}`,
 * so each step solves the weighted ℓ2 max-margin QP `min βᵀQβ s.t. margins` (Q from
 * `quadraticForm`, solved as an ℓ2 max margin after the Cholesky change of variables `γ = Rᵀβ`,
 * HiGHS with an exact active-set polish) and decreases the smoothed objective; ε halves every step
 * from `σ_max(β₀)` (L = 2) or `10⁻³σ_max(β₀)` (warm starts, L ≥ 3) down to `10⁻¹⁰σ_max`.
 * Certificates: `dualityGap` (L = 2: weak duality with the QP multipliers,
 * `Σμ·|G| / max_ρ ‖ẑ_μ(ρ)‖_op ≤ Σ d_ρ‖β̂(ρ)‖_*`), `kktResidual` (relative residual of the
 * stationarity `P_T(ẑ_μ(ρ)) = U Σ^{p−1} V^*` on the fixed-rank manifold, multipliers by NNLS on the
 * active margins, see `groupKkt`) and `primalInfeasibility`. `status` is `'converged'` when the
 * iterates stopped moving (relative change ≤ 1e−8 at the smallest ε) and the certificate of the
 * depth holds (gap ≤ 1e−5 for L = 2, KKT residual ≤ 1e−3 for L ≥ 3: IRLS shrinks the singular values that
 * vanish at the solution only linearly, so these are the accuracies it reaches; see the docs page); `'max-steps'` or `'stalled'`
 * (Cholesky of Q failed) otherwise. Throws `NOT_SEPARABLE` with the best margin.
 */
export async function groupSchattenMaxMargin(
  problem: GroupMarginProblem,
): Promise<GroupSchattenMarginResult> {
  const { net, X, y } = problem;
  const L = problem.L ?? net.depth;
  if (!Number.isInteger(L) || L < 2) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must be an integer ≥ 2, got ${L}`, {
      path: 'L',
    });
  }
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  const n = net.inputDim;
  if (X.cols !== n) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', `X has ${X.cols} columns, |G| = ${n}`, {
      path: 'X',
    });
  }
  await assertSeparable(X, y, 'group Schatten max margin', 'X');
  const G = net.group;
  const reps = net.irreps();
  const p = 2 / L;
  let beta: Float64Array;
  if (problem.start !== undefined) {
    checkVector(problem.start, n, 'start');
    beta = Float64Array.from(problem.start);
  } else if (L === 2) beta = (await maxMarginL2({ X, y })).beta;
  else beta = (await groupSchattenMaxMargin({ net, X, y, L: 2 })).beta;
  const margins = (b: Float64Array): Float64Array => matVec(X, b).map((v, i) => v * y[i]!);
  const normalize = (b: Float64Array): Float64Array => {
    const m = Math.min(...margins(b));
    if (!(m > 0)) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `the start separates no margin (min margin ${m}); give a start with every y_i⟨x_i, β⟩ > 0`,
        { path: 'start' },
      );
    }
    return b.map((v) => v / m);
  };
  beta = normalize(beta);
  const sigma0 = Math.max(...groupFourier(G, reps, beta).map(opNorm));
  let eps = problem.start !== undefined && L > 2 ? 1e-3 * sigma0 : sigma0;
  const epsFloor = 1e-10 * sigma0;
  const maxIterations = problem.maxIterations ?? 400;
  let mu: Float64Array = new Float64Array(X.rows);
  let it = 0;
  let change = Infinity;
  let stalled = false;
  for (; it < maxIterations; it++) {
    const H = groupFourier(G, reps, beta).map((B) =>
      hermitianFunction(gram(B), (l) => Math.pow(l + eps * eps, (p - 2) / 2)),
    );
    const Q = quadraticForm(reps, H, n);
    const R = cholesky(Q, n);
    if (R === null) {
      stalled = true;
      break;
    }
    // x'_i = R⁻¹ x_i (forward substitution), so x_iᵀβ = x'_iᵀγ with γ = Rᵀβ
    const Xp = new Float64Array(X.rows * n);
    for (let i = 0; i < X.rows; i++)
      for (let a = 0; a < n; a++) {
        let s = X.data[i * n + a]!;
        for (let k = 0; k < a; k++) s -= R[a * n + k]! * Xp[i * n + k]!;
        Xp[i * n + a] = s / R[a * n + a]!;
      }
    const sol = await maxMarginL2({ X: { rows: X.rows, cols: n, data: Xp }, y });
    const next = new Float64Array(n); // Rᵀβ = γ (back substitution)
    for (let a = n - 1; a >= 0; a--) {
      let s = sol.beta[a]!;
      for (let k = a + 1; k < n; k++) s -= R[k * n + a]! * next[k]!;
      next[a] = s / R[a * n + a]!;
    }
    const diff = norm2(next.map((v, a) => v - beta[a]!)) / norm2(next);
    beta = normalize(next);
    mu = sol.dual;
    change = diff;
    if (eps <= epsFloor && change <= 1e-8) {
      it++;
      break;
    }
    // follow the path of smoothed minimizers: shrink ε once the iterates settled for this ε
    if (change <= 1e-4 * Math.max(1, eps / sigma0)) eps = Math.max(epsFloor, eps / 4);
  }
  const blocks = groupFourier(G, reps, beta);
  const objective = schattenObjective(blocks, reps, p);
  const kkt = groupKkt(net, X, y, beta, p);
  const certificate: Record<string, number> = {
    kktResidual: kkt.residual,
    primalInfeasibility: Math.max(0, 1 - Math.min(...margins(beta))),
    finalChange: change,
  };
  let ok = kkt.residual <= 1e-3;
  if (L === 2) {
    // weak duality holds for any μ ≥ 0: take the better of the last QP's and the KKT fit's
    const lowerBound = (m: Float64Array): number => {
      const z = new Float64Array(n);
      for (let i = 0; i < X.rows; i++)
        for (let a = 0; a < n; a++) z[a]! += m[i]! * y[i]! * X.data[i * n + a]!;
      const zmax = Math.max(...groupFourier(G, reps, z).map(opNorm));
      const total = m.reduce((s, v) => s + Math.max(0, v), 0);
      return zmax > 0 ? (total * n) / zmax : 0;
    };
    const lower = Math.max(lowerBound(mu), lowerBound(kkt.mu));
    certificate['dualityGap'] = Math.max(0, objective - lower) / objective;
    ok = certificate['dualityGap'] <= 1e-5;
  }
  const converged = eps <= epsFloor && change <= 1e-8 && ok;
  const nb = norm2(beta);
  return {
    kind: 'group-schatten-margin',
    beta,
    direction: beta.map((v) => v / nb),
    objective,
    margin: 1 / Math.pow(objective, 1 / p),
    exact: L === 2,
    reference: `${L === 2 ? 'minimizer' : 'stationary point'} of min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/${L}}}^{2/${L}} s.t. margins ≥ 1: linear G-CNN over a group of order ${n} (Lawrence, Georgiev, Dereventsov & Fanuel, ICML 2022)`,
    certificate,
    status: converged ? 'converged' : stalled ? 'stalled' : 'max-steps',
    dual: kkt.mu,
    iterations: it,
  };
}

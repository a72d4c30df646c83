import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { GroupNetwork } from '@implicit-bias/networks';
import { checkVector } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { basisObjective, realBlockBasis } from './real-basis.js';
import { blockNewton, identifyStructure } from './block-newton.js';
import { basisData, groupNuclearMargin } from './nuclear-margin.js';
import { groupKkt } from './group-kkt.js';
import { groupSchattenMaxMargin } from './schatten-margin.js';
import type { GroupMarginProblem, GroupSchattenMarginResult } from './schatten-margin.js';

/** A certified stationary point from {@link groupNewtonFinish}. @internal */
export interface GroupNewtonFinish {
  /** The point at min margin 1. */
  readonly beta: Float64Array;
  /** `groupKkt` residual at β. */
  readonly kktResidual: number;
  /** ‖F‖ of the fixed-structure Newton system. */
  readonly newtonResidual: number;
  /** Threshold at which the structure (zero / rank-1 blocks, active margins) was read off β₀. */
  readonly threshold: number;
}

/**
 * Newton's method on the fixed-structure KKT system of `min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_p}^p s.t. margins ≥ 1`
 * (`blockNewton` in the real block basis) from β₀: the structure is read off β₀ at thresholds
 * 1e−8, 1e−6, …, 1e−2 in turn (smallest first, so the first success is the stationary point
 * nearest β₀'s own structure), μ₀ by NNLS; a result is kept when `groupKkt` certifies it to 1e−9.
 * Null when the group's irreps do not fit the real block basis or no threshold gives a certified
 * point. @internal
 */
export function groupNewtonFinish(
  net: GroupNetwork,
  X: HostMatrix,
  y: ArrayLike<number>,
  start: ArrayLike<number>,
  p: number,
): GroupNewtonFinish | null {
  const n = net.inputDim;
  const basis = realBlockBasis(net.irreps(), n);
  if (basis === null) return null;
  const Zt = basisData(basis, X, y);
  const R = { rows: n, cols: n, data: basis.R };
  const g0 = matVec(R, start);
  const m0 = Math.min(...matVec(Zt, g0));
  if (!(m0 > 0)) return null;
  const gamma0 = g0.map((v) => v / m0);
  for (const tau of [1e-8, 1e-6, 1e-4, 1e-3, 1e-2]) {
    const { shapes, active } = identifyStructure(basis, Zt, gamma0, tau, Math.max(tau, 1e-6));
    const point = blockNewton(basis, Zt, gamma0, null, p, shapes, active);
    if (point === null) continue;
    const beta = matTVec(R, point.gamma);
    const kkt = groupKkt(net, X, y, beta, p);
    if (kkt.residual <= 1e-9) {
      return { beta, kktResidual: kkt.residual, newtonResidual: point.residual, threshold: tau };
    }
  }
  return null;
}

/**
 * A certified stationary point (L ≥ 3) of `min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/L}}^{2/L} s.t. margins ≥ 1` for a
 * group whose irreps fit the real block basis (D_n, abelian groups): first Newton from
 * `problem.start` itself (e.g. a trained direction: the flow's own stationary point), else the
 * IRLS descent of `groupSchattenMaxMargin` from the start (default: the exact L = 2 minimizer)
 * finished by Newton (`groupNewtonFinish`). `status: 'converged'` with `certificate.kktResidual`
 * (≤ 1e−9) and `newtonResidual` when the finish is certified; otherwise the IRLS result with its
 * own honest status. For other groups (complex 2-dimensional or larger irreps) this is
 * `groupSchattenMaxMargin`.
 *
 * @param problem the group network, data, L ≥ 3 and an optional start β₀
 */
export async function groupStationaryPoint(
  problem: GroupMarginProblem,
): Promise<GroupSchattenMarginResult> {
  const { net, X, y } = problem;
  const L = problem.L ?? net.depth;
  if (!Number.isInteger(L) || L < 3) {
    throw new ImplicitBiasError('INVALID_CONFIG', `must be an integer ≥ 3, got ${L}`, {
      path: 'L',
    });
  }
  const n = net.inputDim;
  if (problem.start !== undefined) checkVector(problem.start, n, 'start');
  const fits = realBlockBasis(net.irreps(), n) !== null;
  const p = 2 / L;
  const certified = (
    finish: GroupNewtonFinish,
    from: GroupSchattenMarginResult | null,
    origin: string,
  ): GroupSchattenMarginResult => {
    const basis = realBlockBasis(net.irreps(), n)!;
    const gamma = matVec({ rows: n, cols: n, data: basis.R }, finish.beta);
    const objective = basisObjective(basis, gamma, p);
    const kkt = groupKkt(net, X, y, finish.beta, p);
    const margins = matVec(X, finish.beta).map((v, i) => v * y[i]!);
    const nb = norm2(finish.beta);
    return {
      kind: 'group-schatten-margin',
      beta: finish.beta,
      direction: finish.beta.map((v) => v / nb),
      objective,
      margin: 1 / Math.pow(objective, 1 / p),
      exact: false,
      reference: `stationary point of min Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/${L}}}^{2/${L}} s.t. margins ≥ 1 (${origin}, Newton finish on the fixed-rank KKT system): linear G-CNN over a group of order ${n} (Lawrence, Georgiev, Dereventsov & Fanuel, ICML 2022)`,
      certificate: {
        kktResidual: finish.kktResidual,
        newtonResidual: finish.newtonResidual,
        structureThreshold: finish.threshold,
        primalInfeasibility: Math.max(0, 1 - Math.min(...margins)),
      },
      status: 'converged',
      dual: kkt.mu,
      iterations: from?.iterations ?? 0,
    };
  };
  if (fits && problem.start !== undefined) {
    const direct = groupNewtonFinish(net, X, y, problem.start, p);
    if (direct !== null) return certified(direct, null, 'from the given start');
  }
  const start =
    problem.start ?? (fits ? (await groupNuclearMargin(net, { X, y })).beta : undefined);
  const irls = await groupSchattenMaxMargin({
    ...problem,
    L,
    ...(start !== undefined ? { start } : {}),
  });
  if (!fits) return irls;
  const finish = groupNewtonFinish(net, X, y, irls.beta, p);
  return finish === null ? irls : certified(finish, irls, 'IRLS descent from the start');
}

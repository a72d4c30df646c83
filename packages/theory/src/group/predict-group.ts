import { ImplicitBiasError, norm2 } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { character } from '@implicit-bias/networks';
import type { GroupNetwork, Irrep } from '@implicit-bias/networks';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matTVec, matVec } from '../linalg/dense.js';
import { assertSeparable } from '../classification/separable.js';
import { groupL1Margin } from '../classification/group-l1-margin.js';
import { maxMarginL2 } from '../classification/max-margin-l2.js';
import { stationaryMaxMarginFourierLp } from '../classification/stationary-max-margin-fourier-lp.js';
import { predictRegressionFourierQ } from '../regression/q-potential-fourier.js';
import type { NetworkData, NetworkPrediction } from '../network/network-prediction.js';
import type { MaxMarginPrediction } from '../classification/types.js';
import { groupSchattenMaxMargin } from './schatten-margin.js';
import { groupNuclearMargin } from './nuclear-margin.js';
import { groupStationaryPoint } from './stationary-point.js';
import { realBlockBasis } from './real-basis.js';

/** Result of {@link groupCharacterL1Margin}. */
export interface GroupCharacterL1Result extends MaxMarginPrediction {
  readonly kind: 'group-character-l1';
  readonly beta: Float64Array;
  /** Multipliers μ ≥ 0 of the margin constraints. */
  readonly dual: Float64Array;
}

/**
 * The orthogonal real character basis of an abelian group: a row `χ/√n` per real character, and
 * per conjugate pair `χ ≠ χ̄` the rows `√2 Re χ/√n`, `√2 Im χ/√n` with group weight √2, so that
 * `Σ_χ |β̂(χ)|/√n = Σ_g w_g ‖(Rβ)_g‖` and R is orthogonal (as `realFourier` for C_n).
 */
function realCharacters(reps: readonly Irrep[], n: number) {
  const R = new Float64Array(n * n);
  const groups: [number, number][] = [];
  const weights: number[] = [];
  let row = 0;
  reps.forEach((r, k) => {
    if (r.conjugate < k) return; // the pair was placed with its first member
    const [cr, ci] = character(r, n);
    const pair = r.conjugate !== k;
    const s = (pair ? Math.SQRT2 : 1) / Math.sqrt(n);
    groups.push([row, pair ? 2 : 1]);
    weights.push(pair ? Math.SQRT2 : 1);
    for (let g = 0; g < n; g++) R[row * n + g] = s * cr[g]!;
    row++;
    if (pair) {
      for (let g = 0; g < n; g++) R[row * n + g] = s * ci[g]!;
      row++;
    }
  });
  return { R: { rows: n, cols: n, data: R }, groups, weights: Float64Array.from(weights) };
}

/**
 * L = 2 limit of an abelian group network: `min Σ_χ |β̂(χ)| s.t. y_i⟨x_i, β⟩ ≥ 1` (the Schatten-1
 * objective with 1×1 blocks), a second-order cone program solved exactly in the real character
 * basis by the Kelley cutting-plane LPs (HiGHS) with a Newton finish and a weak-duality
 * certificate shared with `maxMarginFourierL1`. Throws `INVALID_CONFIG` for non-abelian groups.
 *
 * @param net an abelian group network
 * @param data `X` (n×|G|) and labels ±1
 */
export async function groupCharacterL1Margin(
  net: GroupNetwork,
  data: NetworkData,
): Promise<GroupCharacterL1Result> {
  if (!net.group.abelian) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'the character ℓ1 problem needs an abelian group; use groupSchattenMaxMargin',
      { path: 'net.group' },
    );
  }
  const { X, y } = data;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  await assertSeparable(X, y, 'group character-ℓ1 max margin', 'X');
  const n = net.inputDim;
  const { R, groups, weights } = realCharacters(net.irreps(), n);
  const Zt = new Float64Array(X.rows * n);
  for (let i = 0; i < X.rows; i++) {
    const rx = matVec(R, X.data.subarray(i * n, (i + 1) * n));
    for (let k = 0; k < n; k++) Zt[i * n + k] = y[i]! * rx[k]!;
  }
  const ZtM = { rows: X.rows, cols: n, data: Zt };
  const sol = await groupL1Margin(ZtM, groups, weights);
  const beta = matTVec(R, sol.gamma);
  const minMargin = Math.min(...matVec(ZtM, sol.gamma));
  const nb = norm2(beta);
  return {
    kind: 'group-character-l1',
    beta,
    direction: beta.map((v) => v / nb),
    objective: sol.objective,
    margin: 1 / sol.objective,
    exact: true,
    reference:
      'min Σ_χ |β̂(χ)| s.t. margins ≥ 1: L = 2 linear G-CNN over an abelian group (Lawrence et al., ICML 2022; Gunasekar et al. 2018 for C_n)',
    certificate: {
      dualityGap: sol.gap,
      primalInfeasibility: Math.max(0, 1 - minMargin),
      kktNewtonResidual: sol.newtonResidual,
    },
    status: sol.gap <= 1e-9 && minMargin >= 1 - 1e-12 ? 'converged' : 'stalled',
    dual: sol.mu,
  };
}

/**
 * The classification limit direction the theory predicts for a group network (exponential loss,
 * separable data; Lawrence et al. 2022): L = 1 the ℓ2 max margin; L = 2 the minimizer of
 * `Σ_ρ d_ρ ‖β̂(ρ)‖_*` (abelian: {@link groupCharacterL1Margin}; irreps real of dimension ≤ 2, e.g.
 * D_n: `groupNuclearMargin`, both exact SOCPs with a duality-gap certificate; otherwise
 * {@link groupSchattenMaxMargin}, IRLS with its duality gap); L ≥ 3 a stationary point of
 * `Σ_ρ d_ρ ‖β̂(ρ)‖_{S_{2/L}}^{2/L}` from `options.start` (β₀) or from the L = 2 solution (C_n: the
 * convolutional kind's `stationaryMaxMarginFourierLp`, the same problem; otherwise
 * `groupStationaryPoint`: Newton on the fixed-rank KKT system, certified by `groupKkt`, with the
 * IRLS descent as fallback).
 *
 * @param net a group network
 * @param data `X` (n×|G|) and labels ±1
 * @param options.start β₀ for L ≥ 3
 */
export async function predictGroupClassification(
  net: GroupNetwork,
  data: NetworkData,
  options: { readonly start?: ArrayLike<number> } = {},
): Promise<NetworkPrediction> {
  checkMatrix(data.X, 'X');
  checkLabels(data.y, data.X.rows);
  checkColumns(net, data.X);
  if (options.start !== undefined) checkVector(options.start, net.inputDim, 'start');
  if (net.depth === 1) return maxMarginL2(data);
  const exactL2 = realBlockBasis(net.irreps(), net.inputDim) !== null;
  if (net.depth === 2) {
    if (net.group.abelian) return groupCharacterL1Margin(net, data);
    return exactL2 ? groupNuclearMargin(net, data) : groupSchattenMaxMargin({ net, ...data, L: 2 });
  }
  if (net.group.spec.kind === 'cyclic') {
    const start = options.start ?? (await groupCharacterL1Margin(net, data)).beta;
    return stationaryMaxMarginFourierLp({ ...data, L: net.depth, start });
  }
  return groupStationaryPoint({
    net,
    ...data,
    L: net.depth,
    ...(options.start !== undefined ? { start: options.start } : {}),
  });
}

/**
 * The regression prediction for a group network trained by gradient flow on squared loss: for
 * `C_n` the convolutional kind's natural complex analogue of the Q potential
 * (`predictRegressionFourierQ`, `exact: false`, docs/theory/q-potential.md); L = 1 the
 * minimum-norm interpolant is covered by `predictRegression` on a diagonal/L = 1 model; other
 * groups: `notSupported` (blocks of dimension > 1, or characters other than the DFT's).
 *
 * @param net a group network
 * @param data `X` (n×|G|) and targets
 * @param init `alpha` (initialization scale) and optional `eta`
 */
export function predictGroupRegression(
  net: GroupNetwork,
  data: NetworkData,
  init: { readonly alpha: number; readonly eta?: ArrayLike<number> },
): NetworkPrediction {
  checkMatrix(data.X, 'X');
  checkVector(data.y, data.X.rows, 'y');
  checkColumns(net, data.X);
  if (net.group.spec.kind === 'cyclic') {
    return predictRegressionFourierQ({
      X: data.X,
      y: data.y,
      L: net.depth,
      alpha: init.alpha,
      ...(init.eta !== undefined ? { eta: init.eta } : {}),
    });
  }
  return {
    notSupported: `no regression prediction for a ${net.group.abelian ? 'non-cyclic abelian' : 'non-abelian'} group network: only C_n (the convolutional kind's Fourier Q potential) is covered`,
  };
}

function checkColumns(net: GroupNetwork, X: HostMatrix): void {
  if (X.cols !== net.inputDim) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `X has ${X.cols} columns but the group has order ${net.inputDim}`,
      { path: 'X' },
    );
  }
}

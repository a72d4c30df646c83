import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { groupNetwork } from '@implicit-bias/networks';
import type { GroupNetwork, LinearTensorNetwork } from '@implicit-bias/networks';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { interpolationSystem } from '../linalg/rank.js';
import { matTVec } from '../linalg/dense.js';
import type { NetworkData, NetworkPrediction } from './network-prediction.js';
import { predictRegressionQ } from '../regression/q-potential.js';
import { minNormInterpolant } from '../regression/interpolants.js';
import { predictRegressionFourierQ } from '../regression/q-potential-fourier.js';
import { maxMarginL2 } from '../classification/max-margin-l2.js';
import { maxMarginL1 } from '../classification/max-margin-l1.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { stationaryMaxMarginLp } from '../classification/stationary-max-margin-lp.js';
import { stationaryMaxMarginFourierLp } from '../classification/stationary-max-margin-fourier-lp.js';
import { predictGroupClassification, predictGroupRegression } from '../group/predict-group.js';

export type { NetworkData, NetworkPrediction, NotSupported } from './network-prediction.js';

/** `X Sᵀ` for a real m×d matrix S. */
function transformed(X: HostMatrix, S: HostMatrix): HostMatrix {
  const out = new Float64Array(X.rows * S.rows);
  for (let i = 0; i < X.rows; i++)
    for (let k = 0; k < S.rows; k++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j]! * S.data[k * S.cols + j]!;
      out[i * S.rows + k] = s;
    }
  return { rows: X.rows, cols: S.rows, data: out };
}

/**
 * The regression limit the theory predicts for `net` trained by gradient flow on squared loss:
 * - real odeco networks (diagonal, L = 1): `argmin Q_{L,α,η}(ρ) s.t. X Sᵀρ = y`, `β = Sᵀρ`
 *   (exact; η in ρ-coordinates, last layer initialized at 0);
 * - fully connected: the minimum-ℓ2 interpolant, the α → 0 limit (exact only for L = 1);
 * - full-width convolution: the natural complex analogue (`predictRegressionFourierQ`), which is
 *   **not** exact (`exact: false`, docs/theory/q-potential.md);
 * - small-filter convolution and user tensors: `notSupported`;
 * - group networks: `predictGroupRegression` (C_n only, else `notSupported`).
 *
 * Duplicate samples with equal targets (dependent rows of consistent data) are harmless: they
 * are dropped. When no interpolant exists — X is zero while y is not, or duplicate / dependent
 * rows of X have different targets — gradient flow tends to a least-squares fit instead, and
 * this throws `INVALID_DATA` with path `X` or `y` naming the rows.
 */
export function predictRegression(
  net: LinearTensorNetwork,
  data: NetworkData,
  init: { readonly alpha: number; readonly eta?: ArrayLike<number> },
): NetworkPrediction {
  checkMatrix(data.X, 'X');
  checkVector(data.y, data.X.rows, 'y');
  if (data.X.cols !== net.inputDim) return mismatch(net, data.X);
  if (net.spec.kind === 'group') return predictGroupRegression(asGroup(net), data, init);
  if (net.spec.kind === 'fully-connected') {
    const p = minNormInterpolant(data.X, data.y);
    return { ...p, exact: net.depth === 1 };
  }
  const od = net.odeco();
  if ('notOdeco' in od) return { notSupported: `no regression prediction: ${od.notOdeco}` };
  if (od.complex) {
    if (net.spec.kind === 'convolutional') {
      // the natural complex analogue, marked exact: false
      return predictRegressionFourierQ({
        X: data.X,
        y: data.y,
        L: net.depth,
        alpha: init.alpha,
        ...(init.eta !== undefined ? { eta: init.eta } : {}),
      });
    }
    return {
      notSupported: 'complex odeco regression other than a full convolution is not covered',
    };
  }
  // no interpolant at all (X zero, duplicate samples with different targets): say so in terms of
  // the user's X and y rather than of the transformed system A = X Sᵀ
  interpolationSystem(data.X, data.y, 'regression prediction', { A: 'X', y: 'y' });
  const A = od.S.identity === true ? data.X : transformed(data.X, od.S);
  const q = predictRegressionQ({
    A,
    y: data.y,
    L: net.depth,
    alpha: init.alpha,
    ...(init.eta !== undefined ? { eta: init.eta } : {}),
  });
  return { ...q, beta: od.S.identity === true ? q.rho : matTVec(od.S, q.rho) };
}

/**
 * The classification limit direction the theory predicts for `net` (exponential loss, separable data):
 * - fully connected (any depth): ℓ2 max margin (Theorem 1; Ji & Telgarsky 2019);
 * - real odeco: `min ‖ρ‖_{2/L}` on `Z = X Sᵀ` (L = 1: ℓ2; L = 2: ℓ1 LP; L ≥ 3: a stationary point from
 *   `options.start` (ρ₀), or from the ℓ1 solution when absent), `β = Sᵀρ`;
 * - full convolution: L = 1 ℓ2; L = 2 Fourier ℓ1; L ≥ 3 a stationary point of `min ‖Fβ‖_{2/L}`
 *   from `options.start` (β₀), or from the Fourier-ℓ1 solution when absent;
 * - group networks: `predictGroupClassification` (Schatten-2/L of the group Fourier blocks);
 * - otherwise (small filters, user tensors): `notSupported`, with the advice to check
 *   `singularTupleResidual` instead.
 *
 * `options.start` is in the coordinates of the problem: ρ for real odeco networks (= β for
 * diagonal networks, where S = I), β for convolutions.
 */
export async function predictClassification(
  net: LinearTensorNetwork,
  data: NetworkData,
  options: { readonly start?: ArrayLike<number> } = {},
): Promise<NetworkPrediction> {
  checkMatrix(data.X, 'X');
  checkLabels(data.y, data.X.rows);
  if (data.X.cols !== net.inputDim) return mismatch(net, data.X);
  if (net.spec.kind === 'group') return predictGroupClassification(asGroup(net), data, options);
  if (net.spec.kind === 'fully-connected') return maxMarginL2(data);
  const od = net.odeco();
  if ('notOdeco' in od) {
    return {
      notSupported: `no closed-form limit (${od.notOdeco}); check the singular-tuple certificate singularTupleResidual at the end of training (Theorem 1)`,
    };
  }
  if (od.complex) {
    // S = d^{(L−1)/2} F: for L = 1 the ℓ2 norm of ρ = Fβ is ‖β‖; for L = 2 the scale is irrelevant
    if (net.spec.kind === 'convolutional' && net.depth === 1) return maxMarginL2(data);
    if (net.spec.kind === 'convolutional' && net.depth === 2) return maxMarginFourierL1(data);
    if (net.spec.kind === 'convolutional') {
      return stationaryMaxMarginFourierLp({
        ...data,
        L: net.depth,
        start: options.start ?? (await maxMarginFourierL1(data)).beta,
      });
    }
    return {
      notSupported: `complex odeco with L = ${net.depth} other than a full convolution: no solver here; check singularTupleResidual`,
    };
  }
  const identity = od.S.identity === true; // S = I (diagonal networks): never formed densely
  const Z = identity ? data.X : transformed(data.X, od.S);
  const toBeta = (rho: Float64Array): Float64Array => (identity ? rho : matTVec(od.S, rho));
  if (net.depth === 1) {
    const l2 = await maxMarginL2({ X: Z, y: data.y });
    return { ...l2, rho: l2.beta, beta: toBeta(l2.beta) };
  }
  const sol =
    net.depth === 2
      ? await maxMarginL1({ Z, y: data.y })
      : await stationaryMaxMarginLp({
          Z,
          y: data.y,
          L: net.depth,
          start: options.start ?? (await maxMarginL1({ Z, y: data.y })).rho,
        });
  return { ...sol, beta: toBeta(sol.rho) };
}

/** The group network behind a `group` spec (rebuilt from the spec when given as a plain network). */
function asGroup(net: LinearTensorNetwork): GroupNetwork {
  if ('group' in net && 'irreps' in net) return net as GroupNetwork;
  const spec = net.spec as Extract<LinearTensorNetwork['spec'], { kind: 'group' }>;
  return groupNetwork({ group: spec.group, depth: spec.depth });
}

function mismatch(net: LinearTensorNetwork, X: HostMatrix): never {
  throw new ImplicitBiasError(
    'SHAPE_MISMATCH',
    `X has ${X.cols} columns but the network's input dimension is ${net.inputDim}`,
    { path: 'X' },
  );
}

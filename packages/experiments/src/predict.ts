import { oneMinusCos, relativeDistance } from '@implicit-bias/core';
import type { Dataset } from '@implicit-bias/datasets';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import {
  interpolationResidual,
  kktResidual,
  predictClassification,
  predictRegression,
  singularTupleResidual,
} from '@implicit-bias/theory';
import type { NetworkPrediction } from '@implicit-bias/theory';
import type { RunConfig } from './run-config.js';
import { odecoRho, projectT, transformedData } from './stationary-point.js';

/** The JSON form of a prediction. */
export interface PredictionJson {
  /** What was predicted (`q-potential`, `min-norm`, `max-margin-l1`, …). */
  readonly kind: string;
  /** Predicted end-to-end vector β, length d. */
  readonly beta: number[];
  /** True when the theory claims this is the exact limit of gradient flow. */
  readonly exact: boolean;
  /** The theorem or paper the prediction comes from. */
  readonly reference: string;
  /** Value of the minimized objective at β. */
  readonly objective: number;
  /** The predictor's own certificates (residuals, duality gaps), each ≈ 0 when the solve succeeded. */
  readonly certificate: Readonly<Record<string, number>>;
  /** Why the prediction is approximate here, when it is. */
  readonly note: string | null;
  /** How the predictor's own solve ended (`converged` unless its iteration failed). */
  readonly status: string;
  /** The predicted transformed-space ρ (β = Sᵀρ), when it is not β itself (odeco S ≠ I). */
  readonly rho?: number[];
}

/**
 * The initialization scale and shape the theorem of docs/theory/q-potential.md needs, read from a config:
 * exact for the `odeco` scheme, derived from explicit parameters of that form, otherwise the
 * scale with a note that the theorem's assumption does not hold.
 */
export function initScaleShape(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  init: readonly Float64Array[],
): {
  /** Initialization scale α. */
  alpha: number;
  /** Initialization shape η in ρ-coordinates; absent for all ones. */
  eta?: Float64Array;
  /** Why the theorem's initialization assumption does not hold here; null when it does. */
  note: string | null;
} {
  const i = cfg.init;
  if (i.scheme === 'odeco') {
    return i.shape === 'ones'
      ? { alpha: i.scale, note: null }
      : { alpha: i.scale, eta: Float64Array.from(i.shape), note: null };
  }
  const od = net.odeco();
  const last = init[init.length - 1]!;
  if (i.scheme === 'explicit' && !('notOdeco' in od) && !od.complex && last.every((v) => v === 0)) {
    // |U_lᵀ v_l| must agree across layers l < L; then α = 1 and η = |U_1ᵀ v_1|
    const proj = init
      .slice(0, -1)
      .map((v, l) => projectT(od.U[l]!, v, od.m).map((x) => Math.abs(x)));
    const eta = proj[0] ?? new Float64Array(od.m).fill(1);
    const same = proj.every((p) =>
      p.every((v, j) => Math.abs(v - eta[j]!) <= 1e-12 * Math.max(1, eta[j]!)),
    );
    if (same && eta.every((v) => v > 0) && net.depth > 1) return { alpha: 1, eta, note: null };
  }
  const scale = 'scale' in i ? i.scale : 1;
  return {
    alpha: scale,
    note: "the initialization is not of the odeco form the theorem assumes (use init.scheme 'odeco'); the prediction is a reference point",
  };
}

function toJson(
  p: NetworkPrediction,
  note: string | null,
): PredictionJson | { notSupported: string } {
  if ('notSupported' in p) return { notSupported: p.notSupported };
  return {
    kind: p.kind,
    beta: Array.from(p.beta),
    exact: p.exact && note === null && !('status' in p && p.status !== 'converged'),
    reference: p.reference,
    objective: p.objective,
    certificate: { ...p.certificate },
    note,
    status: 'status' in p && typeof p.status === 'string' ? p.status : 'converged',
    ...(p.rho !== undefined && p.rho !== p.beta ? { rho: Array.from(p.rho) } : {}),
  };
}

/** The theory's prediction for a config (regression: Q potential / min-ℓ2; classification: max margin). */
export async function predictFor(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  init: readonly Float64Array[],
  start?: Float64Array,
): Promise<
  | PredictionJson
  | {
      /** Why the theory makes no prediction for this network and task. */
      notSupported: string;
    }
> {
  if (cfg.task === 'regression') {
    const { alpha, eta, note } = initScaleShape(cfg, net, init);
    return toJson(predictRegression(net, data, eta ? { alpha, eta } : { alpha }), note);
  }
  return toJson(await predictClassification(net, data, start ? { start } : {}), null);
}

/** Distance between trained and predicted β: relative for regression, 1 − cos for classification. */
export function distanceTo(
  task: RunConfig['task'],
  beta: ArrayLike<number>,
  predicted: ArrayLike<number>,
): number {
  return task === 'regression' ? relativeDistance(beta, predicted) : oneMinusCos(beta, predicted);
}

/** Certificates of a trained result that do not trust any predictor (docs/theory/singular-tuple.md–§4.2). */
export function certificatesFor(
  cfg: RunConfig,
  net: LinearTensorNetwork,
  data: Dataset,
  params: readonly Float64Array[],
  beta: Float64Array,
): Record<string, number> {
  const X = data.X;
  if (cfg.task === 'regression')
    return { interpolationResidual: interpolationResidual(X, beta, data.y) };
  const out: Record<string, number> = {};
  // u = Σ_i p_i y_i x_i with p = softmax(−y∘f): the direction driving every layer at the end
  const f = Float64Array.from({ length: X.rows }, (_, i) => {
    let s = 0;
    for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j]! * beta[j]!;
    return -data.y[i]! * s;
  });
  const mx = f.reduce((a, b) => Math.max(a, b), -Infinity);
  const w = f.map((v) => Math.exp(v - mx));
  const u = new Float64Array(X.cols);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) u[j]! += w[i]! * data.y[i]! * X.data[i * X.cols + j]!;
  const dims = net.paramSizes.reduce((a, b) => a * b, 1);
  if (dims <= 1 << 20) {
    out['singularTupleResidual'] = singularTupleResidual({
      dataTensor: (x) => net.dataTensor(x),
      params,
      u,
    }).residual;
  }
  const od = net.odeco();
  if (!('notOdeco' in od) && !od.complex) {
    const rho = odecoRho(od, params);
    const Z = transformedData(X, od.S);
    // at a finite margin the support vectors' normalized margins still differ by about the
    // direction error, so the active set is taken within 1% of the smallest margin, and
    // coordinates below 1e-3 of the largest are treated as the zeros they converge to
    const k = kktResidual({
      Z,
      y: data.y,
      rho,
      L: net.depth,
      activeTolerance: 1e-2,
      supportTolerance: 1e-3,
    });
    out['kktResidual'] = k.residual;
    if (net.depth === 2) out['kktOffSupport'] = k.offSupportViolation;
  }
  return out;
}

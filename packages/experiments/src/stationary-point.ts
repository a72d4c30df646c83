import { oneMinusCos } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { Dataset } from '@implicit-bias/datasets';
import type { LinearTensorNetwork, OdecoMatrix } from '@implicit-bias/networks';
import {
  certifyKkt,
  certifyKktFourier,
  localStationaryPoint,
  localStationaryPointFourier,
} from '@implicit-bias/theory';
import type { KktCertificate, KktTolerances, LocalStationaryResult } from '@implicit-bias/theory';

/**
 * Two certified KKT points are reported as the same point when `1 − cos` between them is at most
 * this (an angle of about 1.4e−6 rad). Both are solved to about 1e−14; distinct KKT points of the
 * suite's problems are at least 1e−4 apart.
 */
export const SAME_POINT_TOLERANCE = 1e-12;

/** The JSON form of a {@link KktCertificate}. */
export interface KktCertificateJson {
  /** Relative stationarity residual with NNLS multipliers μ ≥ 0 on the active set. */
  readonly stationarity: number;
  /** Complementary slackness `Σ μ_i |m_i − 1| / Σ μ_i` at the point's own margins. */
  readonly complementarity: number;
  /** `max(0, 1 − min_i m_i)`. */
  readonly primalInfeasibility: number;
  /** All three within `tolerances`: a first-order stationary point to that accuracy. */
  readonly certified: boolean;
  /** The thresholds used (theory's `KKT_TOLERANCES`). */
  readonly tolerances: KktTolerances;
}

/**
 * For L ≥ 3 classification (diagonal and other real odeco networks, full convolutions), where the
 * theory promises only *a* KKT point of `min ‖ρ‖_{2/L}` (`‖Fβ‖_{2/L}`): the KKT point the flow
 * itself is converging to, found by a Newton solve warm-started from the trained direction
 * (theory's `localStationaryPoint`), next to the predictor's point.
 */
export interface StationaryComparison {
  /** The solver: `local-stationary-point` or `local-stationary-point-fourier`. */
  readonly kind: string;
  /** The warm start: always `trained direction`. */
  readonly start: 'trained direction';
  /** The flow's stationary point as an end-to-end β at margin 1. */
  readonly beta: number[];
  /** Its objective `‖ρ‖_{2/L}` (or `‖Fβ‖_{2/L}`). */
  readonly objective: number;
  /** How the Newton solve ended. */
  readonly status: string;
  /** Support (coordinates of ρ, or frequencies) and active samples of the point. */
  readonly support: number[];
  /** Samples whose margin constraints are active at the point. */
  readonly activeSet: number[];
  /** Its KKT certificate. */
  readonly certificate: KktCertificateJson;
  /** `1 − cos(β̂, β_flow)`: trained direction to the flow's stationary point. */
  readonly distance: number;
  /** `1 − cos(β̂, β_pred)`: trained direction to the predictor's point (the comparison's `distance`). */
  readonly predictionDistance: number | null;
  /** KKT certificate of the predictor's point; null without a prediction. */
  readonly predictionCertificate: KktCertificateJson | null;
  /** `1 − cos(β_flow, β_pred)`; null without a prediction. */
  readonly pointDistance: number | null;
  /** `pointDistance ≤ samePointTolerance`; null without a prediction. */
  readonly samePoint: boolean | null;
  /** {@link SAME_POINT_TOLERANCE}. */
  readonly samePointTolerance: number;
}

const certJson = (c: KktCertificate): KktCertificateJson => ({
  stationarity: c.stationarity,
  complementarity: c.complementarity,
  primalInfeasibility: c.primalInfeasibility,
  certified: c.certified,
  tolerances: { ...c.tolerances },
});

/** `Uᵀv` for an odeco factor (v itself when U is the implicit identity). @internal */
export function projectT(U: OdecoMatrix, v: ArrayLike<number>, m: number): Float64Array {
  if (U.identity === true) return Float64Array.from({ length: m }, (_, j) => Number(v[j]));
  return Float64Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let a = 0; a < U.rows; a++) s += U.data[a * U.cols + j]! * Number(v[a]);
    return s;
  });
}

/** `Z = X Sᵀ` (X itself for an implicit identity S: diagonal networks never form d×d). @internal */
export function transformedData(X: HostMatrix, S: OdecoMatrix): HostMatrix {
  if (S.identity === true) return X;
  const Z = { rows: X.rows, cols: S.rows, data: new Float64Array(X.rows * S.rows) };
  for (let i = 0; i < X.rows; i++)
    for (let k = 0; k < S.rows; k++) {
      let s = 0;
      for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j]! * S.data[k * S.cols + j]!;
      Z.data[i * S.rows + k] = s;
    }
  return Z;
}

/** `ρ_j = Π_l (U_lᵀ v_l)_j`, the odeco coordinates of trained parameters. @internal */
export function odecoRho(
  od: { U: readonly OdecoMatrix[]; m: number },
  params: readonly Float64Array[],
): Float64Array {
  const rho = new Float64Array(od.m).fill(1);
  params.forEach((v, l) => {
    const p = projectT(od.U[l]!, v, od.m);
    for (let j = 0; j < od.m; j++) rho[j]! *= p[j]!;
  });
  return rho;
}

/**
 * The flow's own stationary point for L ≥ 3 classification, its certificate, and its relation to
 * the predictor's point (see {@link StationaryComparison}); null for other tasks, depths and
 * networks (where the theory's limit is unique or not characterized).
 */
export function stationaryFor(
  task: 'regression' | 'classification',
  net: LinearTensorNetwork,
  data: Dataset,
  params: readonly Float64Array[],
  beta: Float64Array,
  prediction:
    { readonly beta: number[]; readonly rho?: number[] } | { notSupported: string } | null,
): StationaryComparison | null {
  if (task !== 'classification' || net.depth < 3 || net.spec.kind === 'fully-connected')
    return null;
  const od = net.odeco();
  if ('notOdeco' in od) return null;
  let low = Infinity;
  for (let i = 0; i < data.X.rows; i++) {
    let s = 0;
    for (let j = 0; j < data.X.cols; j++) s += data.X.data[i * data.X.cols + j]! * beta[j]!;
    low = Math.min(low, data.y[i]! * s);
  }
  if (!(low > 0)) return null; // the trained direction does not separate yet: no warm start
  const L = net.depth;
  const pred = prediction !== null && !('notSupported' in prediction) ? prediction : null;
  let local: LocalStationaryResult;
  let flowBeta: Float64Array;
  let predCert: KktCertificate | null = null;
  if (od.complex) {
    if (net.spec.kind !== 'convolutional') return null;
    local = localStationaryPointFourier({ X: data.X, y: data.y, L, start: beta });
    flowBeta = local.point;
    if (pred !== null) predCert = certifyKktFourier({ X: data.X, y: data.y, beta: pred.beta, L });
  } else {
    const Z = transformedData(data.X, od.S);
    local = localStationaryPoint({ Z, y: data.y, L, start: odecoRho(od, params) });
    flowBeta = od.S.identity === true ? local.point : sTransposeTimes(od.S, local.point);
    const predRho =
      pred === null ? null : (pred.rho ?? (od.S.identity === true ? pred.beta : null));
    if (predRho !== null) predCert = certifyKkt({ Z, y: data.y, rho: predRho, L });
  }
  const pointDistance = pred === null ? null : oneMinusCos(flowBeta, pred.beta);
  return {
    kind: local.kind,
    start: 'trained direction',
    beta: Array.from(flowBeta),
    objective: local.objective,
    status: local.status,
    support: local.support,
    activeSet: local.activeSet,
    certificate: certJson(local.kkt),
    distance: oneMinusCos(beta, flowBeta),
    predictionDistance: pred === null ? null : oneMinusCos(beta, pred.beta),
    predictionCertificate: predCert === null ? null : certJson(predCert),
    pointDistance,
    samePoint: pointDistance === null ? null : pointDistance <= SAME_POINT_TOLERANCE,
    samePointTolerance: SAME_POINT_TOLERANCE,
  };
}

function sTransposeTimes(S: OdecoMatrix, rho: Float64Array): Float64Array {
  const out = new Float64Array(S.cols);
  for (let k = 0; k < S.rows; k++)
    for (let j = 0; j < S.cols; j++) out[j]! += S.data[k * S.cols + j]! * rho[k]!;
  return out;
}

import { cpuHostKernels, cpuHostLu } from './host-kernels.js';
import { ImplicitBiasError } from '@implicit-bias/core';
import { FLOW_DEFAULTS, integrate, limitTolerances, type MethodName } from '@implicit-bias/flow';
import { reducedFlowField } from '@implicit-bias/theory';
import type {
  ReducedFlowField,
  ReducedFlowKernels,
  ReducedFlowProblem,
} from '@implicit-bias/theory';

// The solve loop lives here, not beside the field in theory: it integrates with flow's
// `integrate`, and theory (the oracle) never imports flow. experiments is the layer that
// combines the two (docs/architecture.md).

/** Options of {@link solveReducedFlow}. */
export interface ReducedFlowOptions {
  /** Times at which to report β (positive, increasing). */
  readonly times: readonly number[];
  /**
   * Method of flow's `integrate` (default `'rodas4'`: the reduced flow is stiff near its limit, and
   * a Rosenbrock step costs one n×n Jacobian and LU, measured several times faster here than
   * radau5's 3n×3n Newton systems).
   */
  readonly method?: MethodName;
  /** Relative tolerance (default 1e−10). */
  readonly rtol?: number;
  /** Absolute tolerance on the scaled dual state (default 1e−12). */
  readonly atol?: number;
  /** Attempted-step cap per interval between reported times (default 1e6). */
  readonly maxSteps?: number;
  /**
   * See `ReducedFieldSettings.jacobianReuse` of `@implicit-bias/theory` (default 0: exact). Only for radau5, whose
   * Newton iterations tolerate an inexact Jacobian; Rosenbrock methods (rodas4) lose their order
   * with one.
   */
  readonly jacobianReuse?: number;
  /** See `ReducedFieldSettings.jacobianDropTol` of `@implicit-bias/theory` (default 0: every coordinate). */
  readonly jacobianDropTol?: number;
  /** Called at every reported point; return `true` to stop there (e.g. once accurate enough). */
  readonly onPoint?: (point: ReducedFlowPoint) => boolean | void;
  /**
   * Products with `A`: the cpu backend's host kernels (default, WebAssembly SIMD where
   * available), `'js'` for theory's own loops, or any {@link ReducedFlowKernels}. Except with
   * `'js'`, radau5's and rodas4's LU factorizations are the cpu backend's WebAssembly ones
   * where available (the same factors as flow's JavaScript ones, bit for bit).
   */
  readonly kernels?: ReducedFlowKernels | 'js';
}

/** The reduced flow at one reported time, with the work spent to get there. */
export interface ReducedFlowPoint {
  /** The physical time t of this point (one of the requested times). */
  readonly time: number;
  /** The scaled dual state `s̃`. */
  readonly state: Float64Array;
  /** `ρ(t)` (length m). */
  readonly rho: Float64Array;
  /** End-to-end vector `β(t) = Sᵀρ(t)` (length d). */
  readonly beta: Float64Array;
  /** Accepted steps, cumulative from t = 0. */
  readonly accepted: number;
  /** Rejected steps, cumulative from t = 0. */
  readonly rejected: number;
  /** Evaluations of the n-dimensional field, cumulative from t = 0. */
  readonly fieldEvals: number;
  /** Jacobians requested by the stepper (some served from the reuse cache). */
  readonly jacobianEvals: number;
  /** Jacobians actually computed (Gram matrices `A diag(w) Aᵀ`). */
  readonly gramEvaluations: number;
}

/** Result of {@link solveReducedFlow}. */
export interface ReducedFlowResult {
  /** `'ok'` when every requested time was reached, `'stopped'` when `onPoint` stopped early. */
  readonly status: 'ok' | 'stopped' | 'max-steps' | 'failed';
  /** One point per reached requested time, in order. */
  readonly points: ReducedFlowPoint[];
  /** The field that was integrated (its work counters included). */
  readonly field: ReducedFlowField;
}

/**
 * Integrate the exact reduced flow of an odeco regression (docs/theory/q-potential.md) with flow's
 * `integrate` and report β at the requested times. The n-dimensional ODE replaces the
 * `Σ_l k_l`-dimensional flow of the full network, and its exact n×n Jacobian makes the stiff
 * stepper cheap, so times at which the full flow is stiff (near the interpolating limit) are
 * reached in far fewer and cheaper steps. One `integrate` call passes through every reported
 * time (steps clipped to land on each), so the stepper's Jacobians and step size carry across them.
 */
export function solveReducedFlow(
  problem: ReducedFlowProblem,
  options: ReducedFlowOptions,
): ReducedFlowResult {
  const field = reducedFlowField(problem, {
    jacobianReuse: options.jacobianReuse ?? 0,
    jacobianDropTol: options.jacobianDropTol ?? 0,
    ...(options.kernels === 'js' ? {} : { kernels: options.kernels ?? cpuHostKernels() }),
  });
  const times = options.times;
  if (!Array.isArray(times) || times.length === 0) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'must be a non-empty array of positive times', {
      path: 'options.times',
    });
  }
  times.forEach((t, i) => {
    if (!(t > 0) || !Number.isFinite(t) || (i > 0 && !(t > times[i - 1]!))) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `times must be finite, positive and strictly increasing; times[${i}] = ${String(t)}`,
        { path: 'options.times' },
      );
    }
  });
  const method = options.method ?? FLOW_DEFAULTS.exactStepper;
  const lu = options.kernels === 'js' ? undefined : cpuHostLu();
  const tol = limitTolerances('float64');
  const total = { accepted: 0, rejected: 0, fieldEvals: 0, jacobianEvals: 0 };
  const points: ReducedFlowPoint[] = [];
  // one integration through every report time: the stepper keeps its step size, Jacobian and
  // factorizations across them (restarting at each time cost a Jacobian and a fresh step-size
  // search per interval)
  const res = integrate(field, [new Float64Array(field.dim)], {
    method,
    tEnd: times[times.length - 1]!,
    times,
    rtol: options.rtol ?? tol.rtol,
    atol: options.atol ?? tol.atol,
    maxSteps: options.maxSteps ?? FLOW_DEFAULTS.maxSteps,
    ...(lu !== undefined ? { lu } : {}),
    onTime: ({ t, y, stats }) => {
      const state = y[0]!;
      Object.assign(total, stats[0]!);
      const point: ReducedFlowPoint = {
        time: t,
        state: Float64Array.from(state),
        rho: field.rho(state),
        beta: field.beta(state),
        ...total,
        gramEvaluations: field.counters.gramEvaluations,
      };
      points.push(point);
      return options.onPoint?.(point) === true;
    },
  });
  const status = res.status[0]!;
  return { status, points, field };
}

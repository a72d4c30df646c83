import { ImplicitBiasError } from '@implicit-bias/core';
import { DEFAULT_CONTROLLER, type ControllerSettings } from './controller.js';
import { initialStepSizes } from './initial-step.js';
import {
  methodStepper,
  newRow,
  STEPPERS,
  stepRows,
  type IntegratorSettings,
  type MethodName,
  type RowState,
} from './integrator.js';
import { defaultTolerances, FLOW_DEFAULTS } from './defaults.js';
import type { DenseLu } from './radau5-linear.js';
import type { VectorField } from './vector-field.js';

/** `integrate` works on host float64 arrays. */
const FLOAT64 = defaultTolerances('float64');

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  /** Method (default `FLOW_DEFAULTS.method`, `'auto'`). */
  readonly method?: MethodName;
  /** Final time (> 0). */
  readonly tEnd: number;
  /** Relative tolerance for adaptive methods (default `defaultTolerances('float64')`: 1e-8). */
  readonly rtol?: number;
  /** Absolute tolerance for adaptive methods (default `defaultTolerances('float64')`: 1e-12). */
  readonly atol?: number;
  /** Step size: fixed for `gd`/`rk4` (required) and for any method with `adaptive: false`; else the first step. */
  readonly stepSize?: number;
  /** Use error control (default true for dopri5, rodas4 and auto). */
  readonly adaptive?: boolean;
  /**
   * Give up after this many attempted steps per row (default `FLOW_DEFAULTS.maxSteps`, 1e6); with
   * `times`, per interval between consecutive report times.
   */
  readonly maxSteps?: number;
  /**
   * Report times (positive, strictly increasing, at most `tEnd`): adaptive steps are clipped to
   * land on each (fixed steps report at the first step within half a step of it), and `onTime`
   * is called once every row still running has reached it. The integration
   * goes on from there with the steppers' state intact (step size, kept Jacobians and
   * factorizations), unlike a new `integrate` call per interval.
   */
  readonly times?: readonly number[];
  /** Called at each report time; return `true` to stop there (status `'stopped'`). */
  readonly onTime?: (point: IntegratePoint) => boolean | void;
  /**
   * Dense LU factorizations for radau5's and rodas4's Newton systems (default: flow's JavaScript
   * ones), e.g. the cpu backend's WebAssembly SIMD ones (`cpuDenseLu`); see {@link DenseLu}.
   */
  readonly lu?: DenseLu;
}

/** What {@link IntegrateOptions.onTime} is given at a report time. */
export interface IntegratePoint {
  /** Index of the report time in `times`. */
  readonly index: number;
  /** The report time. */
  readonly t: number;
  /** Each row's own time: `t`, except with fixed steps (the step within half a step of `t`). */
  readonly rowTimes: readonly number[];
  /** The rows' states there (views the integration will not write: copy to keep beyond the call). */
  readonly y: readonly Float64Array[];
  /** Each row's work so far (cumulative from t = 0). */
  readonly stats: IntegrateResult['stats'];
}

/** Result of {@link integrate}. */
export interface IntegrateResult {
  /** States at the final time, one per input row. */
  readonly y: Float64Array[];
  /** Time reached by each row. */
  readonly t: number[];
  /** `'ok'` when `tEnd` was reached, `'stopped'` when `onTime` stopped at a report time, else why not. */
  readonly status: ('ok' | 'stopped' | 'max-steps' | 'failed')[];
  /** Accepted steps, rejected steps, field evaluations and Jacobians of each row. */
  readonly stats: {
    /** Accepted steps. */
    accepted: number;
    /** Rejected steps. */
    rejected: number;
    /** Field evaluations (per row). */
    fieldEvals: number;
    /** Jacobian evaluations (per row). */
    jacobianEvals: number;
  }[];
}

/**
 * Integrate the autonomous ODE `dy/dt = F(y)` from `t = 0` to `tEnd` for several initial states at
 * once (one batched field evaluation per stage). A small general-purpose entry point to the same
 * steppers and controller that {@link solveFlow} uses.
 */
export function integrate(
  field: VectorField,
  y0: readonly Float64Array[],
  options: IntegrateOptions,
): IntegrateResult {
  const method = options.method ?? FLOW_DEFAULTS.method;
  if (!(method in STEPPERS) && method !== 'auto') {
    throw new ImplicitBiasError('INVALID_CONFIG', `unknown method ${String(method)}`, {
      path: 'options.method',
    });
  }
  if (!(options.tEnd > 0)) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'must be a positive number', {
      path: 'options.tEnd',
    });
  }
  const fixedMethod = method === 'gd' || method === 'rk4';
  const adaptive = !fixedMethod && options.adaptive !== false;
  if (!adaptive && !(options.stepSize !== undefined && options.stepSize > 0)) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'fixed-step integration needs a positive stepSize',
      {
        path: 'options.stepSize',
      },
    );
  }
  const controller: ControllerSettings = {
    ...DEFAULT_CONTROLLER,
    rtol: options.rtol ?? FLOAT64.rtol,
    atol: options.atol ?? FLOAT64.atol,
  };
  const stepper = methodStepper(method, { stiffSwitch: FLOW_DEFAULTS.stiffSwitch });
  const settings: IntegratorSettings = {
    method,
    stepper,
    adaptive,
    controller,
    hMax: Infinity,
    ...(options.lu !== undefined ? { lu: options.lu } : {}),
  };
  const dim = field.dim;
  const n = y0.length;
  const packed = new Float64Array(n * dim);
  y0.forEach((y, i) => packed.set(y, i * dim));
  const f0 = field.evaluate(packed, n);
  const rows: RowState[] = y0.map((y, i) =>
    newRow(
      0,
      Float64Array.from(y),
      f0.slice(i * dim, (i + 1) * dim),
      options.stepSize ?? 0,
      stepper,
    ),
  );
  rows.forEach((r) => (r.fieldEvals += 1));
  if (adaptive && options.stepSize === undefined) {
    initialStepSizes(field, rows, stepper.order, controller, Infinity);
  }
  const maxSteps = options.maxSteps ?? FLOW_DEFAULTS.maxSteps;
  const status: ('ok' | 'stopped' | 'max-steps' | 'failed' | 'running')[] = rows.map(
    () => 'running',
  );
  const tEnd = options.tEnd;
  const times = reportTimes(options.times, tEnd);
  const statsOf = (): IntegrateResult['stats'] => rows.map(statsOfRow);
  let next = 0; // the next report time
  let spent = rows.map(() => 0); // attempted steps at the start of the current interval
  const targetOf = (): number => (next < times.length ? times[next]! : tEnd);
  const isDone = (r: RowState, target: number): boolean =>
    adaptive ? r.t >= target : r.t > target - 0.5 * r.h;
  for (;;) {
    const target = targetOf();
    const active = rows.map((_, i) => i).filter((i) => status[i] === 'running');
    if (active.length === 0) break;
    const pending = active.filter((i) => !isDone(rows[i]!, target));
    if (pending.length === 0) {
      if (target === tEnd && next >= times.length) {
        for (const i of active) status[i] = 'ok';
        break;
      }
      // every running row is at report time `next`
      const stop =
        options.onTime?.({
          index: next,
          t: target,
          rowTimes: rows.map((r) => r.t),
          y: rows.map((r) => r.y),
          stats: statsOf(),
        }) === true;
      next++;
      spent = rows.map((r) => r.accepted + r.rejected);
      if (stop) {
        for (const i of active) status[i] = 'stopped';
        break;
      }
      continue;
    }
    const group = pending.map((i) => rows[i]!);
    const limits = group.map(() => (adaptive ? target : Infinity));
    const out = stepRows(field, group, settings, limits);
    pending.forEach((i, j) => {
      const r = rows[i]!;
      if (out[j] === 'failed') status[i] = 'failed';
      else if (!isDone(r, target) && r.accepted + r.rejected - spent[i]! >= maxSteps)
        status[i] = 'max-steps';
    });
  }
  return {
    y: rows.map((r) => r.y),
    t: rows.map((r) => r.t),
    status: status.map((s) => (s === 'running' ? 'failed' : s)),
    stats: rows.map(statsOfRow),
  };
}

function statsOfRow(r: RowState): IntegrateResult['stats'][number] {
  return {
    accepted: r.accepted,
    rejected: r.rejected,
    fieldEvals: r.fieldEvals,
    jacobianEvals: r.jacobianEvals,
  };
}

/** `options.times`, checked: positive, strictly increasing, at most `tEnd`. */
function reportTimes(times: readonly number[] | undefined, tEnd: number): readonly number[] {
  if (times === undefined) return [];
  if (!Array.isArray(times)) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'must be an array of report times', {
      path: 'options.times',
    });
  }
  times.forEach((t: unknown, i) => {
    if (
      typeof t !== 'number' ||
      !(t > 0) ||
      !(t <= tEnd) ||
      (i > 0 && !(t > (times[i - 1] as number)))
    ) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `times must be positive, strictly increasing and at most tEnd (${tEnd}); times[${i}] = ${String(t)}`,
        { path: `options.times[${i}]` },
      );
    }
  });
  return times;
}

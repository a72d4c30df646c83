import { EPSILON, type Precision } from '@implicit-bias/core';

/**
 * Every default of {@link FlowOptions} that does not depend on the backend, in one place. The
 * tolerances that do (`rtol`, `atol`, `locateTol`) come from {@link defaultTolerances}.
 */
export const FLOW_DEFAULTS = {
  /** Integration method (ADR 0006): dopri5, switching to radau5 when stiff. */
  method: 'auto',
  /**
   * Stepper of the exact reduced flow (`method: 'exact'` in run configs): its state is
   * n-dimensional and its Jacobian an n×n Gram matrix (n²·d/2 multiply-adds), which radau5 keeps
   * across steps while its Newton iterations converge fast (a Rosenbrock method needs a new one
   * every step). Measured in the benchmarks' time-to-accuracy section.
   */
  exactStepper: 'radau5',
  /**
   * Method of interactive runs (the playground): explicit steps only, so that a frame never waits
   * for a dense Jacobian and its LU.
   */
  interactiveMethod: 'dopri5',
  /** Time scale. */
  time: 'physical',
  /** Snapshots per run of the log-spaced schedule. */
  saveCount: 100,
  /** Safety cap on attempted (accepted + rejected) steps per run. */
  maxSteps: 1_000_000,
  /** Milliseconds between `onProgress` calls. */
  progressThrottleMs: 250,
  /** Locate margin/loss/log-loss crossings by re-stepping. */
  locateEvents: true,
  /** Stall threshold (fraction of the largest field norm). */
  stallTol: 1e-8,
  /** Consecutive stiffness detections before `auto` switches (or `dopri5` stops). */
  stiffSwitch: 15,
  /** What an explicit dopri5 run does when stiff. */
  stiffness: 'stop',
} as const;

/** Tolerances that depend on the backend's floating-point precision. */
export interface PrecisionTolerances {
  /** Relative tolerance of the step-size controller. */
  readonly rtol: number;
  /** Absolute tolerance of the step-size controller. */
  readonly atol: number;
  /** Relative accuracy of located crossings (events, saved margins, stop targets). */
  readonly locateTol: number;
  /**
   * The smallest `rtol` the precision can deliver: `10·ε`. Below it the error estimates of a
   * step are dominated by the rounding of the field, the controller rejects steps it cannot
   * improve and the step size collapses (a solve warns, see `onWarning`).
   */
  readonly minRtol: number;
}

/**
 * Tolerances for runs whose limit is compared with the theory (run configs, the CLI, the suite):
 * on `float64` tighter than {@link defaultTolerances} (`rtol = 1e−10`, `atol = 1e−12`), since a
 * limit is judged to 1e−8 and closer; on `float32` the same as {@link defaultTolerances} (a
 * float32 field cannot deliver more).
 */
export function limitTolerances(precision: Precision): PrecisionTolerances {
  const d = defaultTolerances(precision);
  return precision === 'float64' ? { ...d, rtol: 1e-10, atol: 1e-12 } : d;
}

/** Controller tolerances of one purpose, per precision. */
export interface TolerancePreset {
  /** On a float64 backend (or the host). */
  readonly float64: {
    /** Relative tolerance. */
    readonly rtol: number;
    /** Absolute tolerance. */
    readonly atol: number;
  };
  /** On a float32 backend. */
  readonly float32: {
    /** Relative tolerance. */
    readonly rtol: number;
    /** Absolute tolerance. */
    readonly atol: number;
  };
}

/**
 * Tolerance presets for purposes other than a library default ({@link defaultTolerances}) or a
 * limit compared with the theory ({@link limitTolerances}); the one place packages take them from.
 */
export const TOLERANCE_PRESETS: {
  /**
   * Regression driven to its interpolating limit (the loss to 1e−20 in float64): the paper
   * suite's regression and Woodworth sections, the playground's regression. Tighter than
   * `limitTolerances`, since the distance to argmin Q is judged to 1e−6 after a long flow.
   */
  readonly regressionLimit: TolerancePreset;
  /** Interactive classification (the playground, to margin 20 within a frame budget). */
  readonly interactiveClassification: TolerancePreset;
} = {
  regressionLimit: {
    float64: { rtol: 1e-11, atol: 1e-14 },
    float32: { rtol: 1e-7, atol: 1e-10 },
  },
  interactiveClassification: {
    float64: { rtol: 1e-9, atol: 1e-12 },
    float32: { rtol: 1e-6, atol: 1e-9 },
  },
};

/**
 * Default tolerances for a backend of `precision`.
 *
 * - `float64` (ε ≈ 2.2e−16): `rtol = 1e−8`, `atol = 1e−12`, `locateTol = 1e−12`.
 * - `float32` (ε ≈ 1.2e−7): the field is rounded to ε relative at every evaluation (more over
 *   the n-term sums of the loss), so a local error below ~10ε cannot be measured: `rtol = 1e−5`
 *   (≈ 84ε), `atol = 1e−8`, `locateTol = 1e−6` (an event value computed in float32 is accurate
 *   to a few ε). Measured on `tfjs-cpu` (depth-2 diagonal regression, 3×6 data, to 𝓛 = 1e−8):
 *   rtol 1e−5 takes 88 accepted steps and no rejection, 1e−8 takes 149 (2 rejected) and 1e−10
 *   takes 2083 (171 rejected) for the same answer to float32 accuracy.
 */
export function defaultTolerances(precision: Precision): PrecisionTolerances {
  const eps = EPSILON[precision];
  if (precision === 'float32')
    return { rtol: 1e-5, atol: 1e-8, locateTol: 1e-6, minRtol: 10 * eps };
  return { rtol: 1e-8, atol: 1e-12, locateTol: 1e-12, minRtol: 10 * eps };
}

/** Where warnings go by default: `process.emitWarning` where it exists, else `console.warn`. */
export function defaultWarn(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (m: string, t?: string) => void } })
    .process;
  if (typeof proc?.emitWarning === 'function') proc.emitWarning(message, 'ImplicitBiasWarning');
  else console.warn(message);
}

/**
 * The warning for a requested `rtol` below what the backend's precision can deliver, or
 * undefined when it is sensible.
 */
export function rtolWarning(
  rtol: number,
  backendId: string,
  precision: Precision,
): string | undefined {
  const { minRtol, rtol: dflt } = defaultTolerances(precision);
  if (!(rtol < minRtol)) return undefined;
  return (
    `options.rtol = ${rtol} is below what the ${precision} backend '${backendId}' can deliver ` +
    `(the smallest sensible rtol is ${minRtol.toExponential(1)} = 10·ε with ε = ` +
    `${EPSILON[precision].toExponential(1)}; its default is ${dflt.toExponential()}): steps will be rejected for ` +
    `rounding errors and the solve may stall; raise options.rtol or use a float64 backend (cpu)`
  );
}

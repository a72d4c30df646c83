/** Settings of the {@link piController}. */
export interface ControllerSettings {
  /** Relative tolerance (> 0). */
  readonly rtol: number;
  /** Absolute tolerance (> 0). */
  readonly atol: number;
  /** Safety factor applied to the optimal step (default 0.9). */
  readonly safety: number;
  /** Smallest step-size factor per step (default 0.2). */
  readonly minFactor: number;
  /** Largest step-size factor per step (default 10). */
  readonly maxFactor: number;
  /** Proportional coefficient β of Hairer's PI controller (default 0.04; 0 gives I-control). */
  readonly beta: number;
  /**
   * `'componentwise'` (Hairer): each entry's error relative to that entry; `'norm'`: relative to
   * the RMS size of the whole state, so entries decaying towards 0 do not force tiny steps.
   */
  readonly errorScale: 'componentwise' | 'norm';
}

/** Default controller settings (Hairer's DOPRI5 values). */
export const DEFAULT_CONTROLLER: Omit<ControllerSettings, 'rtol' | 'atol'> = {
  safety: 0.9,
  minFactor: 0.2,
  maxFactor: 10,
  beta: 0.04,
  errorScale: 'componentwise',
};

/** What the controller decided for one row. */
export interface ControllerDecision {
  /** Accept the proposed step. */
  readonly accept: boolean;
  /** Next step size (after acceptance) or retry size (after rejection). */
  readonly h: number;
  /** Error norm to remember for the next decision (PI memory). */
  readonly errPrev: number;
}

/**
 * Scaled RMS norm of the error of one row (Hairer's norm):
 * `sqrt(mean_i (e_i / (atol + rtol·max(|y0_i|, |y1_i|)))²)`, or with `normwise` the RMS error over
 * `atol + rtol·max(rms(y0), rms(y1))`; NaN or Infinity when anything is not finite.
 */
export function errorNorm(
  err: Float64Array,
  y0: Float64Array,
  y1: Float64Array,
  offset: number,
  dim: number,
  rtol: number,
  atol: number,
  normwise = false,
): number {
  let s = 0;
  if (normwise) {
    let a = 0;
    let b = 0;
    for (let i = offset; i < offset + dim; i++) {
      a += y0[i]! * y0[i]!;
      b += y1[i]! * y1[i]!;
      s += err[i]! * err[i]!;
    }
    const sc = atol + rtol * Math.sqrt(Math.max(a, b) / dim);
    return Math.sqrt(s / dim) / sc;
  }
  for (let i = offset; i < offset + dim; i++) {
    const sc = atol + rtol * Math.max(Math.abs(y0[i]!), Math.abs(y1[i]!));
    const e = err[i]! / sc;
    s += e * e;
  }
  return Math.sqrt(s / dim);
}

/**
 * Hairer's PI step-size controller: accept when the error norm is ≤ 1 and scale the step by
 * `safety · err^{−(1/q − 0.75β)} · errPrev^{β}`, clipped to `[minFactor, maxFactor]`
 * (after a rejection the step may only shrink). `q` is the stepper's `errorOrder`.
 */
export function piController(
  s: ControllerSettings,
  q: number,
  h: number,
  err: number,
  errPrev: number,
): ControllerDecision {
  if (!Number.isFinite(err)) return { accept: false, h: h * s.minFactor, errPrev };
  const alpha = 1 / q - 0.75 * s.beta;
  const fac11 = err > 0 ? Math.pow(err, -alpha) : Infinity;
  if (err <= 1) {
    const e = Math.max(err, 1e-4);
    const fac = s.safety * fac11 * Math.pow(errPrev, s.beta);
    const clipped = Math.min(
      s.maxFactor,
      Math.max(s.minFactor, Number.isFinite(fac) ? fac : s.maxFactor),
    );
    return { accept: true, h: h * clipped, errPrev: e };
  }
  const fac = Math.max(s.minFactor, Math.min(1, s.safety * fac11));
  return { accept: false, h: h * fac, errPrev };
}

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

/** What {@link predictiveController} needs to remember of a row besides `errPrev`. */
export interface PredictiveMemory {
  /** Error norm of the last accepted step (the row's `errPrev`). */
  readonly errPrev: number;
  /** Size of the last accepted step, undefined before the first (no prediction then). */
  readonly hAcc: number | undefined;
  /** The attempt before this one was rejected: an accepted step then does not grow `h`. */
  readonly afterReject: boolean;
  /** Newton iterations of this step and their cap (Hairer's `NEWT`, `NIT`), when known. */
  readonly newton?:
    | {
        /** Newton iterations the step took (`NEWT`). */
        readonly iterations: number;
        /** The most a step may take (`NIT`). */
        readonly max: number;
      }
    | undefined;
}

/**
 * Hairer's RADAU5 step-size control with Gustafsson's predictive correction (Hairer & Wanner,
 * Solving ODEs II, §IV.8, eq. (8.25); RADAU5 with `PRED = 1`). With `fac = min(safety,
 * safety·(1 + 2·NIT)/(NEWT + 2·NIT))` (less growth after many Newton iterations) the standard
 * proposal is `h·fac·err^{−1/q}`; after an accepted step that follows another it is capped by the
 * prediction `h·safety·(h/hAcc)·(errPrev/err²)^{1/q}`, which sees a growing error coming: where
 * the PI controller alternates accepted and rejected steps through a fast transient (each rejected
 * step costs its Newton iterations and a refactorization), this shrinks `h` ahead of it. Factors
 * are clipped to `[minFactor, maxFactor]`; a rejected step only shrinks `h`, and the step accepted
 * right after a rejection does not grow it.
 */
export function predictiveController(
  s: ControllerSettings,
  q: number,
  h: number,
  err: number,
  mem: PredictiveMemory,
): ControllerDecision {
  if (!Number.isFinite(err)) return { accept: false, h: h * s.minFactor, errPrev: mem.errPrev };
  const nit = mem.newton?.max ?? 0;
  const newt = mem.newton?.iterations ?? 0;
  const fac =
    nit > 0 ? Math.min(s.safety, (s.safety * (1 + 2 * nit)) / (newt + 2 * nit)) : s.safety;
  const clip = (quot: number): number =>
    Math.max(1 / s.maxFactor, Math.min(1 / s.minFactor, Number.isFinite(quot) ? quot : 0));
  // quot = h / h_new (Hairer's convention): larger quot, smaller step
  let quot = clip(Math.pow(err, 1 / q) / fac);
  if (err > 1) return { accept: false, h: h / Math.max(quot, 1), errPrev: mem.errPrev };
  if (mem.hAcc !== undefined && mem.hAcc > 0) {
    const erracc = Math.max(1e-2, mem.errPrev);
    const gus = clip(((mem.hAcc / h) * Math.pow((err * err) / erracc, 1 / q)) / s.safety);
    quot = Math.max(quot, gus);
  }
  let hNew = h / quot;
  if (mem.afterReject) hNew = Math.min(hNew, h);
  return { accept: true, h: hNew, errPrev: Math.max(err, 1e-4) };
}

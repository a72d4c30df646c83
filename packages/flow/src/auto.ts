import { dopri5 } from './explicit-steppers.js';
import { radau5, type Radau5State } from './radau5.js';
import type { Stepper, StepInput, StepOutput } from './stepper.js';
import type { VectorField } from './vector-field.js';

/** An explicit dopri5 run tests stiffness every NSTIFF-th accepted step (Hairer's default). */
const NSTIFF = 1000;

/** Hairer's stiffness threshold on `h·|λ|` (DOPRI5). */
const STIFF_RATIO = 3.25;

/** Consecutive stiffness detections of dopri5, and non-stiff steps since the last one. */
export interface StiffnessCount {
  /** Current run of consecutive detections. */
  readonly stiffHits: number;
  /** Consecutive non-stiff accepted steps since the last detection. */
  readonly nonStiffHits: number;
}

const NONE: StiffnessCount = { stiffHits: 0, nonStiffHits: 0 };

/** The count after a tested step with stiffness indicator `ratio` (six calm steps clear it). */
function counted(c: StiffnessCount, ratio: number): StiffnessCount {
  if (ratio > STIFF_RATIO) return { stiffHits: c.stiffHits + 1, nonStiffHits: 0 };
  const calm = c.nonStiffHits + 1;
  return { stiffHits: calm >= 6 ? 0 : c.stiffHits, nonStiffHits: calm };
}

/**
 * dopri5 that counts its stiffness detections (an explicit run that stops when stiff), testing
 * as Hairer's DOPRI5 does: every 1000th accepted step, then every step while detections
 * continue. The stop itself is a stop condition (`stiffHits ≥ stiffSwitch`).
 */
export const countingDopri5: Stepper<StiffnessCount> = {
  name: 'dopri5',
  order: dopri5.order,
  errorOrder: dopri5.errorOrder!,
  needsJacobian: false,
  init: () => NONE,
  describe: (c) => ({ stepper: 'dopri5', ...c }),
  restore: (f) => ({ stiffHits: f.stiffHits, nonStiffHits: f.nonStiffHits }),
  step(field, input, states) {
    const out = dopri5.step(field, input);
    const next = Array.from({ length: input.rows }, (_, i) => {
      const c = states?.[i] ?? NONE;
      const tested = ((input.steps?.[i] ?? 0) + 1) % NSTIFF === 0 || c.stiffHits > 0;
      return tested ? counted(c, out.stiffness![i]!) : c;
    });
    return { ...out, states: next };
  },
};

/** An `auto` row's state: the stepper it is on, dopri5's stiffness count, radau5's state. */
export interface AutoState extends StiffnessCount {
  /** The stepper in use. */
  readonly on: 'dopri5' | 'radau5';
  /** radau5's state once switched. */
  readonly radau5?: Radau5State | undefined;
}

/** Settings of {@link autoStepper}. */
export interface AutoSettings {
  /** Consecutive stiffness detections before switching (Hairer: 15). */
  readonly stiffSwitch: number;
  /** False: radau5's Jacobians would not fit the memory budget, so never switch. */
  readonly mayStiffen: boolean;
}

/** The rows of a batch input `s` listed in `idx`, as a batch of their own. */
function subInput(s: StepInput, idx: readonly number[], dim: number): StepInput {
  const pick = (a: Float64Array, w: number): Float64Array => {
    const out = new Float64Array(idx.length * w);
    idx.forEach((r, k) => out.set(a.subarray(r * w, (r + 1) * w), k * w));
    return out;
  };
  const jac = s.jacobian;
  return {
    y: pick(s.y, dim),
    f: pick(s.f, dim),
    h: pick(s.h, 1),
    rows: idx.length,
    runs: s.runs === undefined ? undefined : idx.map((r) => s.runs![r]!),
    ...(jac ? { jacobian: (which: readonly number[]) => jac(which.map((k) => idx[k]!)) } : {}),
    ...(s.steps ? { steps: idx.map((r) => s.steps![r]!) } : {}),
    ...(s.tolerance ? { tolerance: s.tolerance } : {}),
    ...(s.lu ? { lu: s.lu } : {}),
  };
}

/**
 * `auto`: dopri5 that switches a row to radau5 once Hairer's stiffness test (`h·|λ| > 3.25`,
 * every accepted step) fired `stiffSwitch` times in a row; the switched row's controller starts
 * over. Rows on each stepper are stepped as one batch each.
 */
export function autoStepper(settings: AutoSettings): Stepper<AutoState> {
  return {
    name: 'auto',
    order: dopri5.order,
    errorOrder: dopri5.errorOrder!,
    needsJacobian: true,
    holdStep: (st) => (st.on === 'radau5' ? radau5.holdStep?.(st.radau5) : undefined),
    predictive: (st) => (st.on === 'radau5' ? radau5.predictive?.(st.radau5) : undefined),
    init: () => ({ on: 'dopri5', ...NONE }),
    describe: (st) => ({
      stepper: st.on,
      stiffHits: st.stiffHits,
      nonStiffHits: st.nonStiffHits,
      cont: st.radau5?.cont,
      hOld: st.radau5?.hOld,
      jacAt: st.radau5?.jacAt,
      jacRefresh: st.radau5?.jacRefresh,
    }),
    restore: (f) => ({
      on: f.stepper === 'radau5' ? 'radau5' : 'dopri5',
      stiffHits: f.stiffHits,
      nonStiffHits: f.nonStiffHits,
      radau5: radau5.restore(f),
    }),
    step(field: VectorField, s: StepInput, given?: readonly AutoState[]): StepOutput<AutoState> {
      const dim = field.dim;
      const n = s.rows;
      const states = given ?? Array.from({ length: n }, () => this.init());
      const y = new Float64Array(n * dim);
      const f = new Float64Array(n * dim);
      const fKnown = new Uint8Array(n);
      const error = new Float64Array(n * dim);
      const errorOrders = new Float64Array(n);
      const fieldEvals = new Float64Array(n);
      const jacobianEvals = new Float64Array(n);
      const restart = new Uint8Array(n);
      const iterations = new Int32Array(n);
      let maxIterations = 0;
      const next: AutoState[] = [...states];
      let totalF = 0;
      let totalJ = 0;
      for (const on of ['dopri5', 'radau5'] as const) {
        const idx = states.flatMap((st, i) => (st.on === on ? [i] : []));
        if (idx.length === 0) continue;
        const sub = subInput(s, idx, dim);
        const out =
          on === 'dopri5'
            ? dopri5.step(field, sub)
            : radau5.step(
                field,
                sub,
                idx.map((i) => states[i]!.radau5),
              );
        totalF += out.fieldEvals;
        totalJ += out.jacobianEvals ?? 0;
        idx.forEach((i, k) => {
          y.set(out.y.subarray(k * dim, (k + 1) * dim), i * dim);
          if (out.f) {
            f.set(out.f.subarray(k * dim, (k + 1) * dim), i * dim);
            fKnown[i] = 1;
          }
          error.set(out.error!.subarray(k * dim, (k + 1) * dim), i * dim);
          errorOrders[i] = (on === 'dopri5' ? dopri5 : radau5).errorOrder!;
          fieldEvals[i] = out.fieldEvals / idx.length;
          jacobianEvals[i] = (out.jacobianEvals ?? 0) / idx.length;
          const st = states[i]!;
          if (on === 'radau5') {
            if (out.iterations !== undefined) iterations[i] = out.iterations[k]!;
            maxIterations = Math.max(maxIterations, out.maxIterations ?? 0);
            next[i] = { ...st, radau5: out.states![k]! };
            return;
          }
          const c = counted(st, out.stiffness![k]!);
          if (settings.mayStiffen && c.stiffHits >= settings.stiffSwitch) {
            next[i] = { on: 'radau5', ...c, radau5: undefined };
            restart[i] = 1;
          } else next[i] = { on: 'dopri5', ...c };
        });
      }
      return {
        y,
        f,
        fKnown,
        error,
        errorOrders,
        fieldEvals: totalF,
        jacobianEvals: totalJ,
        perRow: { fieldEvals, jacobianEvals },
        states: next,
        restart,
        ...(maxIterations > 0 ? { iterations, maxIterations } : {}),
      };
    },
  };
}

import type { DenseLu } from './radau5-linear.js';
import type { VectorField } from './vector-field.js';

/** Names of the built-in steppers. */
export type StepperName = 'gd' | 'rk4' | 'dopri5' | 'rodas4' | 'radau5';

/** Integration methods: the steppers plus `auto` (dopri5 that switches to radau5 when stiff). */
export type MethodName = StepperName | 'auto';

/** One attempted step for a batch of rows, each with its own step size. */
export interface StepInput {
  /** States `[rows, dim]` at the start of the step. */
  readonly y: Float64Array;
  /** `F(y)` at the start of the step (`[rows, dim]`). */
  readonly f: Float64Array;
  /** Step size of each row. */
  readonly h: Float64Array;
  /** Number of rows. */
  readonly rows: number;
  /** The run of each row, passed on to `field.evaluate` (see {@link VectorField.evaluate}). */
  readonly runs?: readonly number[] | undefined;
  /**
   * Jacobians `∂F/∂y` at the start points of the listed rows (indices into this batch),
   * row-major `[which.length, dim, dim]`. The caller computes each row's at most once per point
   * and counts it; a stepper asks only for the rows that need a fresh one (so a stepper that
   * keeps a Jacobian in its state across steps asks for none).
   */
  readonly jacobian?: (which: readonly number[]) => Float64Array;
  /** Accepted steps of each row before this one (dopri5's periodic stiffness test). */
  readonly steps?: readonly number[];
  /**
   * A `[rows, dim]` buffer that no one reads any more, into which the stepper may write the
   * proposed states `y` instead of allocating them (gd, rk4 and dopri5 do; see `StatePool`).
   */
  readonly out?: Float64Array;
  /** Dense LU factorizations for the implicit steppers' linear systems (absent: flow's JavaScript ones). */
  readonly lu?: DenseLu | undefined;
  /** Tolerances of the step-size controller (implicit steppers converge their iterations to them). */
  readonly tolerance?: {
    /** Relative tolerance. */
    readonly rtol: number;
    /** Absolute tolerance. */
    readonly atol: number;
  };
}

/** Result of {@link Stepper.step}. */
export interface StepOutput<S = unknown> {
  /** Proposed states at `t + h`. */
  readonly y: Float64Array;
  /** `F` at the proposed states when the method computes it anyway (first same as last). */
  readonly f?: Float64Array;
  /** Rows of `f` that hold `F` (absent: all of them when `f` is given). */
  readonly fKnown?: Uint8Array;
  /** Embedded local error estimate `[rows, dim]` (adaptive steppers). */
  readonly error?: Float64Array;
  /** Order of each row's error estimate (absent: the stepper's `errorOrder`). */
  readonly errorOrders?: Float64Array;
  /** Per-row stiffness indicator `h·|λ|` (Hairer's estimate; dopri5 only). */
  readonly stiffness?: Float64Array;
  /** Field evaluations spent (counting each batched call once per row). */
  readonly fieldEvals: number;
  /** Extra Jacobians evaluated inside the step (counted per row). */
  readonly jacobianEvals?: number;
  /** Field and Jacobian evaluations of each row (absent: the totals shared evenly). */
  readonly perRow?: {
    /** Field evaluations of each row. */
    readonly fieldEvals: Float64Array;
    /** Jacobian evaluations of each row. */
    readonly jacobianEvals: Float64Array;
  };
  /** Each row's stepper state after the step, kept by the caller when the step is accepted. */
  readonly states?: readonly S[];
  /**
   * Newton iterations each row's step took (implicit steppers): the predictive controller grows
   * the step less after hard-won convergence (Hairer's `FAC = min(SAFE, CFAC/(NEWT + 2·NIT))`).
   */
  readonly iterations?: Int32Array;
  /** The most Newton iterations a step may take (`NIT`), given with `iterations`. */
  readonly maxIterations?: number;
  /** Rows whose step-size controller starts over when the step is accepted (a method switch). */
  readonly restart?: Uint8Array;
}

/**
 * What a stepper state says about itself in a checkpoint (the `RunCheckpoint` fields `stepper`,
 * `stiffHits`, `nonStiffHits`, `cont`, `hOld`).
 */
export interface StepperStateFields {
  /** The stepper in use (`auto`: dopri5 or radau5). */
  readonly stepper: StepperName;
  /** Consecutive stiffness detections of dopri5. */
  readonly stiffHits: number;
  /** Consecutive non-stiff accepted steps since the last detection. */
  readonly nonStiffHits: number;
  /** radau5: divided differences of the last accepted step's collocation polynomial, `3·dim`. */
  readonly cont?: Float64Array | undefined;
  /** radau5: the size of that step. */
  readonly hOld?: number | undefined;
  /** radau5: the point its kept Jacobian was evaluated at (recomputed there on restore). */
  readonly jacAt?: Float64Array | undefined;
  /** radau5: the next step takes a fresh Jacobian. */
  readonly jacRefresh?: boolean | undefined;
}

/**
 * A one-step method (diffrax's "solver"): it proposes `y(t + h)` and, when it is embedded, an error
 * estimate; accepting or rejecting is the controller's job. Each row (run) carries an opaque,
 * immutable state `S` (`init` for a fresh row): `step` proposes the next states, which the caller
 * keeps only for accepted steps, so a rejected or retaken step starts from the same state.
 */
export interface Stepper<S = unknown> {
  /** Identifier. */
  readonly name: MethodName;
  /** Classical order of the propagated solution. */
  readonly order: number;
  /** Order of the embedded error estimate's lower method plus one (the controller exponent's 1/q), if embedded. */
  readonly errorOrder?: number;
  /** True when the stepper may ask for Jacobians (`StepInput.jacobian`). */
  readonly needsJacobian: boolean;
  /**
   * After an accepted step, a proposed step size between `lo·h` and `hi·h` of the step just taken
   * keeps `h` (Hairer's RADAU5 rule), so a stepper can reuse factorizations made for `h`; absent
   * or undefined for a state: the controller's step is taken as proposed.
   */
  holdStep?(state: S): readonly [number, number] | undefined;
  /**
   * Gustafsson's predictive step-size control (Hairer's RADAU5, `PRED = 1`): the size of the last
   * accepted step of a row in `state` (0 before its first), which the controller compares with
   * the current one; absent or undefined for a state: the PI controller (see
   * `predictiveController`).
   */
  predictive?(state: S): number | undefined;
  /** The state of a row that starts with this stepper. */
  init(): S;
  /** Propose one step for every row (`states`: one per row; default `init()` for each). */
  step(field: VectorField, input: StepInput, states?: readonly S[]): StepOutput<S>;
  /** A state as checkpoint fields. */
  describe(state: S): StepperStateFields;
  /** A state from checkpoint fields. */
  restore(fields: StepperStateFields): S;
}

/** A stepper whose rows carry no state (every step is the same method). */
export function stateless(
  name: StepperName,
  props: Omit<Stepper<undefined>, 'init' | 'describe' | 'restore' | 'name'>,
): Stepper<undefined> {
  return {
    name,
    ...props,
    init: () => undefined,
    describe: () => ({ stepper: name, stiffHits: 0, nonStiffHits: 0 }),
    restore: () => undefined,
  };
}

import type { VectorField } from './vector-field.js';

/** Names of the built-in steppers. */
export type StepperName = 'gd' | 'rk4' | 'dopri5' | 'rodas4' | 'radau5';

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
  /** Jacobians `∂F/∂y` of each row, row-major `[rows, dim, dim]` (only for steppers that need it). */
  readonly jacobian?: Float64Array;
  /**
   * Continuation data of each row's last accepted step (`[rows, 3·dim]`) and its step size
   * (0: none), for steppers that extrapolate starting values (radau5).
   */
  readonly previous?: {
    /** Divided differences of each row's last collocation polynomial, `[rows, 3·dim]`. */
    readonly cont: Float64Array;
    /** Size of each row's last accepted step (0: none). */
    readonly h: Float64Array;
  };
  /** Tolerances of the step-size controller (implicit steppers converge their iterations to them). */
  readonly tolerance?: {
    /** Relative tolerance. */
    readonly rtol: number;
    /** Absolute tolerance. */
    readonly atol: number;
  };
}

/** Result of {@link Stepper.step}. */
export interface StepOutput {
  /** Proposed states at `t + h`. */
  readonly y: Float64Array;
  /** `F` at the proposed states when the method computes it anyway (first same as last). */
  readonly f?: Float64Array;
  /** Embedded local error estimate `[rows, dim]` (adaptive steppers). */
  readonly error?: Float64Array;
  /** Per-row stiffness indicator `h·|λ|` (Hairer's estimate; dopri5 only). */
  readonly stiffness?: Float64Array;
  /** Field evaluations spent (counting each batched call once per row). */
  readonly fieldEvals: number;
  /** Continuation data for the next step's starting values (radau5). */
  readonly cont?: Float64Array;
  /** Extra Jacobians evaluated inside the step (counted per row). */
  readonly jacobianEvals?: number;
}

/**
 * A one-step method (diffrax's "solver"): it proposes `y(t + h)` and, when it is embedded, an error
 * estimate; accepting or rejecting is the controller's job.
 */
export interface Stepper {
  /** Identifier. */
  readonly name: StepperName;
  /** Classical order of the propagated solution. */
  readonly order: number;
  /** Order of the embedded error estimate's lower method plus one (the controller exponent's 1/q), if embedded. */
  readonly errorOrder?: number;
  /** True when the stepper needs `StepInput.jacobian`. */
  readonly needsJacobian: boolean;
  /** Propose one step for every row. */
  step(field: VectorField, input: StepInput): StepOutput;
}

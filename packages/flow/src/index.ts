/**
 * The gradient-flow engine of implicit-bias: adaptive and stiff integrators, exact time changes, fixed-step gradient descent, batched runs and resumable state.
 *
 * @packageDocumentation
 */
export type { VectorField } from './vector-field.js';
export type {
  MethodName,
  Stepper,
  StepperName,
  StepperStateFields,
  StepInput,
  StepOutput,
} from './stepper.js';
export { countingDopri5, autoStepper } from './auto.js';
export type { AutoSettings, AutoState, StiffnessCount } from './auto.js';
export { gd, rk4, dopri5 } from './explicit-steppers.js';
export { rodas4 } from './rodas4.js';
export { radau5 } from './radau5.js';
export type { Radau5State } from './radau5.js';
export { complexShiftFactor } from './radau5-linear.js';
export type { ComplexLuFactors, DenseLu, RadauSplitFactors } from './radau5-linear.js';
export { symmetricTridiagonal } from './radau5-symmetric.js';
export type {
  RadauSymmetricFactors,
  ShiftedTridiagonalLu,
  SymmetricTridiagonal,
} from './radau5-symmetric.js';
export { luFactor, luSolve } from './lu.js';
export type { LuFactors } from './lu.js';
export { centralDifferenceJacobian } from './jacobian.js';
export {
  DEFAULT_CONTROLLER,
  errorNorm,
  piController,
  predictiveController,
  type PredictiveMemory,
} from './controller.js';
export type { ControllerSettings, ControllerDecision } from './controller.js';
export { integrate } from './integrate.js';
export type { IntegrateOptions, IntegratePoint, IntegrateResult } from './integrate.js';
export { lossTerms, isClassificationLoss } from './losses.js';
export type { LossName, LossTerms } from './losses.js';
export { networkField } from './network-field.js';
export type {
  DataSet,
  NetworkField,
  NetworkFieldInput,
  Observation,
  TimeScale,
} from './network-field.js';
export { solveFlow, resumeFlow } from './solve-flow.js';
export { startFlow } from './flow-run.js';
export type { AdvanceLimit, AdvanceResult, FlowRun, RunProgress, StartFrom } from './flow-run.js';
export {
  FLOW_DEFAULTS,
  TOLERANCE_PRESETS,
  defaultTolerances,
  limitTolerances,
} from './defaults.js';
export type { PrecisionTolerances, TolerancePreset } from './defaults.js';
export type {
  DataMatrix,
  DataVector,
  FlowProblem,
  FlowOptions,
  StopConditions,
  SaveOptions,
  ProgressInfo,
  FlowStatus,
  StopReason,
  Snapshot,
  InvariantDrift,
  RunResult,
  RunHistory,
  FlowStats,
  FlowSolution,
  FlowEvent,
  EventRecord,
  EventQuantity,
} from './flow-types.js';
export type { EventCheckpoint, FlowCheckpoint, RunCheckpoint } from './checkpoint.js';

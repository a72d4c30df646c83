/**
 * Predictions and certificates of implicit-bias in float64: the Q potential, max-margin problems
 * in the transformed space, KKT and singular-tuple checks.
 *
 * @packageDocumentation
 */
export { hL, hLPrime, hLInverse, HL, HLPrime, HLSecond } from './scalar/h-l.js';
export { phiL, phiLPrime, phiLInverse, CL } from './scalar/phi-l.js';
export { predictRegressionQ, qObjective } from './regression/q-potential.js';
export { reducedFlowField } from './regression/reduced-flow.js';
export type {
  ReducedFlowProblem,
  ReducedFlowField,
  ReducedFieldSettings,
  ReducedFlowKernels,
} from './regression/reduced-flow.js';
export type { QProblem, QPrediction } from './regression/q-potential.js';
export {
  weightedL1Interpolant,
  weightedL2Interpolant,
  minNormInterpolant,
} from './regression/interpolants.js';
export type { WeightedInterpolationProblem, WeightedL1Result } from './regression/interpolants.js';
export { interpolationResidual, qOptimalityResidual } from './certificates/residuals.js';
export type { Prediction, SolveStatus } from './prediction.js';
export { checkSeparable } from './classification/separable.js';
export type { SeparabilityResult } from './classification/separable.js';
export { maxMarginL2 } from './classification/max-margin-l2.js';
export type { MaxMarginL2Result } from './classification/max-margin-l2.js';
export { maxMarginL1 } from './classification/max-margin-l1.js';
export type { MaxMarginL1Result } from './classification/max-margin-l1.js';
export type {
  ClassificationProblem,
  TransformedClassificationProblem,
  AnyClassificationProblem,
  MaxMarginPrediction,
} from './classification/types.js';
export { kktResidual } from './certificates/kkt-residual.js';
export type { KktInput, KktResult } from './certificates/kkt-residual.js';
export { nnls } from './certificates/nnls.js';
export type { NnlsResult } from './certificates/nnls.js';
export { stationaryMaxMarginLp } from './classification/stationary-max-margin-lp.js';
export type {
  StationaryLpProblem,
  StationaryLpResult,
} from './classification/stationary-max-margin-lp.js';
export {
  localStationaryPoint,
  localStationaryPointFourier,
} from './classification/local-stationary-point.js';
export type {
  LocalStationaryOptions,
  LocalStationaryProblem,
  LocalStationaryFourierProblem,
  LocalStationaryResult,
} from './classification/local-stationary-point.js';
export { certifyKkt, certifyKktFourier, KKT_TOLERANCES } from './certificates/kkt-certificate.js';
export type { KktCertificate, KktTolerances } from './certificates/kkt-certificate.js';
export { singularTupleResidual } from './certificates/singular-tuple.js';
export type { SingularTupleInput, SingularTupleResult } from './certificates/singular-tuple.js';
export { maxMarginFourierL1 } from './classification/max-margin-fourier-l1.js';
export type { MaxMarginFourierL1Result } from './classification/max-margin-fourier-l1.js';
export { predictRegression, predictClassification } from './network/predict.js';
export type { NetworkPrediction, NetworkData, NotSupported } from './network/predict.js';
export { kktResidualFourier } from './certificates/kkt-residual-fourier.js';
export type { KktFourierInput } from './certificates/kkt-residual-fourier.js';
export { stationaryMaxMarginFourierLp } from './classification/stationary-max-margin-fourier-lp.js';
export type {
  StationaryFourierLpProblem,
  StationaryFourierLpResult,
} from './classification/stationary-max-margin-fourier-lp.js';
export { predictRegressionFourierQ } from './regression/q-potential-fourier.js';
export type { FourierQProblem, FourierQPrediction } from './regression/q-potential-fourier.js';
export {
  groupCharacterL1Margin,
  predictGroupClassification,
  predictGroupRegression,
} from './group/predict-group.js';
export type { GroupCharacterL1Result } from './group/predict-group.js';
export { groupSchattenMaxMargin } from './group/schatten-margin.js';
export type { GroupMarginProblem, GroupSchattenMarginResult } from './group/schatten-margin.js';
export { groupKkt } from './group/group-kkt.js';
export { groupNuclearMargin } from './group/nuclear-margin.js';
export type { GroupNuclearMarginResult } from './group/nuclear-margin.js';
export { groupStationaryPoint } from './group/stationary-point.js';
export type { GroupKktResult } from './group/group-kkt.js';

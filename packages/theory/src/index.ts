/**
 * Predictions and certificates of implicit-bias in float64: the Q potential, max-margin problems
 * in the transformed space, KKT and singular-tuple checks.
 *
 * @packageDocumentation
 */
export { hL, hLPrime, hLInverse, HL, HLPrime, HLSecond } from './scalar/h-l.js';
export { phiL, phiLPrime, phiLInverse, CL } from './scalar/phi-l.js';
export { predictRegressionQ, qObjective } from './regression/q-potential.js';
export type { QProblem, QPrediction } from './regression/q-potential.js';
export {
  weightedL1Interpolant,
  weightedL2Interpolant,
  minNormInterpolant,
} from './regression/interpolants.js';
export type { WeightedInterpolationProblem, WeightedL1Result } from './regression/interpolants.js';
export { interpolationResidual, qOptimalityResidual } from './certificates/residuals.js';
export type { Prediction, SolveStatus } from './prediction.js';

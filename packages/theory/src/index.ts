/**
 * Predictions and certificates of implicit-bias in float64: the Q potential, max-margin problems
 * in the transformed space, KKT and singular-tuple checks.
 *
 * @packageDocumentation
 */
export { hL, hLPrime, hLInverse, HL, HLPrime, HLSecond } from './scalar/h-l.js';
export { phiL, phiLPrime, phiLInverse, CL } from './scalar/phi-l.js';

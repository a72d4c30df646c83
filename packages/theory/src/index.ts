/**
 * Predictions and certificates of implicit-bias in float64: the Q potential, max-margin problems in the transformed space, KKT and singular-tuple checks.
 *
 * @packageDocumentation
 */
export {};

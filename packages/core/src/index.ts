/**
 * Shared foundations of implicit-bias: one error class with codes, seeded random keys,
 * shapes, host float64 arrays and precision-aware tolerances.
 *
 * @packageDocumentation
 */
export { ImplicitBiasError, isImplicitBiasError, ERROR_CODES } from './errors.js';
export type { ErrorCode, ErrorDetails } from './errors.js';
export { key, split, Rng, uniform, normal, permutation } from './random.js';
export type { Key } from './random.js';
export {
  sizeOf,
  sameShape,
  formatShape,
  assertShape,
  assertFinite,
  hostMatrix,
  matrixFromRows,
  matrixToRows,
  transpose,
  norm2,
  dot,
  oneMinusCos,
  relativeDistance,
} from './host.js';
export type { HostMatrix, HostTensor } from './host.js';
export { toHostMatrix } from './to-host-matrix.js';
export type { VectorField } from './vector-field.js';
export { EPSILON, tolerance, isClose, maxViolation } from './tolerance.js';
export type { Precision, Tolerance } from './tolerance.js';

/**
 * Linear tensor networks for implicit-bias: fully-connected, diagonal, convolutional and
 * user-defined, with data tensors, analytic gradients and odeco decompositions.
 *
 * @packageDocumentation
 */
export type {
  NetworkSpec,
  ComplexMatrix,
  OdecoDecomposition,
  NotOdeco,
  LinearTensorNetwork,
} from './types.js';
export { fullyConnected } from './fully-connected.js';
export { diagonal } from './diagonal.js';
export { convolutional } from './convolutional.js';
export { tensorNetwork } from './tensor-network.js';
export { network } from './network.js';
export { initialize } from './initialize.js';
export type { InitSpec } from './initialize.js';
export { layerNormInvariants, odecoInvariants } from './invariants.js';

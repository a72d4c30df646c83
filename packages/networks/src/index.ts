/**
 * Linear tensor networks for implicit-bias: fully-connected, diagonal, convolutional and
 * user-defined, with data tensors, analytic gradients and odeco decompositions.
 *
 * @packageDocumentation
 */
export type {
  NetworkSpec,
  ComplexMatrix,
  OdecoMatrix,
  OdecoDecomposition,
  NotOdeco,
  LinearTensorNetwork,
} from './types.js';
export { fullyConnected } from './fully-connected.js';
export { diagonal } from './diagonal.js';
export { convolutional } from './convolutional.js';
export { tensorNetwork } from './tensor-network.js';
export { groupNetwork } from './group-network.js';
export type { GroupNetwork, GroupBlocks } from './group-network.js';
export { finiteGroup, MAX_GROUP_ORDER } from './group.js';
export type { GroupSpec, FiniteGroup } from './group.js';
export { irreps, character } from './group-irreps.js';
export type { Irrep } from './group-irreps.js';
export { hermitianEigen } from './group-hermitian.js';
export type { HermitianEigen } from './group-hermitian.js';
export { groupFourier, inverseGroupFourier, groupFourierMatrix } from './group-fourier.js';
export { network } from './network.js';
export { initialize } from './initialize.js';
export type { InitSpec } from './initialize.js';
export { layerNormInvariants, odecoInvariants, packedInvariants } from './invariants.js';
export type { PackedInvariants } from './invariants.js';
export {
  BYTES_PER_LAYER,
  BYTES_PER_PARAMETER,
  DEFAULT_MEMORY_BUDGET,
  MEMORY_BUDGET_ENV,
  checkMemory,
  formatBytes,
  memoryBudget,
  runBytes,
} from './limits.js';
export type { MemoryCheck } from './limits.js';

/**
 * Private test harness of implicit-bias: one suite run across every installed backend, and
 * the backend conformance suite with its float64 host reference.
 *
 * @packageDocumentation
 */
export { nodePlugins } from './node-plugins.js';
export {
  TEST_BACKENDS_ENV_VAR,
  DEFAULT_TEST_BACKENDS,
  parseTestBackends,
  selectTestBackendIds,
} from './env.js';
export {
  describeEachBackend,
  describeBackend,
  unavailableReason,
} from './describe-each-backend.js';
export type { BackendSuiteContext } from './describe-each-backend.js';
export { describeConformance } from './describe-conformance.js';
export { conformanceCases, caseContext, checkConformance } from './conformance/cases.js';
export type { ConformanceFailure } from './conformance/cases.js';
export type { CaseContext, ConformanceCase } from './conformance/context.js';
export { worstMismatch, assertClose } from './compare.js';
export type { Mismatch } from './compare.js';
export {
  tabulate,
  at,
  refBroadcastShape,
  refBinary,
  refUnary,
  refReduce,
  refLogSumExpOf,
  refSoftmax,
  refSigmoid,
  refSoftplus,
  refMatmul,
  refCircular,
  refSlice,
  refConcat,
  refGather,
  refTranspose,
  refPad,
} from './reference.js';
export type { HostArray } from './reference.js';

/**
 * Private test harness of implicit-bias: one suite run across every installed backend, and the backend conformance suite.
 *
 * @packageDocumentation
 */
export {};

/**
 * The gradient-flow engine of implicit-bias: adaptive and stiff integrators, exact time changes, fixed-step gradient descent, batched runs and resumable state.
 *
 * @packageDocumentation
 */
export {};

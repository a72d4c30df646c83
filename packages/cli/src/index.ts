/**
 * The implicit-bias command line: train, predict, compare and reproduce the paper's experiments.
 *
 * @packageDocumentation
 */
export {};

/**
 * The experiments of implicit-bias reproducing the paper's research questions, with a result store and reports.
 *
 * @packageDocumentation
 */
export {};

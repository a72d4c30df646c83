// Minimal declarations for quadprog@1.6 (a port of R's quadprog, Goldfarb–Idnani dual method).
// All arrays are 1-indexed: element 0 is unused.
declare module 'quadprog' {
  export interface QpResult {
    solution: number[];
    value: number[];
    Lagrangian: number[];
    iact: number[];
    message: string;
  }
  /** min −dᵀb + ½ bᵀDb s.t. Aᵀb ≥ b0, the first `meq` constraints as equalities. */
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
    factorized?: number[],
  ): QpResult;
}

/** How an iterative solve ended: a status, never an exception (see the architecture notes). */
export type SolveStatus = 'converged' | 'max-steps' | 'non-finite' | 'stalled';

/**
 * The common shape of every prediction of this package: the predicted end-to-end vector `beta`
 * and/or transformed-space vector `rho`, the value of the objective it minimizes, whether it is
 * the theory's exact limit (`exact`), a short `reference` naming the theorem or paper, and
 * numerical certificates (residuals, duality gaps) that say how well it was computed.
 */
export interface Prediction {
  /** What was predicted, for example `'q-potential'` or `'max-margin-l1'`. */
  readonly kind: string;
  /** Predicted end-to-end vector β (input space), when the problem is posed there. */
  readonly beta?: Float64Array;
  /** Predicted transformed-space vector ρ (`β = Sᵀρ`), when the problem is posed there. */
  readonly rho?: Float64Array;
  /** Value of the minimized objective at the returned point. */
  readonly objective: number;
  /** True when the theory claims this is the exact limit of gradient flow. */
  readonly exact: boolean;
  /** The theorem or paper this prediction comes from. */
  readonly reference: string;
  /** Numerical certificates, each small when the solve succeeded. */
  readonly certificate: Readonly<Record<string, number>>;
  /** How the solve that computed it ended: trust the prediction only when `'converged'`. */
  readonly status: SolveStatus;
}

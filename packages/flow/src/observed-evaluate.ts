import type { AcceptedEvaluation } from './integrator.js';
import type { NetworkField } from './network-field.js';
import type { RunObservation } from './run-record.js';

/** Per-row loss, log-loss and margin, written in place (`NetworkField.observe`'s shape). */
export interface ObservationRows {
  /** `𝓛` of each row. */
  readonly loss: Float64Array;
  /** `log 𝓛` of each row. */
  readonly logLoss: Float64Array;
  /** The margin of each row. */
  readonly margin: Float64Array;
}

/**
 * The evaluation a field may offer besides `evaluate` (as an `evaluateObserved` method): `F` of
 * the `rows` rows of `state`, exactly as `evaluate(state, rows, runs)` returns it, and, written
 * into `obs` at each row's index, that row's loss, log-loss and margin exactly as
 * `observe(state, rows, runs)` returns them (NaN for a non-finite row); `out`, when given, is a
 * workspace it may write `F` into and return (as `VectorField.evaluate`). The residual pass of the
 * field has the outputs `f = Xβ` at hand, so the observation costs a pass over `n` numbers
 * instead of `observe`'s second pass over X. With it the engine observes no point at which a
 * step already evaluated `F` (every point of `gd` and `rk4`, and the initial points).
 */
export type EvaluateObserved = (
  state: Float64Array,
  rows: number,
  runs: readonly number[] | undefined,
  obs: ObservationRows,
  out?: Float64Array,
) => Float64Array;

/** The field's {@link EvaluateObserved} when it offers one (an `evaluateObserved` method). */
export function evaluateObservedOf(field: NetworkField): EvaluateObserved | undefined {
  const m = (field as NetworkField & { readonly evaluateObserved?: unknown }).evaluateObserved;
  if (typeof m !== 'function') return undefined;
  const f = m as EvaluateObserved;
  return (state, rows, runs, obs, out) => f.call(field, state, rows, runs, obs, out);
}

/** Fresh observation rows for `rows` rows. */
export function observationRows(rows: number): ObservationRows {
  return {
    loss: new Float64Array(rows),
    logLoss: new Float64Array(rows),
    margin: new Float64Array(rows),
  };
}

/** Row `i` of `o` as a run's observation. */
export function observationAt(o: ObservationRows, i: number): RunObservation {
  return { loss: o.loss[i]!, logLoss: o.logLoss[i]!, margin: o.margin[i]! };
}

/**
 * The evaluation of `F` at a step's accepted points by `byProduct`, which puts the observation of
 * each point into `observed` at its row of the step's batch.
 */
export function observingEvaluation(
  byProduct: EvaluateObserved,
  observed: (RunObservation | undefined)[],
): AcceptedEvaluation {
  return (points, rows, runs, picks, out) => {
    const o = observationRows(rows);
    const f = byProduct(points, rows, runs, o, out);
    picks.forEach((i, j) => (observed[i] = observationAt(o, j)));
    return f;
  };
}

import type { Arr, Backend } from '@implicit-bias/backend';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { fusedField, hostAccessOf } from './fused-field.js';
import { allFinite } from './host-loss.js';
import { lossTerms, type LossName } from './losses.js';
import { networkJacobian } from './network-jacobian.js';
import type { VectorField } from './vector-field.js';

/** How time is measured along the gradient-flow path (docs/theory/tensor-formulation.md). */
export type TimeScale = 'physical' | 'loss-normalized';

/** Per-row observations at a point of the flow. */
export interface Observation {
  /** `𝓛` of each row. */
  readonly loss: Float64Array;
  /** `log 𝓛` of each row (exact at any margin for the classification losses). */
  readonly logLoss: Float64Array;
  /** `min_i y_i f_i` (classification) or `−max_i |f_i − y_i|` (regression). */
  readonly margin: Float64Array;
}

/** The gradient-flow field of a network, data and loss, plus a forward-only observer. */
export interface NetworkField extends VectorField {
  /** Loss, log-loss and margin of every row of `[rows, dim]` (forward pass only; `runs` as in `evaluate`). */
  observe(y: Float64Array, rows: number, runs?: readonly number[]): Observation;
  /** Offsets of the layers inside a packed state (length L + 1). */
  readonly offsets: readonly number[];
  /** Whether `evaluate` and `observe` take the fused host path (see {@link NetworkFieldInput.fused}). */
  readonly fused: boolean;
  /** Free the backend arrays the field caches (per-run data stacked for the generic path). */
  dispose(): void;
  /**
   * On the fused path only: `evaluate(state, rows, runs, out)` and, written into `obs` at each
   * row's index, what `observe(state, rows, runs)` returns for it, bit for bit (NaN for a
   * non-finite row), from the same pass over the data (the engine then observes no point where
   * it already evaluated F).
   */
  evaluateObserved?(
    state: Float64Array,
    rows: number,
    runs: readonly number[] | undefined,
    obs: Observation,
    out?: Float64Array,
  ): Float64Array;
}

/** Inputs of {@link networkField}. */
export interface NetworkFieldInput {
  /** The network whose parameters the state packs. */
  readonly network: LinearTensorNetwork;
  /** Backend that evaluates the network. */
  readonly backend: Backend;
  /** Data `[n, d]` on the backend. */
  readonly X: Arr;
  /** Labels or targets `[n]` on the backend. */
  readonly y: Arr;
  /** The same labels on the host (for the exact Jacobian). */
  readonly labels: Float64Array;
  /** Training loss. */
  readonly loss: LossName;
  /** Physical time or the loss-normalized time change. */
  readonly time: TimeScale;
  /**
   * One data set per run (`X` `[n, d]`, `y` `[n]` on the backend, `labels` the same `y` on the
   * host): a row of run `b` is evaluated on `perRun[b]`, all rows still in one batched call (`X`
   * stacked to `[rows, n, d]`). Calls must then pass `runs`; `X`, `y`, `labels` above are unused.
   */
  readonly perRun?: readonly DataSet[];
  /**
   * Evaluate on the host in one fused pass per row when the backend offers host access (the
   * float64 cpu backend's `host`) and the network a fused evaluator (`network.fused`: diagonal,
   * fully-connected, convolutional, user tensor networks); default true. `false` keeps the generic path of backend ops (oracle
   * tests, benchmarks). Both give the same field to a few ulps (docs/adr/0010-fused-field-evaluation.md).
   */
  readonly fused?: boolean;
}

/** One run's data on the backend (see {@link NetworkFieldInput.perRun}). */
export interface DataSet {
  /** The run's data `[n, d]` on the backend. */
  readonly X: Arr;
  /** Its targets or labels `[n]` on the backend. */
  readonly y: Arr;
  /** The same targets or labels on the host. */
  readonly labels: Float64Array;
}

/**
 * The packed field of gradient flow: `dΘ/dt = −∇𝓛` (physical time) or the time change
 * `dΘ/dσ = −‖Θ‖^{2−L} ∇ log 𝓛` (loss-normalized; `‖Θ‖` per run over all layers), which traces the
 * same path while keeping `log ‖Θ‖` growing about linearly for every depth. Rows holding a
 * non-finite value evaluate to NaN without reaching the backend. `jacobian` is exact
 * (see `networkJacobian`), so stiff steppers need no differencing.
 *
 * On a backend with host access and a network with a fused evaluator (see
 * {@link NetworkFieldInput.fused}), a row costs one pass on the host with preallocated
 * workspaces: `β`, `f = Xβ`, the residual, `u = Xᵀr` and every layer's contraction written
 * straight into the packed output, instead of one backend op per step.
 */
export function networkField(input: NetworkFieldInput): NetworkField {
  const { network, backend: be, loss, time, perRun } = input;
  const sizes = network.paramSizes;
  const offsets = [0];
  for (const k of sizes) offsets.push(offsets[offsets.length - 1]! + k);
  const dim = offsets[sizes.length]!;
  const L = network.depth;
  const normalized = time === 'loss-normalized';
  const host = input.fused === false ? undefined : hostAccessOf(be);
  const evaluator = host === undefined ? undefined : network.fused?.(host);
  // split finite rows into per-layer backend arrays
  const upload = (state: Float64Array, rows: readonly number[]): Arr[] =>
    sizes.map((k, l) => {
      const data = new Float64Array(rows.length * k);
      rows.forEach((r, i) =>
        data.set(state.subarray(r * dim + offsets[l]!, r * dim + offsets[l]! + k), i * k),
      );
      return be.fromHost(data, [rows.length, k]);
    });
  const finiteRows = (state: Float64Array, rows: number): number[] => {
    const ok: number[] = [];
    for (let r = 0; r < rows; r++) if (allFinite(state, r * dim, (r + 1) * dim)) ok.push(r);
    return ok;
  };
  const needRuns = (runs: readonly number[] | undefined): readonly number[] => {
    if (runs === undefined)
      throw new Error('networkField: per-run data needs the runs of the rows');
    return runs;
  };
  // `‖Θ‖^{2−L}` of a row (loss-normalized time), else 1
  const timeScale = (state: Float64Array, row: number): number => {
    if (!normalized || L === 2) return 1;
    let s = 0;
    for (let k = row * dim; k < (row + 1) * dim; k++) s += state[k]! * state[k]!;
    return Math.pow(Math.sqrt(s), 2 - L);
  };

  const jacobianInput = {
    network,
    backend: be,
    X: input.X,
    labels: input.labels,
    loss,
    normalized,
    offsets,
  };
  // the data of the rows `ok` (of runs `runs`): shared, or per-run data stacked along the batch,
  // kept while the same runs come back (a step evaluates the same rows several times)
  let stacked: { key: string; X: Arr; y: Arr } | undefined;
  const dropStacked = (): void => {
    if (stacked !== undefined) be.dispose([stacked.X, stacked.y]);
    stacked = undefined;
  };
  const dataOf = (ok: readonly number[], runs: readonly number[] | undefined) => {
    if (perRun === undefined) return { X: input.X, y: input.y };
    const runOf = needRuns(runs);
    const key = ok.map((row) => runOf[row]!).join(',');
    if (stacked?.key === key) return stacked;
    dropStacked();
    const sets = ok.map((row) => perRun[runOf[row]!]!);
    const stack = (pick: (s: DataSet) => Arr): Arr =>
      be.concat(
        sets.map((s) => be.reshape(pick(s), [1, ...pick(s).shape])),
        0,
      );
    const [X, y] = be.scope(() => [stack((s) => s.X), stack((s) => s.y)]);
    stacked = { key, X: X!, y: y! };
    return stacked;
  };

  // the fused path (fused-field.ts): rows grouped by data set, one pass over X per group
  const fused =
    host === undefined || evaluator === undefined
      ? undefined
      : fusedField(
          {
            network,
            host,
            loss,
            normalized,
            dim,
            sets: perRun ?? [input],
            setOf: perRun === undefined ? () => 0 : (row, runs) => needRuns(runs)[row]!,
          },
          evaluator,
        );
  const evaluateObserved = (
    state: Float64Array,
    rows: number,
    runs: readonly number[] | undefined,
    obs: Observation,
    into?: Float64Array,
  ): Float64Array => {
    const out =
      into !== undefined && into.length >= rows * dim ? into : new Float64Array(rows * dim);
    fused!.evaluate(state, rows, runs, out, timeScale, obs);
    return out;
  };
  return {
    dim,
    offsets,
    fused: fused !== undefined,
    dispose: dropStacked,
    ...(fused === undefined ? {} : { evaluateObserved }),
    jacobian(state, rows, runs) {
      if (perRun === undefined) return networkJacobian(jacobianInput, state, rows);
      const runOf = needRuns(runs);
      // one row at a time anyway: each on its run's own [n, d] data
      const out = new Float64Array(rows * dim * dim);
      for (let row = 0; row < rows; row++) {
        const set = perRun[runOf[row]!]!;
        const j = networkJacobian(
          { ...jacobianInput, X: set.X, labels: set.labels },
          state.subarray(row * dim, (row + 1) * dim),
          1,
        );
        out.set(j, row * dim * dim);
      }
      return out;
    },
    evaluate(state, rows, runs, into) {
      const out =
        into !== undefined && into.length >= rows * dim ? into : new Float64Array(rows * dim);
      if (fused !== undefined) {
        fused.evaluate(state, rows, runs, out, timeScale); // every entry written (NaN rows too)
        return out;
      }
      out.fill(Number.NaN, 0, rows * dim);
      const ok = finiteRows(state, rows);
      if (ok.length === 0) return out;
      const { X, y } = dataOf(ok, runs);
      const grads = be.scope(() => {
        const params = upload(state, ok);
        const f = network.forward(be, params, X);
        // physical-time squared loss: r = y − f is all the gradient needs (lossTerms would also
        // compute the loss, its log and the margin: 8 backend ops instead of 1)
        const r =
          loss === 'squared' && !normalized
            ? be.sub(y, f)
            : lossTerms(be, loss, f, y, normalized).r;
        return network.gradient(be, params, X, r);
      });
      const host_ = grads.map((g) => be.toHostSync(g));
      be.dispose(grads);
      ok.forEach((row, i) => {
        const scale = timeScale(state, row);
        sizes.forEach((k, l) => {
          const g = host_[l]!;
          const base = row * dim + offsets[l]!;
          for (let j = 0; j < k; j++) out[base + j] = scale * g[i * k + j]!;
        });
      });
      return out;
    },
    observe(state, rows, runs) {
      const obs = {
        loss: new Float64Array(rows).fill(Number.NaN),
        logLoss: new Float64Array(rows).fill(Number.NaN),
        margin: new Float64Array(rows).fill(Number.NaN),
      };
      if (fused !== undefined) {
        fused.observe(state, rows, runs, obs);
        return obs;
      }
      const ok = finiteRows(state, rows);
      if (ok.length === 0) return obs;
      const { X, y } = dataOf(ok, runs);
      const terms = be.scope(() => {
        const params = upload(state, ok);
        const t = lossTerms(be, loss, network.forward(be, params, X), y, false);
        return [t.loss, t.logLoss, t.margin];
      });
      const [l, ll, m] = terms.map((a) => be.toHostSync(a));
      be.dispose(terms);
      ok.forEach((row, i) => {
        obs.loss[row] = l![i]!;
        obs.logLoss[row] = ll![i]!;
        obs.margin[row] = m![i]!;
      });
      return obs;
    },
  };
}

import type { Arr, Backend } from '@implicit-bias/backend';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
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

function allFinite(y: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!Number.isFinite(y[i]!)) return false;
  return true;
}

/**
 * The packed field of gradient flow: `dΘ/dt = −∇𝓛` (physical time) or the time change
 * `dΘ/dσ = −‖Θ‖^{2−L} ∇ log 𝓛` (loss-normalized; `‖Θ‖` per run over all layers), which traces the
 * same path while keeping `log ‖Θ‖` growing about linearly for every depth. Rows holding a
 * non-finite value evaluate to NaN without reaching the backend. `jacobian` is exact
 * (see `networkJacobian`), so stiff steppers need no differencing.
 */
export function networkField(input: NetworkFieldInput): NetworkField {
  const { network, backend: be, loss, time, perRun } = input;
  const sizes = network.paramSizes;
  const offsets = [0];
  for (const k of sizes) offsets.push(offsets[offsets.length - 1]! + k);
  const dim = offsets[sizes.length]!;
  const L = network.depth;
  const normalized = time === 'loss-normalized';

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

  const jacobianInput = {
    network,
    backend: be,
    X: input.X,
    labels: input.labels,
    loss,
    normalized,
    offsets,
  };
  // the data of the rows `ok` (of runs `runs`): shared, or per-run data stacked along the batch
  const dataOf = (ok: readonly number[], runs: readonly number[] | undefined) => {
    if (perRun === undefined) return { X: input.X, y: input.y };
    if (runs === undefined)
      throw new Error('networkField: per-run data needs the runs of the rows');
    const sets = ok.map((row) => perRun[runs[row]!]!);
    const stack = (pick: (s: DataSet) => Arr): Arr =>
      be.concat(
        sets.map((s) => be.reshape(pick(s), [1, ...pick(s).shape])),
        0,
      );
    return { X: stack((s) => s.X), y: stack((s) => s.y) };
  };
  return {
    dim,
    offsets,
    jacobian(state, rows, runs) {
      if (perRun === undefined) return networkJacobian(jacobianInput, state, rows);
      if (runs === undefined)
        throw new Error('networkField: per-run data needs the runs of the rows');
      // one row at a time anyway: each on its run's own [n, d] data
      const out = new Float64Array(rows * dim * dim);
      for (let row = 0; row < rows; row++) {
        const set = perRun[runs[row]!]!;
        const j = networkJacobian(
          { ...jacobianInput, X: set.X, labels: set.labels },
          state.subarray(row * dim, (row + 1) * dim),
          1,
        );
        out.set(j, row * dim * dim);
      }
      return out;
    },
    evaluate(state, rows, runs) {
      const out = new Float64Array(rows * dim).fill(Number.NaN);
      const ok = finiteRows(state, rows);
      if (ok.length === 0) return out;
      const grads = be.scope(() => {
        const { X, y } = dataOf(ok, runs);
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
      const host = grads.map((g) => be.toHostSync(g));
      be.dispose(grads);
      ok.forEach((row, i) => {
        let scale = 1;
        if (normalized && L !== 2) {
          let s = 0;
          for (let k = row * dim; k < (row + 1) * dim; k++) s += state[k]! * state[k]!;
          scale = Math.pow(Math.sqrt(s), 2 - L);
        }
        sizes.forEach((k, l) => {
          const g = host[l]!;
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
      const ok = finiteRows(state, rows);
      if (ok.length === 0) return obs;
      const terms = be.scope(() => {
        const { X, y } = dataOf(ok, runs);
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

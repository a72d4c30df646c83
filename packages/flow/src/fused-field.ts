import type { Arr } from '@implicit-bias/backend';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import { allFinite, observeResidualRow, observeRow, residualRow } from './host-loss.js';
import type { LossName } from './losses.js';

/** Host products as `network.fused` takes them. */
type HostProducts = Parameters<NonNullable<LinearTensorNetwork['fused']>>[0];

/** A network's fused evaluator of one row. */
type Evaluator = ReturnType<NonNullable<LinearTensorNetwork['fused']>>;

/**
 * A float64 backend's host access (the cpu backend's `host`): array entries without a copy,
 * and matrix–vector products of several rows sharing one pass over the matrix.
 */
export interface HostAccess extends HostProducts {
  data(a: Arr): Float64Array;
  gemm(a: Float64Array, x: Float64Array, rows: number, m: number, n: number, y: Float64Array): void;
  gemmT(
    a: Float64Array,
    y: Float64Array,
    rows: number,
    m: number,
    n: number,
    g: Float64Array,
  ): void;
  /**
   * Optional: `r = y − X·b_q` and `u_q = Xᵀ·r_q` for `rows` vectors in one call, bit for
   * bit `gemm`, the subtraction and `gemmT` (the cpu backend's `host.residualGradient`).
   */
  residualGradient?(
    x: Float64Array,
    b: Float64Array,
    y: Float64Array,
    rows: number,
    n: number,
    d: number,
    r: Float64Array,
    u: Float64Array,
  ): void;
}

/** The backend's host access when it offers every product used here (else undefined). */
export function hostAccessOf(be: {
  readonly precision: string;
  readonly host?: unknown;
}): HostAccess | undefined {
  if (be.precision !== 'float64') return undefined;
  const h = be.host as Partial<HostAccess> | undefined;
  return typeof h?.data === 'function' &&
    typeof h.gemv === 'function' &&
    typeof h.gemvT === 'function' &&
    typeof h.gemm === 'function' &&
    typeof h.gemmT === 'function'
    ? (h as HostAccess)
    : undefined;
}

/** One data set on the host side: the backend array of X and the targets. */
export interface HostDataSet {
  readonly X: Arr;
  readonly labels: Float64Array;
}

/** What {@link fusedField} needs of the field. */
export interface FusedFieldInput {
  readonly network: LinearTensorNetwork;
  readonly host: HostAccess;
  readonly loss: LossName;
  readonly normalized: boolean;
  readonly dim: number;
  /** The data set of a row (its run's, or the shared one) and a key naming it. */
  readonly setOf: (row: number, runs: readonly number[] | undefined) => number;
  readonly sets: readonly HostDataSet[];
}

/** The observations of rows, as `NetworkField.observe` returns them. */
export interface RowObservations {
  loss: Float64Array;
  logLoss: Float64Array;
  margin: Float64Array;
}

/**
 * The fused host pass of a network field (docs/adr/0010-fused-field-evaluation.md). The finite
 * rows of a call are grouped by data set; a group of G rows costs G `beta`s into a G×d block,
 * `F = β·Xᵀ` as one `host.gemm` (one pass over X for all G runs), G residuals, `U = R·X` as one
 * `host.gemmT`, and G `contract`s straight into the packed output. For the physical-time
 * squared loss, whose gradient needs only the residual, `host.residualGradient` (when the
 * backend has it) computes `R = y − β·Xᵀ` and `U = R·X` in one call, X resident in the kernels' memory, rounding as the
 * three steps would; `observe` still computes F. Every row has its own
 * evaluator (the network's workspace of one row), and the host products round each row as
 * alone, so a row's result never depends on which rows come with it (batched runs equal
 * sequential runs bit for bit). Workspaces grow to the largest group and n seen, then are reused.
 */
export function fusedField(
  input: FusedFieldInput,
  evaluator: Evaluator,
): {
  evaluate(
    state: Float64Array,
    rows: number,
    runs: readonly number[] | undefined,
    out: Float64Array,
    scale: (state: Float64Array, row: number) => number,
    obs?: RowObservations,
  ): void;
  observe(
    state: Float64Array,
    rows: number,
    runs: readonly number[] | undefined,
    out: RowObservations,
  ): void;
} {
  const { network, host, loss, normalized, dim, setOf, sets } = input;
  const d = network.inputDim;
  // physical-time squared loss: the residual is all the gradient needs, and the host may
  // compute it and Xᵀ·r in one call
  const onePass = loss === 'squared' && !normalized && typeof host.residualGradient === 'function';
  const evaluators: Evaluator[] = [evaluator];
  let cap = 0; // rows the blocks hold
  let nCap = 0; // outputs per row they hold
  let beta = new Float64Array(0); // [cap, d]
  let u = new Float64Array(0); // [cap, d]
  let f = new Float64Array(0); // [cap, nCap]
  let r = new Float64Array(0); // [cap, nCap]
  let t = new Float64Array(0); // [nCap]
  let betaRows: Float64Array[] = [];
  let uRows: Float64Array[] = [];
  let order = new Int32Array(0); // finite rows, grouped by data set
  let setOfRow = new Int32Array(0);
  // a network whose β shows any non-finite parameter is checked on β (d entries) instead of
  // its whole row: `bad[q]` marks the rows of the current group whose β is not finite
  const betaChecks = evaluator.nonFiniteBeta === true;
  let bad = new Uint8Array(0);

  const ensure = (rows: number, n: number): void => {
    if (rows > cap) {
      cap = Math.max(rows, 2 * cap);
      beta = new Float64Array(cap * d);
      u = new Float64Array(cap * d);
      betaRows = Array.from({ length: cap }, (_, q) => beta.subarray(q * d, (q + 1) * d));
      uRows = Array.from({ length: cap }, (_, q) => u.subarray(q * d, (q + 1) * d));
      while (evaluators.length < cap) evaluators.push(network.fused!(host));
      nCap = 0; // reallocate the n-sized blocks too
    }
    if (n > nCap || f.length < cap * n) {
      nCap = Math.max(n, nCap);
      f = new Float64Array(cap * nCap);
      r = new Float64Array(cap * nCap);
      t = new Float64Array(nCap);
    }
  };

  /**
   * Group the finite rows by data set into `order`; calls `each(set, first, count)` per group
   * after computing `β` and `F = β·Xᵀ` for it (rows `order[first ..]`, block rows `0 .. count`).
   */
  const forward = (
    state: Float64Array,
    rows: number,
    runs: readonly number[] | undefined,
    each: (set: HostDataSet, X: Float64Array, n: number, first: number, count: number) => void,
    skipped?: Float64Array,
    outputs = true,
  ): void => {
    if (order.length < rows) {
      order = new Int32Array(rows);
      setOfRow = new Int32Array(rows);
    }
    let finite = 0;
    for (let row = 0; row < rows; row++) {
      if (!betaChecks && !allFinite(state, row * dim, (row + 1) * dim)) {
        skipped?.fill(Number.NaN, row * dim, (row + 1) * dim);
        continue;
      }
      order[finite++] = row;
      setOfRow[row] = setOf(row, runs);
    }
    // stable grouping by data set (one group when the data are shared)
    let done = 0;
    while (done < finite) {
      const s = setOfRow[order[done]!]!;
      let end = done + 1;
      for (let i = done + 1; i < finite; i++) {
        const row = order[i]!;
        if (setOfRow[row] === s) {
          order.copyWithin(end + 1, end, i);
          order[end++] = row;
        }
      }
      const set = sets[s]!;
      const X = host.data(set.X); // per call: refuses a disposed X like any op
      const n = set.X.shape[0]!;
      const count = end - done;
      ensure(count, n);
      for (let q = 0; q < count; q++)
        evaluators[q]!.beta(state, order[done + q]! * dim, betaRows[q]!);
      if (bad.length < count) bad = new Uint8Array(cap);
      for (let q = 0; q < count; q++)
        bad[q] = betaChecks && !allFinite(beta, q * d, (q + 1) * d) ? 1 : 0;
      // (a row with a non-finite β goes through the products like the others, which never mix
      // rows, and its results are replaced by NaN)
      if (outputs) host.gemm(X, beta, count, n, d, f);
      each(set, X, n, done, count);
      done = end;
    }
  };

  return {
    evaluate(state, rows, runs, out, scale, obs) {
      if (obs !== undefined) {
        obs.loss.fill(Number.NaN, 0, rows);
        obs.logLoss.fill(Number.NaN, 0, rows);
        obs.margin.fill(Number.NaN, 0, rows);
      }
      forward(
        state,
        rows,
        runs,
        (set, X, n, first, count) => {
          if (onePass) {
            host.residualGradient!(X, beta, set.labels, count, n, d, r, u);
            // the observation from r = y − f, the difference observeRow would take
            if (obs !== undefined) {
              for (let q = 0; q < count; q++)
                if (bad[q] === 0) observeResidualRow(n, r, t, q * n, obs, order[first + q]!);
            }
          } else {
            for (let q = 0; q < count; q++)
              residualRow(loss, normalized, set.labels, n, f, r, t, q * n);
            host.gemmT(X, r, count, n, d, u);
            // the observation from the outputs f at hand (r and t are free once U = R·X is taken)
            if (obs !== undefined) {
              for (let q = 0; q < count; q++)
                if (bad[q] === 0)
                  observeRow(loss, set.labels, n, f, r, t, q * n, obs, order[first + q]!);
            }
          }
          for (let q = 0; q < count; q++) {
            const row = order[first + q]!;
            if (bad[q] !== 0) {
              out.fill(Number.NaN, row * dim, (row + 1) * dim);
              continue;
            }
            evaluators[q]!.contract(uRows[q]!, out, row * dim);
            const c = scale(state, row);
            if (c !== 1) for (let k = row * dim; k < (row + 1) * dim; k++) out[k]! *= c;
          }
        },
        out,
        !onePass,
      );
    },
    observe(state, rows, runs, out) {
      forward(state, rows, runs, (set, _X, n, first, count) => {
        for (let q = 0; q < count; q++) {
          const row = order[first + q]!;
          if (bad[q] === 0) observeRow(loss, set.labels, n, f, r, t, q * n, out, row);
          else out.loss[row] = out.logLoss[row] = out.margin[row] = Number.NaN;
        }
      });
    },
  };
}

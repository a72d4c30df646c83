import type { LossName } from './losses.js';

// The formulas of `lossTerms` (losses.ts) entry by entry on the host, for the fused field
// evaluation (network-field.ts, fused-field.ts): on a float64 backend each entry rounds exactly
// as the backend ops do. Rows live in blocks: row entries `o .. o + n` of `f` (outputs) and `r`
// (residuals); `t` is scratch of length ≥ n.

/** Whether `y[from .. to)` holds only finite values. */
export function allFinite(y: Float64Array, from: number, to: number): boolean {
  // x − x is 0 for finite x and NaN for ±∞ and NaN, so the sum is 0 exactly when every entry
  // is finite (one add per entry and no branch: this runs on every row of every gradient), in
  // four independent sums so that the adds do not wait on each other
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    s0 += y[i]! - y[i]!;
    s1 += y[i + 1]! - y[i + 1]!;
    s2 += y[i + 2]! - y[i + 2]!;
    s3 += y[i + 3]! - y[i + 3]!;
  }
  for (; i < to; i++) s0 += y[i]! - y[i]!;
  return s0 + s1 + (s2 + s3) === 0;
}

// Below this, log(log(1 + e^z)) = z to double precision (as in losses.ts).
const LOGISTIC_TAIL = -37;

/** softplus as the cpu backend evaluates it: `max(x, 0) + log1p(e^{−|x|})`. */
const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

/** `max` of `a[o .. o + n)` with NaN winning, as the backend's reductions. */
function maxOf(a: Float64Array, o: number, n: number): number {
  let m = -Infinity;
  for (let i = o; i < o + n; i++) if (a[i]! > m || Number.isNaN(a[i]!)) m = a[i]!;
  return m;
}

/** `log Σ_i e^{a_i}` of `a[0 .. n)` as the backend's `logSumExp` (shifted by the max). */
function logSumExp(a: Float64Array, n: number): number {
  const m = maxOf(a, 0, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(a[i]! - m);
  return Number.isFinite(m) ? m + Math.log(s) : m;
}

/**
 * `log ℓ_i` of a classification loss into `t[i]` and `log(−∂ℓ/∂m_i)` into `r[o + i]` for the
 * outputs `f[o + i]` and labels `y[i]`.
 */
function classificationLogs(
  loss: LossName,
  y: Float64Array,
  n: number,
  f: Float64Array,
  r: Float64Array,
  t: Float64Array,
  o: number,
): void {
  for (let i = 0; i < n; i++) {
    const m = y[i]! * f[o + i]!;
    const z = -m;
    if (loss === 'exponential') {
      t[i] = z;
      r[o + i] = z;
    } else {
      const zc = z >= LOGISTIC_TAIL || Number.isNaN(z) ? z : LOGISTIC_TAIL;
      t[i] = Math.log(softplus(zc)) + (z - zc);
      r[o + i] = -softplus(m);
    }
  }
}

/**
 * The residual `r = −∂ℓ/∂f` of one row (its loss-normalized form `−∂ log 𝓛/∂f` when
 * `normalized`) into `r[o .. o + n)`, from the outputs `f[o .. o + n)` and targets `y`.
 */
export function residualRow(
  loss: LossName,
  normalized: boolean,
  y: Float64Array,
  n: number,
  f: Float64Array,
  r: Float64Array,
  t: Float64Array,
  o: number,
): void {
  if (loss === 'squared') {
    for (let i = 0; i < n; i++) r[o + i] = y[i]! - f[o + i]!;
    if (!normalized) return;
    let s = 0;
    for (let i = o; i < o + n; i++) s += r[i]! * r[i]!;
    const l = s * 0.5;
    for (let i = o; i < o + n; i++) r[i] = r[i]! / l;
    return;
  }
  classificationLogs(loss, y, n, f, r, t, o);
  const logLoss = normalized ? logSumExp(t, n) : 0;
  for (let i = o; i < o + n; i++) {
    r[i] = y[i - o]! * Math.exp(normalized ? r[i]! - logLoss : r[i]!);
  }
}

/**
 * The squared loss's observation of one row from its residual `r[o .. o + n) = y − f` (`t` is
 * overwritten): bit for bit what {@link observeRow} computes from the outputs f.
 */
export function observeResidualRow(
  n: number,
  r: Float64Array,
  t: Float64Array,
  o: number,
  out: { loss: Float64Array; logLoss: Float64Array; margin: Float64Array },
  row: number,
): void {
  // observeRow's squared-loss branch with e = r[o + i], the same y − f it would compute
  let s = 0;
  for (let i = 0; i < n; i++) {
    const e = r[o + i]!;
    s += e * e;
    t[i] = Math.abs(e);
  }
  const l = s * 0.5;
  out.loss[row] = l;
  out.logLoss[row] = Math.log(l);
  out.margin[row] = -maxOf(t, 0, n);
}

/**
 * Loss, log-loss and margin of one row from its outputs `f[o .. o + n)` (`r[o ..]` and `t` are
 * overwritten), written to `loss[row]`, `logLoss[row]`, `margin[row]`.
 */
export function observeRow(
  lossName: LossName,
  y: Float64Array,
  n: number,
  f: Float64Array,
  r: Float64Array,
  t: Float64Array,
  o: number,
  out: { loss: Float64Array; logLoss: Float64Array; margin: Float64Array },
  row: number,
): void {
  if (lossName === 'squared') {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const e = y[i]! - f[o + i]!;
      s += e * e;
      t[i] = Math.abs(e);
    }
    const l = s * 0.5;
    out.loss[row] = l;
    out.logLoss[row] = Math.log(l);
    out.margin[row] = -maxOf(t, 0, n);
    return;
  }
  classificationLogs(lossName, y, n, f, r, t, o);
  const logLoss = logSumExp(t, n);
  let margin = Infinity;
  for (let i = 0; i < n; i++) {
    const m = y[i]! * f[o + i]!;
    if (m < margin || Number.isNaN(m)) margin = m;
  }
  out.loss[row] = Math.exp(logLoss);
  out.logLoss[row] = logLoss;
  out.margin[row] = margin;
}

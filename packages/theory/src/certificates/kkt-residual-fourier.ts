import type { HostMatrix } from '@implicit-bias/core';
import { checkLabels, checkMatrix, checkVector } from '../linalg/validate.js';
import { matVec } from '../linalg/dense.js';
import { assertDepth } from '../scalar/depth.js';
import { realFourier } from '../classification/real-fourier.js';
import { nnls } from './nnls.js';
import type { KktResult } from './kkt-residual.js';

/** Input of {@link kktResidualFourier}. */
export interface KktFourierInput {
  /** Input data X (n×d), rows are samples. */
  readonly X: HostMatrix;
  /** Labels ±1. */
  readonly y: ArrayLike<number>;
  /** Candidate end-to-end direction β (any positive scale). */
  readonly beta: ArrayLike<number>;
  /** Depth L ≥ 1 of the full-width circular convolutional network. */
  readonly L: number;
  /** Samples with normalized margin ≤ 1 + this are active (default 1e−6). */
  readonly activeTolerance?: number;
  /** Frequencies with `|(Fβ)_k| > this · max_k |(Fβ)_k|` form the support (default 1e−9). */
  readonly supportTolerance?: number;
}

/**
 * KKT certificate of the complex odeco problem of full-width convolutional networks,
 * `min Σ_k |(Fβ)_k|^{2/L} s.t. y_i x_iᵀβ ≥ 1` (docs/theory/max-margin.md with moduli; S = d^{(L−1)/2}F only
 * rescales the objective). In the orthogonal real Fourier coordinates `γ = Rβ` (groups: the
 * zero and Nyquist frequencies, and the conjugate pairs (k, d−k) as two-dimensional blocks with
 * `|(Fβ)_k| = ‖γ_g‖/√2`) the objective is smooth on the support, so after scaling β to margin 1 the
 * stationarity `∇_γ obj = Σ_{i∈A} μ_i y_i R x_i` on the support groups is checked by NNLS, as in
 * {@link kktResidual}. `support` lists frequency groups by their first frequency k.
 */
export function kktResidualFourier(input: KktFourierInput): KktResult {
  const { X, y, beta, L } = input;
  checkMatrix(X, 'X');
  checkLabels(y, X.rows);
  checkVector(beta, X.cols, 'beta');
  assertDepth(L);
  const d = X.cols;
  const activeTol = input.activeTolerance ?? 1e-6;
  const supportTol = input.supportTolerance ?? 1e-9;
  const margins = matVec(X, beta).map((v, i) => v * y[i]!);
  let gamma0 = Infinity;
  for (const v of margins) gamma0 = Math.min(gamma0, v);
  if (!(gamma0 > 0)) {
    return {
      residual: Infinity,
      activeSet: [],
      mu: new Float64Array(0),
      support: [],
      offSupportViolation: Infinity,
      minMargin: gamma0,
    };
  }
  const { R, groups } = realFourier(d);
  const Rm = { rows: d, cols: d, data: R };
  const g = matVec(
    Rm,
    Array.from(beta, (v) => v / gamma0),
  );
  const activeSet: number[] = [];
  margins.forEach((v, i) => {
    if (v / gamma0 <= 1 + activeTol) activeSet.push(i);
  });
  const moduli = groups.map(([s, size]) =>
    size === 2 ? Math.hypot(g[s]!, g[s + 1]!) / Math.SQRT2 : Math.abs(g[s]!),
  );
  const top = Math.max(...moduli);
  const supportGroups = groups
    .map((_, k) => k)
    .filter((k) => L === 1 || moduli[k]! > supportTol * top);
  const p = 2 / L;
  const rowsIdx: number[] = [];
  const grad: number[] = [];
  for (const k of supportGroups) {
    const [s, size] = groups[k]!;
    if (size === 1) {
      rowsIdx.push(s);
      grad.push(p * Math.sign(g[s]!) * Math.pow(Math.abs(g[s]!), p - 1));
    } else {
      // d/dγ of 2 (‖γ‖/√2)^p = √2 p (‖γ‖/√2)^{p−1} γ/‖γ‖
      const nr = Math.hypot(g[s]!, g[s + 1]!);
      const f = nr === 0 ? 0 : (Math.SQRT2 * p * Math.pow(nr / Math.SQRT2, p - 1)) / nr;
      rowsIdx.push(s, s + 1);
      grad.push(f * g[s]!, f * g[s + 1]!);
    }
  }
  // columns: y_i R x_i restricted to the support rows
  const Zt = activeSet.map((i) =>
    matVec(Rm, X.data.subarray(i * d, (i + 1) * d)).map((v) => v * y[i]!),
  );
  const rows = rowsIdx.length;
  const cols = activeSet.length;
  const B = new Float64Array(rows * cols);
  rowsIdx.forEach((r, a) => Zt.forEach((z, b) => (B[a * cols + b] = z[r]!)));
  const sol = nnls(B, rows, cols, grad);
  const gNorm = Math.sqrt(grad.reduce((acc, v) => acc + v * v, 0));
  let off = 0;
  if (L === 2) {
    const inSupport = new Set(supportGroups);
    groups.forEach(([s, size], k) => {
      if (inSupport.has(k)) return;
      let a = 0;
      let b = 0;
      Zt.forEach((z, c) => {
        a += sol.x[c]! * z[s]!;
        if (size === 2) b += sol.x[c]! * z[s + 1]!;
      });
      off = Math.max(off, Math.hypot(a, b) / (size === 2 ? Math.SQRT2 : 1) - 1);
    });
  }
  return {
    residual: gNorm === 0 ? sol.residualNorm : sol.residualNorm / gNorm,
    activeSet,
    mu: sol.x,
    support: supportGroups.map((k) => {
      const [s] = groups[k]!;
      return s === 0 ? 0 : Math.ceil(s / 2);
    }),
    offSupportViolation: off,
    minMargin: gamma0,
  };
}

import type { Arr, Backend } from '@implicit-bias/backend';
import type { LinearTensorNetwork } from '@implicit-bias/networks';
import type { LossName } from './losses.js';

/** What {@link networkJacobian} needs from the field. */
export interface JacobianInput {
  readonly network: LinearTensorNetwork;
  readonly backend: Backend;
  readonly X: Arr;
  /** Labels on the host. */
  readonly labels: Float64Array;
  readonly loss: LossName;
  readonly normalized: boolean;
  readonly offsets: readonly number[];
}

const softplus = (x: number): number =>
  x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));

function logSumExp(v: Float64Array): number {
  let m = -Infinity;
  for (const x of v) m = Math.max(m, x);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const x of v) s += Math.exp(x - m);
  return m + Math.log(s);
}

/**
 * Per-sample loss weights at outputs `f`: `r_i = −ℓ'_i` and `c_i = ℓ''_i` (both divided by 𝓛 when
 * `normalized`), computed in log space so that they stay exact at any margin.
 */
export function lossWeights(
  loss: LossName,
  f: Float64Array,
  y: Float64Array,
  normalized: boolean,
): { r: Float64Array; c: Float64Array } {
  const n = y.length;
  const r = new Float64Array(n);
  const c = new Float64Array(n);
  if (loss === 'squared') {
    let l = 0;
    for (let i = 0; i < n; i++) l += 0.5 * (f[i]! - y[i]!) ** 2;
    const scale = normalized ? 1 / l : 1;
    for (let i = 0; i < n; i++) {
      r[i] = (y[i]! - f[i]!) * scale;
      c[i] = scale;
    }
    return { r, c };
  }
  const logEll = new Float64Array(n);
  const logD1 = new Float64Array(n);
  const logD2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = y[i]! * f[i]!;
    if (loss === 'exponential') {
      logEll[i] = -m;
      logD1[i] = -m;
      logD2[i] = -m;
    } else {
      const sp = softplus(-m);
      logEll[i] = sp > 0 ? Math.log(sp) : -m;
      logD1[i] = -softplus(m);
      logD2[i] = -softplus(m) - softplus(-m);
    }
  }
  const shift = normalized ? logSumExp(logEll) : 0;
  for (let i = 0; i < n; i++) {
    r[i] = y[i]! * Math.exp(logD1[i]! - shift);
    c[i] = Math.exp(logD2[i]! - shift);
  }
  return { r, c };
}

/**
 * Exact Jacobians of the gradient-flow field (no differencing), for every row of `state`.
 *
 * With `F = Σ_i r_i ∇f_i` (`r_i = −ℓ'_i`, or `−ℓ'_i/𝓛` under the time change):
 * `∂F/∂Θ = H(Xᵀr) − Σ_i c_i ∇f_i ∇f_iᵀ (+ G Gᵀ when normalized, G = F)`, with `c_i = ℓ''_i`
 * (`/𝓛`), where `H(u)·e_j` is the gradient of the multilinear `M(u)·(v_1..v_L)` with the layer
 * holding coordinate j replaced by that unit vector — one batched `gradient` call for all j —
 * and the per-sample gradients `∇f_i` come from one batched call with `r = e_i`. The time factor
 * `s = ‖Θ‖^{2−L}` adds `F_G ∇sᵀ` by the product rule.
 */
export function networkJacobian(
  inp: JacobianInput,
  state: Float64Array,
  rows: number,
): Float64Array {
  const { network: net, backend: be, X, labels, loss, normalized, offsets } = inp;
  const sizes = net.paramSizes;
  const L = net.depth;
  const dim = offsets[sizes.length]!;
  const n = labels.length;
  const layerOf = new Int32Array(dim);
  sizes.forEach((_, l) => layerOf.fill(l, offsets[l]!, offsets[l + 1]!));
  const out = new Float64Array(rows * dim * dim);
  for (let row = 0; row < rows; row++) {
    const theta = state.subarray(row * dim, (row + 1) * dim);
    const layer = (l: number): Float64Array => theta.subarray(offsets[l]!, offsets[l + 1]!);
    const [fHost, perSample, hess] = be.scope(() => {
      const params = sizes.map((k, l) => be.fromHost(layer(l), [1, k]));
      const f = be.toHostSync(net.forward(be, params, X));
      const { r } = lossWeights(loss, f, labels, normalized);
      // per-sample gradients: n copies of the parameters, r = e_i
      const rep = sizes.map((k, l) => {
        const data = new Float64Array(n * k);
        for (let i = 0; i < n; i++) data.set(layer(l), i * k);
        return be.fromHost(data, [n, k]);
      });
      const eye = new Float64Array(n * n);
      for (let i = 0; i < n; i++) eye[i * n + i] = 1;
      const gi = net.gradient(be, rep, X, be.fromHost(eye, [n, n])).map((g) => be.toHostSync(g));
      // Hessian columns: row j has its own layer replaced by e_j
      const hp = sizes.map((k, l) => {
        const data = new Float64Array(dim * k);
        for (let j = 0; j < dim; j++) {
          if (layerOf[j] === l) data[j * k + (j - offsets[l]!)] = 1;
          else data.set(layer(l), j * k);
        }
        return be.fromHost(data, [dim, k]);
      });
      const rr = new Float64Array(dim * n);
      for (let j = 0; j < dim; j++) rr.set(r, j * n);
      const hc = net.gradient(be, hp, X, be.fromHost(rr, [dim, n])).map((g) => be.toHostSync(g));
      return [f, gi, hc] as const;
    });
    const { r, c } = lossWeights(loss, fHost, labels, normalized);
    // ∇f_i packed: grads[i*dim + a]
    const grads = new Float64Array(n * dim);
    sizes.forEach((k, l) => {
      const g = perSample[l]!;
      for (let i = 0; i < n; i++)
        for (let a = 0; a < k; a++) grads[i * dim + offsets[l]! + a] = g[i * k + a]!;
    });
    const G = new Float64Array(dim);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < dim; a++) G[a] = G[a]! + r[i]! * grads[i * dim + a]!;
    const J = out.subarray(row * dim * dim, (row + 1) * dim * dim);
    // Hessian term: column j, blocks l ≠ layerOf[j]
    sizes.forEach((k, l) => {
      const h = hess[l]!;
      for (let j = 0; j < dim; j++) {
        if (layerOf[j] === l) continue;
        for (let a = 0; a < k; a++) J[(offsets[l]! + a) * dim + j] = h[j * k + a]!;
      }
    });
    for (let i = 0; i < n; i++) {
      const ci = c[i]!;
      if (ci === 0) continue;
      const gi = grads.subarray(i * dim, (i + 1) * dim);
      for (let a = 0; a < dim; a++) {
        const s = ci * gi[a]!;
        if (s === 0) continue;
        for (let b = 0; b < dim; b++) J[a * dim + b] = J[a * dim + b]! - s * gi[b]!;
      }
    }
    if (normalized) {
      for (let a = 0; a < dim; a++)
        for (let b = 0; b < dim; b++) J[a * dim + b] = J[a * dim + b]! + G[a]! * G[b]!;
      if (L !== 2) {
        let nn = 0;
        for (let a = 0; a < dim; a++) nn += theta[a]! * theta[a]!;
        const norm = Math.sqrt(nn);
        const s = Math.pow(norm, 2 - L);
        const ds = (2 - L) * Math.pow(norm, -L); // ∇s = ds·Θ
        for (let a = 0; a < dim; a++)
          for (let b = 0; b < dim; b++)
            J[a * dim + b] = s * J[a * dim + b]! + G[a]! * ds * theta[b]!;
      }
    }
  }
  return out;
}

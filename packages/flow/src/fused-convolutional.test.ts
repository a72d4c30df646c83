import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { convolutional } from '@implicit-bias/networks';
import type { LinearTensorNetwork } from '@implicit-bias/networks';

const U = 2 ** -53;
const norm1 = (v: Float64Array): number => v.reduce((s, x) => s + Math.abs(x), 0);
const norm2 = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/**
 * The error of one computed transform of length d relative to ‖y‖₂ (Higham, Accuracy and
 * Stability, Thm 24.2, and its extension to direct radix-p stages, as in backend-cpu's
 * fft.test.helpers.ts): `c·log₂d` with c = 9 for 5-smooth d, c = 39 when a prime factor 7..31
 * occurs, and `4·9·(log₂d + 2) + 8` for Bluestein's algorithm (a larger prime factor). The
 * real-input transform adds its packing: twice the bound of length d/2 plus 8.
 */
function perTransform(d: number): number {
  let m = d;
  let largest = 1;
  for (let p = 2; m > 1; p++) {
    while (m % p === 0) {
      m /= p;
      largest = p;
    }
  }
  const lg = Math.max(1, Math.log2(d));
  const c = largest > 31 ? (4 * 9 * (lg + 2) + 8) / lg : largest <= 5 ? 9 : 39;
  return 2 * c * lg + 8;
}

/**
 * FFT_TOL (as in networks' fused-convolutional.test.ts): L + 2 chains of transforms and
 * spectrum products; with ‖V_m‖_∞ ≤ ‖v_m‖₁ and Parseval every entry is within
 * `(L + 2)·perTransform(d)·u·scale`.
 */
function fftTol(d: number, L: number, scale: number): number {
  return (L + 2) * perTransform(d) * U * scale;
}

const cases = [
  [8, 2, [8]],
  [16, 3, [16, 5]],
  [12, 3, [4, 12]],
  [64, 4, [3, 64, 7]],
  [100, 2, [100]],
  [210, 3, [210, 7]], // radix 7
  [256, 3, [256, 31]],
  [37, 2, [37]], // Bluestein's algorithm
  [9, 3, [2, 9]], // odd d: the complex transform behind the real one
] as [number, number, number[]][];

function evaluate(net: LinearTensorNetwork, host: object, params: Float64Array[], u: Float64Array) {
  const ev = net.fused!(host as Parameters<NonNullable<LinearTensorNetwork['fused']>>[0]);
  const theta = Float64Array.from(params.flatMap((v) => Array.from(v)));
  const beta = new Float64Array(net.inputDim);
  ev.beta(theta, 0, beta);
  const out = new Float64Array(theta.length);
  ev.contract(u, out, 0);
  let off = 0;
  return { beta, grads: params.map((v) => out.slice(off, (off += v.length))) };
}

// Oracles: the networks' structural host contractions (direct circular sums), within FFT_TOL,
// for the evaluator on the cpu backend's real-input transform (as the fused field runs it: its
// workspace of half spectra on the WebAssembly path) and on its complex transform (the host
// without `rdft`); the workspace equals the `rdft` path bit for bit; and the generic backend path
// (`network.gradient` and `endToEnd`: one backend op per step) on the same backend.
describe('fused convolutional evaluator on the cpu backend FFT', () => {
  const be = createCpuBackend();
  const host = be.host;
  const complexOnly = { ...host, rdft: undefined, realSpectra: undefined };
  const rdftOnly = { ...host, realSpectra: undefined };
  it.each(cases)('d = %i, L = %i, filters %j', (d, L, filters) => {
    const net = convolutional({ dim: d, depth: L, filters });
    const keys = split(key(d * 10 + L), L + 1);
    const params = net.paramSizes.map((k, l) => normal(keys[l]!, k));
    const u = normal(keys[L]!, d);
    const all = params.reduce((s, v) => s * norm1(v), 1);
    const want = net.endToEndHost(params);
    const exact = params.map((_, l) => net.contractHost(u, params, l));
    const real = evaluate(net, host, params, u);
    const full = evaluate(net, complexOnly, params, u);
    // the workspace of half spectra (WebAssembly) and the rdft path round the same
    expect(evaluate(net, rdftOnly, params, u)).toEqual(real);
    // generic path: X = I (so Xᵀr = r = u exactly), one row
    const X = be.fromHost(
      Float64Array.from({ length: d * d }, (_, i) => +(i % (d + 1) === 0)),
      [d, d],
    );
    const ps = params.map((v) => be.fromHost(v, [1, v.length]));
    const generic = net.gradient(be, ps, X, be.fromHost(u, [1, d])).map((g) => be.toHostSync(g));
    const genericBeta = be.toHostSync(net.endToEnd(be, ps));
    const betaTol = fftTol(d, L, all);
    for (const b of [real.beta, full.beta]) {
      b.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(betaTol));
    }
    // the generic path's circular ops take direct sums (γ_d per op) or the FFT
    const genericTol = (s: number) => fftTol(d, L, s) + (L + 2) * (2 * d + 4) * U * s;
    genericBeta.forEach((x, i) =>
      expect(Math.abs(x - real.beta[i]!)).toBeLessThanOrEqual(betaTol + genericTol(all)),
    );
    params.forEach((v, l) => {
      const scale = (norm2(u) * all) / norm1(v);
      const tol = fftTol(d, L, scale);
      for (let i = 0; i < v.length; i++) {
        expect(Math.abs(real.grads[l]![i]! - exact[l]![i]!)).toBeLessThanOrEqual(tol);
        expect(Math.abs(full.grads[l]![i]! - exact[l]![i]!)).toBeLessThanOrEqual(tol);
        expect(Math.abs(generic[l]![i]! - real.grads[l]![i]!)).toBeLessThanOrEqual(
          tol + genericTol(scale),
        );
      }
    });
  });
});

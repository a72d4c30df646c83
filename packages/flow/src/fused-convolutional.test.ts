import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { convolutional } from '@implicit-bias/networks';

const U = 2 ** -53;
const norm1 = (v: Float64Array): number => v.reduce((s, x) => s + Math.abs(x), 0);
const norm2 = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/**
 * FFT_TOL (as in networks' fused-convolutional.test.ts): a computed radix-2 transform of length
 * m is within (5·log₂m + 4)·u of the exact one in the 2-norm (Higham, Accuracy and Stability,
 * Thm 24.2), Bluestein's three of length m ≥ 2d − 1 within three times that; L + 2 chains of
 * transforms and spectrum products, with ‖V_m‖_∞ ≤ ‖v_m‖₁ and Parseval, bound every entry.
 */
function fftTol(d: number, L: number, scale: number): number {
  const pow2 = (d & (d - 1)) === 0;
  let m = 1;
  while (m < (pow2 ? d : 2 * d - 1)) m *= 2;
  return (L + 2) * (pow2 ? 1 : 3) * (5 * Math.log2(Math.max(m, 2)) + 4) * U * scale;
}

// Oracle: the networks' structural host contractions (direct circular sums), within FFT_TOL;
// the evaluator runs on the cpu backend's own FFT, as the fused field does.
describe('fused convolutional evaluator on the cpu backend FFT', () => {
  const host = createCpuBackend().host;
  it.each([
    [8, 2, [8]],
    [16, 3, [16, 5]],
    [12, 3, [4, 12]], // Bluestein's transform
    [64, 4, [3, 64, 7]],
    [100, 2, [100]],
    [256, 3, [256, 31]],
  ] as [number, number, number[]][])('d = %i, L = %i, filters %j', (d, L, filters) => {
    const net = convolutional({ dim: d, depth: L, filters });
    const keys = split(key(d * 10 + L), L + 1);
    const params = net.paramSizes.map((k, l) => normal(keys[l]!, k));
    const u = normal(keys[L]!, d);
    const ev = net.fused!(host);
    const theta = Float64Array.from(params.flatMap((v) => Array.from(v)));
    const beta = new Float64Array(d);
    ev.beta(theta, 0, beta);
    const out = new Float64Array(theta.length);
    ev.contract(u, out, 0);
    const all = params.reduce((s, v) => s * norm1(v), 1);
    const want = net.endToEndHost(params);
    beta.forEach((b, i) => expect(Math.abs(b - want[i]!)).toBeLessThanOrEqual(fftTol(d, L, all)));
    let off = 0;
    params.forEach((v, l) => {
      const tol = fftTol(d, L, (norm2(u) * all) / norm1(v));
      const exact = net.contractHost(u, params, l);
      for (let i = 0; i < v.length; i++) {
        expect(Math.abs(out[off + i]! - exact[i]!)).toBeLessThanOrEqual(tol);
      }
      off += v.length;
    });
  });
});

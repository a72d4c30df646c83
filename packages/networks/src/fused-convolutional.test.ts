import { key, normal, split } from '@implicit-bias/core';
import { convolutional } from './convolutional.js';
import type { HostProducts } from './fused.js';
import { mulConjSpectra, mulSpectra } from './spectra.js';
import type { LinearTensorNetwork } from './types.js';

const U = 2 ** -53;
/**
 * Products without an FFT: the evaluator then transforms by direct sums. (With the cpu
 * backend's FFT it is tested in flow's fused-convolutional.test.ts, where that backend is a
 * dependency.)
 */
const withoutFft: HostProducts = {
  gemv: () => {
    throw new Error('unused');
  },
  gemvT: () => {
    throw new Error('unused');
  },
};

/**
 * Products with a real-input DFT by direct sums (this test's own O(n²) implementation of the
 * `rdft` contract): the evaluator then takes its half-spectrum path.
 */
const withRealDirect: HostProducts = {
  ...withoutFft,
  rdft(n) {
    const bins = Math.floor(n / 2) + 1;
    const cos = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * t) / n));
    const sin = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / n));
    return {
      bins,
      forward(x, re, im) {
        for (let k = 0; k < bins; k++) {
          let sr = 0;
          let si = 0;
          for (let j = 0; j < n; j++) {
            sr += x[j]! * cos[(j * k) % n]!;
            si -= x[j]! * sin[(j * k) % n]!;
          }
          re[k] = sr;
          im[k] = k === 0 || 2 * k === n ? 0 : si;
        }
      },
      inverse(re, im, x) {
        // x_j = (1/n)·(X_0 + Σ_{0<k<n/2} 2·Re(X_k e^{2πijk/n}) + X_{n/2}·(−1)^j)
        for (let j = 0; j < n; j++) {
          let s = re[0]!;
          for (let k = 1; k < bins; k++) {
            const t = (j * k) % n;
            const term = re[k]! * cos[t]! - im[k]! * sin[t]!;
            s += 2 * k === n ? re[k]! * cos[t]! : 2 * term;
          }
          x[j] = s / n;
        }
      },
    };
  },
};

/**
 * Products with a workspace of half spectra (`realSpectra`) kept in JavaScript arrays on the
 * direct-sum `rdft` above: the evaluator then takes its workspace path, which must round as the
 * `rdft` path on the same transform.
 */
const withSpectraDirect: HostProducts = {
  ...withRealDirect,
  realSpectra(n, slots) {
    const t = withRealDirect.rdft!(n);
    const re = Array.from({ length: slots }, () => new Float64Array(t.bins));
    const im = Array.from({ length: slots }, () => new Float64Array(t.bins));
    const x = new Float64Array(n);
    return {
      forward(v, o, len, s) {
        x.fill(0);
        x.set(v.subarray(o, o + len));
        t.forward(x, re[s]!, im[s]!);
      },
      mul: (a, b, c) => mulSpectra(re[a]!, im[a]!, re[b]!, im[b]!, re[c]!, im[c]!, t.bins),
      mulConj: (a, b, c) => mulConjSpectra(re[a]!, im[a]!, re[b]!, im[b]!, re[c]!, im[c]!, t.bins),
      inverse(s, out, o, len) {
        t.inverse(re[s]!, im[s]!, x);
        out.set(x.subarray(0, len), o);
      },
    };
  },
};

const norm1 = (v: Float64Array): number => v.reduce((s, x) => s + Math.abs(x), 0);
const norm2 = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/**
 * FFT_TOL: the error of a chain of L + 1 transforms of length m and L − 1 spectrum products.
 * A computed radix-2 transform is within (5·log₂m + 4)·u of the exact one in the 2-norm
 * (Higham, Accuracy and Stability, Thm 24.2, with computed twiddles), Bluestein's three of
 * length m' ≥ 2d − 1 within three times that; with ‖V_m‖_∞ ≤ ‖v_m‖₁ and Parseval every entry
 * of `IDFT(Û·Π conj(V_m))` is then within (L + 2)·(that)·‖u‖₂·Π_{m≠l}‖v_m‖₁ of the exact value.
 * Direct sums (no FFT) are within about γ_d per transform: log₂m is replaced by d.
 */
function fftTol(d: number, L: number, fft: boolean, scale: number): number {
  const pow2 = (d & (d - 1)) === 0;
  let m = 1;
  while (m < (pow2 ? d : 2 * d - 1)) m *= 2;
  const per = fft ? (pow2 ? 1 : 3) * (5 * Math.log2(Math.max(m, 2)) + 4) : 2 * d + 4;
  return (L + 2) * per * U * scale;
}

function run(net: LinearTensorNetwork, p: HostProducts, params: Float64Array[], u: Float64Array) {
  const ev = net.fused!(p);
  const dim = net.paramSizes.reduce((a, k) => a + k, 0);
  const theta = new Float64Array(dim + 2).fill(99);
  let off = 1;
  for (const v of params) {
    theta.set(v, off);
    off += v.length;
  }
  const beta = new Float64Array(net.inputDim);
  ev.beta(theta, 1, beta);
  const out = new Float64Array(dim + 2).fill(-5);
  ev.contract(u, out, 1);
  expect([out[0], out[dim + 1]]).toEqual([-5, -5]); // nothing outside the row is written
  off = 1;
  const grads = net.paramSizes.map((k) => out.slice(off, (off += k)));
  return { beta, grads };
}

const paramsOf = (net: LinearTensorNetwork, seed: number) => {
  const keys = split(key(seed), net.depth + 1);
  return {
    params: net.paramSizes.map((k, l) => normal(keys[l]!, k)),
    u: normal(keys[net.depth]!, net.inputDim),
  };
};

// Oracle: the structural host contractions `endToEndHost` / `contractHost` (direct circular
// sums, an independent implementation), within FFT_TOL.
describe.each([
  ['direct sums', withoutFft, false],
  ['real-input direct sums (half spectra)', withRealDirect, false],
  ['a workspace of half spectra on direct sums', withSpectraDirect, false],
] as [string, HostProducts, boolean][])('fused convolutional evaluator with %s', (_, p, fft) => {
  it.each([
    [8, 2, [8]],
    [16, 3, [16, 5]],
    [12, 3, [4, 12]], // Bluestein's transform
    [64, 4, [3, 64, 7]],
    [100, 2, [100]],
    [9, 3, [2, 9]], // odd d
    [1, 2, [1]],
  ] as [number, number, number[]][])('d = %i, L = %i, filters %j', (d, L, filters) => {
    const net = convolutional({ dim: d, depth: L, filters });
    const { params, u } = paramsOf(net, d * 10 + L);
    const { beta, grads } = run(net, p, params, u);
    const all = params.reduce((s, v) => s * norm1(v), 1);
    const betaTol = fftTol(d, L, fft, all);
    const want = net.endToEndHost(params);
    beta.forEach((b, i) => expect(Math.abs(b - want[i]!)).toBeLessThanOrEqual(betaTol));
    grads.forEach((g, l) => {
      const tol = fftTol(d, L, fft, (norm2(u) * all) / norm1(params[l]!));
      const exact = net.contractHost(u, params, l);
      expect(g.length).toBe(net.paramSizes[l]);
      g.forEach((x, i) => expect(Math.abs(x - exact[i]!)).toBeLessThanOrEqual(tol));
    });
  });
});

// Oracle: closed forms. Delta filters (v_l = e_0 for l < L) make every earlier layer the
// identity: β = v_L, grad_L = u, and grad_l[i] = Σ_j u_{(i+j) mod d} v_L[j] for l < L (u
// correlated with v_L); depth 1 is exact (β = v_1, grad_1 = u, no transform).
describe('fused convolutional evaluator: closed forms', () => {
  it.each([
    [16, 3, [1, 4]],
    [10, 2, [3]],
  ] as [number, number, number[]][])('delta filters, d = %i, L = %i', (d, L, filters) => {
    const net = convolutional({ dim: d, depth: L, filters });
    const vL = normal(key(d), d);
    const u = normal(key(d + 1), d);
    const params = [
      ...filters.map((k) => Float64Array.from({ length: k }, (_, j) => +(j === 0))),
      vL,
    ];
    const { beta, grads } = run(net, withoutFft, params, u);
    const tol = fftTol(d, L, false, norm2(u) * norm1(vL));
    beta.forEach((b, i) =>
      expect(Math.abs(b - vL[i]!)).toBeLessThanOrEqual(fftTol(d, L, false, norm1(vL))),
    );
    grads[L - 1]!.forEach((g, i) => expect(Math.abs(g - u[i]!)).toBeLessThanOrEqual(tol));
    for (let l = 0; l < L - 1; l++) {
      grads[l]!.forEach((g, i) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += u[(i + j) % d]! * vL[j]!;
        expect(Math.abs(g - s)).toBeLessThanOrEqual(tol);
      });
    }
  });

  it('depth 1 is exact', () => {
    const net = convolutional({ dim: 5, depth: 1 });
    const v = normal(key(3), 5);
    const u = normal(key(4), 5);
    const { beta, grads } = run(net, withoutFft, [v], u);
    expect(Array.from(beta)).toEqual(Array.from(v));
    expect(Array.from(grads[0]!)).toEqual(Array.from(u));
  });

  it('each evaluator keeps its own spectra: rows of a batch equal the row alone, bit for bit', () => {
    const net = convolutional({ dim: 12, depth: 3, filters: [5, 12] });
    const a = paramsOf(net, 1);
    const b = paramsOf(net, 2);
    const alone = run(net, withoutFft, b.params, b.u);
    const ev = net.fused!(withoutFft);
    const other = net.fused!(withoutFft);
    const pack = (ps: Float64Array[]) => Float64Array.from(ps.flatMap((v) => Array.from(v)));
    const beta = new Float64Array(12);
    ev.beta(pack(b.params), 0, beta);
    other.beta(pack(a.params), 0, new Float64Array(12)); // another row in between
    const out = new Float64Array(29);
    ev.contract(b.u, out, 0);
    expect(Array.from(beta)).toEqual(Array.from(alone.beta));
    expect(Array.from(out)).toEqual(alone.grads.flatMap((g) => Array.from(g)));
  });
});

describe('fused convolutional evaluator: half spectra', () => {
  // Oracle: the complex path (full spectra, direct sums), an independent evaluation; both are
  // within FFT_TOL of the exact values, so within twice that of each other.
  it.each([
    [10, 2, [10]],
    [15, 3, [4, 15]],
    [32, 4, [32, 5, 32]],
  ] as [number, number, number[]][])(
    'half spectra equal full spectra, d = %i, L = %i',
    (d, L, filters) => {
      const net = convolutional({ dim: d, depth: L, filters });
      const { params, u } = paramsOf(net, d + L);
      const real = run(net, withRealDirect, params, u);
      const full = run(net, withoutFft, params, u);
      const all = params.reduce((s, v) => s * norm1(v), 1);
      real.beta.forEach((b, i) =>
        expect(Math.abs(b - full.beta[i]!)).toBeLessThanOrEqual(2 * fftTol(d, L, false, all)),
      );
      real.grads.forEach((g, l) => {
        const tol = 2 * fftTol(d, L, false, (norm2(u) * all) / norm1(params[l]!));
        g.forEach((x, i) => expect(Math.abs(x - full.grads[l]![i]!)).toBeLessThanOrEqual(tol));
      });
    },
  );

  it('each evaluator keeps its own half spectra: a row equals the row alone, bit for bit', () => {
    const net = convolutional({ dim: 12, depth: 3, filters: [5, 12] });
    const a = paramsOf(net, 1);
    const b = paramsOf(net, 2);
    const alone = run(net, withRealDirect, b.params, b.u);
    const ev = net.fused!(withRealDirect);
    const other = net.fused!(withRealDirect);
    const pack = (ps: Float64Array[]) => Float64Array.from(ps.flatMap((v) => Array.from(v)));
    const beta = new Float64Array(12);
    ev.beta(pack(b.params), 0, beta);
    other.beta(pack(a.params), 0, new Float64Array(12)); // another row in between
    const out = new Float64Array(29);
    ev.contract(b.u, out, 0);
    expect(Array.from(beta)).toEqual(Array.from(alone.beta));
    expect(Array.from(out)).toEqual(alone.grads.flatMap((g) => Array.from(g)));
  });
});

describe('fused convolutional evaluator on a workspace of half spectra', () => {
  it.each([
    [8, 2, [8]],
    [16, 3, [16, 5]],
    [64, 4, [3, 64, 7]],
    [9, 3, [2, 9]],
  ] as [number, number, number[]][])(
    'd = %i, L = %i, filters %j: as the rdft path, bit for bit',
    (d, L, filters) => {
      const net = convolutional({ dim: d, depth: L, filters });
      const { params, u } = paramsOf(net, d * 10 + L + 1);
      expect(run(net, withSpectraDirect, params, u)).toEqual(run(net, withRealDirect, params, u));
    },
  );
});

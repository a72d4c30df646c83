import { key, normal, split } from '@implicit-bias/core';
import type { HostProducts } from './fused.js';
import { tensorNetwork } from './tensor-network.js';

/** Plain loops: any correct products will do (the cpu backend's are tested in backend-cpu). */
const products: HostProducts = {
  gemv(a, x, m, n, y) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * x[j]!;
      y[i] = s;
    }
  },
  gemvT(a, y, m, n, g) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += a[i * n + j]! * y[i]!;
      g[j] = s;
    }
  },
};

const U = 2 ** -53;
const gamma = (k: number): number => (k * U) / (1 - k * U);

/** A user tensor network of `d` random data tensors of one shape (`abs`: their |entries|). */
function randomTensorNetwork(d: number, shape: number[], seed: number, abs = false) {
  const K = shape.reduce((p, k) => p * k, 1);
  const ks = split(key(seed), d);
  return tensorNetwork({
    dataTensors: ks.map((k) => ({ shape, data: normal(k, K).map((x) => (abs ? Math.abs(x) : x)) })),
  });
}

// Oracle: the structural host contraction `contractHost` and `endToEndHost` of the network (an
// independent implementation over the dense M(u)). Tolerance: the forward error bound of nested
// sums of products, each entry within γ_K·(the same contraction of absolute values) of the
// exact value with K = d + Σ k_l + L (the length of the chain of sums and products); twice
// that between two implementations.
describe('fused user tensor evaluator against contractHost within the forward error bound', () => {
  const cases: [number, number[]][] = [
    [4, [3]],
    [5, [2, 3]],
    [3, [3, 2, 4]],
    [6, [2, 1, 3, 2]],
    [1, [4, 5]],
    [2, [7, 1]],
  ];
  it.each(cases)('d = %i, shape %j', (d, shape) => {
    const net = randomTensorNetwork(d, shape, 31 * d + shape.length);
    const absNet = randomTensorNetwork(d, shape, 31 * d + shape.length, true);
    const keys = split(key(shape.length * 17 + d), net.depth + 1);
    const params = net.paramSizes.map((k, l) => normal(keys[l]!, k));
    const u = normal(keys[net.depth]!, d);
    const ev = net.fused!(products);
    const dim = net.paramSizes.reduce((a, k) => a + k, 0);
    // the row sits at offset 3 of a larger block; nothing outside it is written
    const theta = new Float64Array(dim + 5).fill(99);
    let off = 3;
    for (const v of params) {
      theta.set(v, off);
      off += v.length;
    }
    const beta = new Float64Array(d);
    ev.beta(theta, 3, beta);
    const out = new Float64Array(dim + 5).fill(-5);
    ev.contract(u, out, 3);
    expect([out[0], out[1], out[2], out[dim + 3], out[dim + 4]]).toEqual([-5, -5, -5, -5, -5]);
    const abs = (v: Float64Array): Float64Array => v.map(Math.abs);
    const absParams = params.map(abs);
    const K = d + net.paramSizes.reduce((a, k) => a + k, 0) + net.depth;
    const close = (got: Float64Array, want: Float64Array, bound: Float64Array): void => {
      expect(got.length).toBe(want.length);
      got.forEach((x, i) => {
        expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(2 * gamma(K) * bound[i]!);
      });
    };
    close(beta, net.endToEndHost(params), absNet.endToEndHost(absParams));
    off = 3;
    net.paramSizes.forEach((k, l) => {
      close(
        out.subarray(off, off + k),
        net.contractHost(u, params, l),
        absNet.contractHost(abs(u), absParams, l),
      );
      off += k;
    });
  });

  it('contract follows the row of the latest beta; a row gives the same bits anywhere', () => {
    const net = randomTensorNetwork(3, [2, 3], 7);
    const ev = net.fused!(products);
    const [k1, k2] = split(key(5), 2);
    const a = normal(k1!, 5);
    const b = normal(k2!, 5);
    const both = new Float64Array(10);
    both.set(a, 0);
    both.set(b, 5);
    const u = Float64Array.of(1, -2, 0.5);
    const beta = new Float64Array(3);
    const alone = new Float64Array(5);
    ev.beta(b, 0, beta);
    const betaAlone = beta.slice();
    ev.contract(u, alone, 0);
    const batched = new Float64Array(10);
    ev.beta(both, 0, beta);
    ev.contract(u, batched, 0);
    ev.beta(both, 5, beta);
    expect(Array.from(beta)).toEqual(Array.from(betaAlone));
    ev.contract(u, batched, 5);
    expect(Array.from(batched.subarray(5))).toEqual(Array.from(alone));
  });
});

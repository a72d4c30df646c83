import { key, normal, split } from '@implicit-bias/core';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import type { HostProducts } from './fused.js';
import type { LinearTensorNetwork } from './types.js';

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

/** A packed row [sentinel, v_1..v_L, sentinel] and the layers as separate arrays. */
function packed(net: LinearTensorNetwork, params: readonly Float64Array[]) {
  const dim = net.paramSizes.reduce((a, k) => a + k, 0);
  const theta = new Float64Array(dim + 2).fill(99);
  let off = 1;
  for (const v of params) {
    theta.set(v, off);
    off += v.length;
  }
  return { theta, dim };
}

/** Run beta then contract of the fused evaluator on a row placed at offset 1. */
function runFused(net: LinearTensorNetwork, params: readonly Float64Array[], u: Float64Array) {
  const ev = net.fused!(products);
  const { theta, dim } = packed(net, params);
  const beta = new Float64Array(net.inputDim);
  ev.beta(theta, 1, beta);
  const out = new Float64Array(dim + 2).fill(-5);
  ev.contract(u, out, 1);
  expect([out[0], out[dim + 1]]).toEqual([-5, -5]); // nothing outside the row is written
  const grads: Float64Array[] = [];
  let off = 1;
  for (const k of net.paramSizes) {
    grads.push(out.slice(off, off + k));
    off += k;
  }
  return { beta, grads };
}

// Oracle: closed forms. On small integers every product is exact, so the fused diagonal
// evaluator must give β_j = Π_l v_{l,j} and grad_l = u ⊙ Π_{m≠l} v_m exactly.
describe('fused diagonal evaluator: closed form on exact integer data', () => {
  it.each([1, 2, 3, 4])('L = %i', (L) => {
    const d = 5;
    const params = Array.from({ length: L }, (_, l) =>
      Float64Array.from({ length: d }, (_, j) => ((3 * l + 2 * j) % 7) - 3),
    );
    const u = Float64Array.from({ length: d }, (_, j) => j - 2);
    const { beta, grads } = runFused(diagonal({ dim: d, depth: L }), params, u);
    const prod = (skip: number, j: number): number =>
      params.reduce((p, v, l) => (l === skip ? p : p * v[j]!), 1);
    expect(Array.from(beta)).toEqual(Array.from({ length: d }, (_, j) => prod(-1, j)));
    grads.forEach((g, l) =>
      expect(Array.from(g)).toEqual(Array.from({ length: d }, (_, j) => u[j]! * prod(l, j))),
    );
  });
});

// Oracle: the structural host contraction `contractHost` (and `endToEndHost`), an independent
// implementation. Tolerance: the forward error bound of nested sums of products, each entry
// within γ_K·(the same contraction of absolute values) of the exact value, K at least the total
// length of the sums and products along the chain (we take d + Σ k_l + L); twice that between
// two implementations.
describe('fused evaluators against contractHost within the forward error bound', () => {
  const cases: [string, LinearTensorNetwork][] = [
    ['diagonal d=7 L=3', diagonal({ dim: 7, depth: 3 })],
    ['fully-connected L=1', fullyConnected({ inputDim: 6, hidden: [] })],
    ['fully-connected L=2', fullyConnected({ inputDim: 6, hidden: [4] })],
    ['fully-connected L=3', fullyConnected({ inputDim: 9, hidden: [5, 3] })],
    ['fully-connected L=4', fullyConnected({ inputDim: 4, hidden: [6, 2, 5] })],
  ];
  it.each(cases)('%s', (_, net) => {
    const keys = split(key(net.paramSizes.length * 17 + net.inputDim), net.depth + 1);
    const params = net.paramSizes.map((k, l) => normal(keys[l]!, k));
    const u = normal(keys[net.depth]!, net.inputDim);
    const { beta, grads } = runFused(net, params, u);
    const abs = (v: Float64Array): Float64Array => v.map(Math.abs);
    const absParams = params.map(abs);
    const K = net.inputDim + net.paramSizes.reduce((a, k) => a + k, 0) + net.depth;
    const close = (got: Float64Array, want: Float64Array, bound: Float64Array): void => {
      got.forEach((x, i) => {
        expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(2 * gamma(K) * bound[i]!);
      });
    };
    close(beta, net.endToEndHost(params), net.endToEndHost(absParams));
    grads.forEach((g, l) =>
      close(g, net.contractHost(u, params, l), net.contractHost(abs(u), absParams, l)),
    );
  });

  it('contract follows the row of the latest beta, rows anywhere in a batch', () => {
    const net = fullyConnected({ inputDim: 3, hidden: [2] });
    const ev = net.fused!(products);
    const [k1, k2] = split(key(5), 2);
    const a = normal(k1!, 8);
    const b = normal(k2!, 8);
    const both = new Float64Array(16);
    both.set(a, 0);
    both.set(b, 8);
    const u = Float64Array.of(1, -2, 0.5);
    const beta = new Float64Array(3);
    const alone = new Float64Array(8);
    ev.beta(b, 0, beta);
    ev.contract(u, alone, 0);
    const batched = new Float64Array(16);
    ev.beta(both, 0, beta);
    ev.contract(u, batched, 0);
    ev.beta(both, 8, beta);
    ev.contract(u, batched, 8);
    expect(Array.from(batched.subarray(8))).toEqual(Array.from(alone));
  });
});

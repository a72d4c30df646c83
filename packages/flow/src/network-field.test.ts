import type { Backend } from '@implicit-bias/backend';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import {
  convolutional,
  diagonal,
  fullyConnected,
  tensorNetwork,
  type LinearTensorNetwork,
} from '@implicit-bias/networks';
import type { LossName } from './losses.js';
import { networkField, type DataSet, type TimeScale } from './network-field.js';

const U = 2 ** -53;
const bits = (a: Float64Array): number[] => Array.from(a);

/**
 * Tolerance between the fused and the generic path (FUSED_TOL): both sum the same products, the
 * fully-connected ones in a different order where the kernel choice differs (β's products), so
 * entries agree to the forward error of the longest chain, K = n + d + Σ k_l + L roundings,
 * relative to the largest entry: |Δ| ≤ 4·K·u·max|g|.
 */
function fusedTol(net: LinearTensorNetwork, n: number, g: Float64Array): number {
  const K = n + net.inputDim + net.paramSizes.reduce((a, k) => a + k, 0) + net.depth;
  return 4 * K * U * g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/**
 * CONV_TOL, fused against generic for convolutional networks: both transform (the generic path
 * per circular product, the fused one once per layer), so besides the sums of FUSED_TOL each
 * transform chain of length m adds about (5·log₂m + 4)·u relative to its scale (Higham, Thm
 * 24.2; three transforms for Bluestein), with m the power of two of the earlier radix-2 FFT (an
 * upper bound for the mixed-radix transforms now used), L + 2 chains per gradient, propagated through the data
 * products of the residual and of Xᵀr, bounded relative to the largest entry by the same K.
 */
function convTol(net: LinearTensorNetwork, n: number, g: Float64Array): number {
  const d = net.inputDim;
  const pow2 = (d & (d - 1)) === 0;
  let m = 1;
  while (m < (pow2 ? d : 2 * d - 1)) m *= 2;
  const chain = (pow2 ? 1 : 3) * (5 * Math.log2(Math.max(m, 2)) + 4);
  return (net.depth + 2) * chain * fusedTol(net, n, g);
}

function data(be: Backend, n: number, d: number, loss: LossName, seed: number): DataSet {
  const [kx, ky] = split(key(seed), 2);
  const X = normal(kx!, n * d);
  const yr = normal(ky!, n);
  const labels = loss === 'squared' ? yr : yr.map((v) => (v >= 0 ? 1 : -1));
  return { X: be.fromHost(X, [n, d]), y: be.fromHost(labels, [n]), labels };
}

function states(net: LinearTensorNetwork, rows: number, seed: number, scale = 0.4) {
  const dim = net.paramSizes.reduce((a, k) => a + k, 0);
  return normal(key(seed), rows * dim).map((v) => scale * v);
}

const nets: [string, LinearTensorNetwork][] = [
  ['diagonal L=1', diagonal({ dim: 30, depth: 1 })],
  ['diagonal L=2', diagonal({ dim: 30, depth: 2 })],
  ['diagonal L=3', diagonal({ dim: 30, depth: 3 })],
  ['fully-connected L=2', fullyConnected({ inputDim: 30, hidden: [20] })],
  ['fully-connected L=3', fullyConnected({ inputDim: 30, hidden: [16, 40] })],
  ['fully-connected L=4', fullyConnected({ inputDim: 30, hidden: [5, 300, 2] })],
  ['convolutional L=2', convolutional({ dim: 30, depth: 2 })],
  ['convolutional L=3', convolutional({ dim: 30, depth: 3, filters: [4, 30] })],
  ['convolutional L=3, d = 64', convolutional({ dim: 64, depth: 3, filters: [64, 9] })],
];
const cases: [LossName, TimeScale][] = [
  ['squared', 'physical'],
  ['squared', 'loss-normalized'],
  ['exponential', 'physical'],
  ['logistic', 'loss-normalized'],
];

// Oracle: the generic path of backend ops (`fused: false`) on the same network and state. The
// diagonal evaluator rounds exactly as the backend ops, so there the two are equal bit for bit.
describe.each([
  ['default', createCpuBackend()],
  ['js', createCpuBackend({ kernels: 'js' })],
])('fused field on the %s cpu kernels equals the generic path', (_, be) => {
  const n = 12;
  for (const [name, net] of nets) {
    it.each(cases)(`${name}: %s loss, %s time`, (loss, time) => {
      const set = data(be, n, net.inputDim, loss, 3);
      const make = (fused: boolean) =>
        networkField({ network: net, backend: be, ...set, loss, time, fused });
      const fused = make(true);
      const generic = make(false);
      expect([fused.fused, generic.fused]).toEqual([true, false]);
      const state = states(net, 3, 7);
      const a = fused.evaluate(state, 3);
      const b = generic.evaluate(state, 3);
      const oa = fused.observe(state, 3);
      const ob = generic.observe(state, 3);
      if (net.spec.kind === 'diagonal') {
        expect(bits(a)).toEqual(bits(b));
        expect([oa.loss, oa.logLoss, oa.margin].map(bits)).toEqual(
          [ob.loss, ob.logLoss, ob.margin].map(bits),
        );
        return;
      }
      const tol = net.spec.kind === 'convolutional' ? convTol(net, n, b) : fusedTol(net, n, b);
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(tol));
      for (const k of ['loss', 'logLoss', 'margin'] as const) {
        oa[k].forEach((v, i) =>
          expect(Math.abs(v - ob[k][i]!)).toBeLessThanOrEqual(
            (net.spec.kind === 'convolutional'
              ? convTol(net, n, Float64Array.of(1)) / 4 / U
              : 4 * (n + net.inputDim)) *
              U *
              Math.max(1, Math.abs(ob[k][i]!)),
          ),
        );
      }
    });
  }
});

// Oracle: the invariant that rows never interact. B runs advanced together must equal B
// sequential runs bit for bit: a row of a batch evaluates exactly as the same row alone, with
// shared data and with per-run data, and a non-finite row changes no other row.
describe('fused field: batched rows equal sequential rows bit for bit', () => {
  const be = createCpuBackend();
  it.each(nets)('%s', (_, net) => {
    const n = 20;
    const sets = [0, 1, 2].map((s) => data(be, n, net.inputDim, 'logistic', 10 + s));
    const field = networkField({
      network: net,
      backend: be,
      ...sets[0]!,
      loss: 'logistic',
      time: 'loss-normalized',
    });
    const perRun = networkField({
      network: net,
      backend: be,
      ...sets[0]!,
      perRun: sets,
      loss: 'logistic',
      time: 'loss-normalized',
    });
    const B = 4;
    const state = states(net, B, 21);
    const dim = field.dim;
    state[2 * dim + 1] = Number.NaN;
    const runs = [2, 0, 1, 2];
    const all = field.evaluate(state, B);
    const allRuns = perRun.evaluate(state, B, runs);
    for (let r = 0; r < B; r++) {
      const row = state.slice(r * dim, (r + 1) * dim);
      expect(bits(all.subarray(r * dim, (r + 1) * dim))).toEqual(bits(field.evaluate(row, 1)));
      expect(bits(allRuns.subarray(r * dim, (r + 1) * dim))).toEqual(
        bits(perRun.evaluate(row, 1, [runs[r]!])),
      );
    }
    expect(bits(all.subarray(2 * dim, 3 * dim)).every(Number.isNaN)).toBe(true);
  });
});

// Oracle: the field's own result without a workspace. `evaluate(y, rows, runs, out)` writes
// into the caller's workspace and returns it (the engine's allocation-free hot loop), touching
// no entry past `rows·dim`, and the physical-time squared loss (one host call per group of
// rows) still evaluates a row of a batch exactly as the row alone.
describe('evaluate into a caller workspace', () => {
  const be = createCpuBackend();
  it.each([...nets.slice(1, 5), nets[6]!])('%s', (_, net) => {
    for (const fusedPath of [true, false]) {
      const set = data(be, 15, net.inputDim, 'squared', 5);
      const field = networkField({
        network: net,
        backend: be,
        ...set,
        loss: 'squared',
        time: 'physical',
        fused: fusedPath,
      });
      const dim = field.dim;
      const state = states(net, 3, 9);
      state[dim + 2] = Number.POSITIVE_INFINITY; // row 1 is not finite
      const fresh = field.evaluate(state, 3);
      const out = new Float64Array(3 * dim + 2).fill(5);
      const got = field.evaluate(state, 3, undefined, out);
      expect(got).toBe(out);
      expect(bits(out.subarray(0, 3 * dim))).toEqual(bits(fresh));
      expect([out[3 * dim], out[3 * dim + 1]]).toEqual([5, 5]);
      expect(bits(out.subarray(dim, 2 * dim)).every(Number.isNaN)).toBe(true);
      for (const r of [0, 2]) {
        const alone = field.evaluate(state.slice(r * dim, (r + 1) * dim), 1);
        expect(bits(out.subarray(r * dim, (r + 1) * dim))).toEqual(bits(alone));
      }
      // a workspace too short for the rows is not used: a new array comes back
      const short = new Float64Array(dim);
      const other = field.evaluate(state, 3, undefined, short);
      expect(other).not.toBe(short);
      expect(bits(other)).toEqual(bits(fresh));
    }
  });
});

describe('fused field with per-run data', () => {
  const be = createCpuBackend();
  const net = fullyConnected({ inputDim: 15, hidden: [6] });
  const sets = [0, 1].map((s) => data(be, 9, 15, 'squared', 40 + s));
  const state = states(net, 2, 5);

  it('a row of run b evaluates on run b data (oracle: a field built on that data alone)', () => {
    const perRun = networkField({
      network: net,
      backend: be,
      ...sets[0]!,
      perRun: sets,
      loss: 'squared',
      time: 'physical',
    });
    const got = perRun.evaluate(state, 2, [1, 0]);
    const dim = perRun.dim;
    [1, 0].forEach((run, r) => {
      const alone = networkField({
        network: net,
        backend: be,
        ...sets[run]!,
        loss: 'squared',
        time: 'physical',
      });
      const row = state.slice(r * dim, (r + 1) * dim);
      expect(bits(got.subarray(r * dim, (r + 1) * dim))).toEqual(bits(alone.evaluate(row, 1)));
    });
    expect(() => perRun.evaluate(state, 2)).toThrow(/needs the runs/);
  });

  it('the generic path stacks the data once per set of runs and frees it on change and dispose', () => {
    const spyBe = createCpuBackend();
    const own = [0, 1].map((s) => data(spyBe, 9, 15, 'squared', 40 + s));
    const concat = jest.spyOn(spyBe, 'concat');
    const dispose = jest.spyOn(spyBe, 'dispose');
    const field = networkField({
      network: net,
      backend: spyBe,
      ...own[0]!,
      perRun: own,
      loss: 'squared',
      time: 'physical',
      fused: false,
    });
    const first = field.evaluate(state, 2, [0, 1]);
    field.evaluate(state, 2, [0, 1]);
    field.observe(state, 2, [0, 1]);
    expect(concat).toHaveBeenCalledTimes(2); // X and y, once
    const swapped = field.evaluate(state, 2, [1, 0]);
    expect(concat).toHaveBeenCalledTimes(4);
    const stacks = concat.mock.results.map((r) => r.value as unknown);
    const freed = (): boolean[] => {
      const all = dispose.mock.calls.flatMap((c) => (Array.isArray(c[0]) ? c[0] : [c[0]]));
      return concat.mock.results.map((r) => all.includes(r.value as never));
    };
    expect(stacks.length).toBe(4);
    expect(freed()).toEqual([true, true, false, false]); // [0, 1] went when [1, 0] came
    field.evaluate(state, 2, [0, 1]);
    expect(freed()).toEqual([true, true, true, true, false, false]); // and back
    field.dispose();
    expect(freed()).toEqual([true, true, true, true, true, true]);
    // the cache never mixes up runs: swapping the runs swaps which data each row sees
    expect(bits(swapped)).not.toEqual(bits(first));
    expect(bits(field.evaluate(state, 2, [0, 1]))).toEqual(bits(first));
  });
});

describe('when the fused path is not taken', () => {
  const be = createCpuBackend();
  const set = data(be, 5, 8, 'squared', 1);
  const input = { ...set, loss: 'squared' as const, time: 'physical' as const };
  it('user tensor networks take the fused path too, agreeing with backend ops', () => {
    const net = tensorNetwork({
      dataTensors: Array.from({ length: 8 }, (_, j) => ({
        shape: [2, 3],
        data: Float64Array.of(j, 1, -1, 2 - j, 0.5 * j, -3),
      })),
    });
    const fused = networkField({ network: net, backend: be, ...input });
    const ops = networkField({ network: net, backend: be, ...input, fused: false });
    expect([fused.fused, ops.fused]).toEqual([true, false]);
    // Oracle: the backend-op path (betaBackend/gradBackend of tensor-network.ts), the same
    // contractions in the same order through other kernels: equal to a few ulps of the largest
    // entry (sums of at most 8 products of 3 factors here)
    const state = states(net, 2, 3);
    const a = fused.evaluate(state, 2);
    const b = ops.evaluate(state, 2);
    const scale = Math.max(...Array.from(b, Math.abs));
    a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThanOrEqual(64 * 2 ** -52 * scale));
  });
  it('backends without host access use backend ops, with the same result', () => {
    const net = diagonal({ dim: 8, depth: 2 });
    const { host: _host, ...plain } = be;
    const field = networkField({ network: net, backend: plain, ...input });
    const fused = networkField({ network: net, backend: be, ...input });
    expect([field.fused, fused.fused]).toEqual([false, true]);
    const state = states(net, 2, 9);
    expect(bits(field.evaluate(state, 2))).toEqual(bits(fused.evaluate(state, 2)));
  });
});

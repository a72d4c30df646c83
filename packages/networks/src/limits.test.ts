import {
  ImplicitBiasError,
  isImplicitBiasError,
  key,
  maxViolation,
  normal,
  split,
} from '@implicit-bias/core';
import { describeEachBackend } from '@implicit-bias/testing';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { initialize } from './initialize.js';
import { odecoInvariants } from './invariants.js';
import {
  BYTES_PER_LAYER,
  BYTES_PER_PARAMETER,
  DEFAULT_MEMORY_BUDGET,
  MEMORY_BUDGET_ENV,
  memoryBudget,
} from './limits.js';
import { network } from './network.js';
import { tensorNetwork } from './tensor-network.js';

/** The error `f` throws (fails the test when it returns). */
function thrown(f: () => unknown): ImplicitBiasError {
  try {
    f();
  } catch (e) {
    if (e instanceof ImplicitBiasError) return e;
    throw e;
  }
  throw new Error('expected an ImplicitBiasError, nothing was thrown');
}

/** The refusal names the field, the estimate, the budget and the override. */
function expectRefused(e: ImplicitBiasError, path: string): void {
  expect(isImplicitBiasError(e, 'INVALID_CONFIG')).toBe(true);
  expect(e.path).toBe(path);
  const data = e.data as { estimatedBytes: number; budgetBytes: number };
  expect(data.estimatedBytes).toBeGreaterThan(data.budgetBytes);
  expect(e.message).toMatch(
    /needs an estimated [\d.]+ \w+ .* over the memory budget of [\d.]+ \w+/,
  );
  expect(e.message).toContain(MEMORY_BUDGET_ENV);
}

describe('size limits (issue 18 item 7): refused at construction, before any allocation', () => {
  it('depth 1e9 is refused at once, naming depth (it used to abort V8 filling a 1e9 array)', () => {
    const e = thrown(() => diagonal({ dim: 1, depth: 1e9 }));
    expectRefused(e, 'depth');
    // the estimate is the documented one: 128 bytes per parameter, 4 KiB per layer
    expect(e.data!['estimatedBytes']).toBe(1e9 * (BYTES_PER_PARAMETER + BYTES_PER_LAYER));
    expect(e.data!['budgetBytes']).toBe(DEFAULT_MEMORY_BUDGET);
    expectRefused(
      thrown(() => convolutional({ dim: 3, depth: 1e9 })),
      'depth',
    );
    expectRefused(
      thrown(() => network({ kind: 'diagonal', dim: 2, depth: 1e9 })),
      'depth',
    );
  });

  it('a layer that alone cannot fit names its width field', () => {
    expectRefused(
      thrown(() => diagonal({ dim: 1e12, depth: 1 })),
      'dim',
    );
    // W_1 is 10 × 1e9: the wider width hidden[0] is at fault
    expectRefused(
      thrown(() => fullyConnected({ inputDim: 10, hidden: [1e9] })),
      'hidden[0]',
    );
    // many moderate layers: the layer list is at fault
    expectRefused(
      thrown(() => fullyConnected({ inputDim: 1000, hidden: new Array<number>(600).fill(1000) })),
      'hidden',
    );
    expectRefused(
      thrown(() =>
        tensorNetwork({
          dataTensors: [{ shape: [64, 64], data: new Float64Array(64 * 64) }],
          memoryBudget: 2 ** 16,
        }),
      ),
      'dataTensors[0].shape',
    );
  });

  it('the budget is 4 GiB unless IMPLICIT_BIAS_MEMORY_BUDGET or the memoryBudget option says otherwise', () => {
    const saved = process.env[MEMORY_BUDGET_ENV];
    try {
      delete process.env[MEMORY_BUDGET_ENV];
      expect(memoryBudget()).toBe(4 * 2 ** 30);
      process.env[MEMORY_BUDGET_ENV] = '8GiB';
      expect(memoryBudget()).toBe(8 * 2 ** 30);
      process.env[MEMORY_BUDGET_ENV] = '1000000';
      expect(memoryBudget()).toBe(1e6);
      // 1000 layers of dim 10: 1000·(10·128 + 4096) bytes ≈ 5.4 MB > 1 MB
      expectRefused(
        thrown(() => diagonal({ dim: 10, depth: 1000 })),
        'depth',
      );
      expect(diagonal({ dim: 10, depth: 1000, memoryBudget: 1e7 }).depth).toBe(1000);
      process.env[MEMORY_BUDGET_ENV] = 'lots';
      const bad = thrown(() => memoryBudget());
      expect([bad.code, bad.path]).toEqual(['INVALID_CONFIG', MEMORY_BUDGET_ENV]);
    } finally {
      if (saved === undefined) delete process.env[MEMORY_BUDGET_ENV];
      else process.env[MEMORY_BUDGET_ENV] = saved;
    }
    expect(thrown(() => diagonal({ dim: 2, depth: 2, memoryBudget: -1 })).path).toBe(
      'memoryBudget',
    );
  });

  it('initialize refuses a batch of runs that cannot fit, naming batch', () => {
    const net = diagonal({ dim: 1000, depth: 2 });
    expectRefused(
      thrown(() => initialize(net, { scheme: 'gaussian', scale: 1, seed: 0 }, 1e6)),
      'batch',
    );
  });

  it('odeco matrices are implicit: an identity is marked and formed densely only when read, within the budget', () => {
    const dec = diagonal({ dim: 1e5, depth: 3 }).odeco();
    if ('notOdeco' in dec || dec.complex) throw new Error('diagonal networks are real odeco');
    expect(dec.U.every((U) => U.identity === true)).toBe(true);
    expect(dec.S.identity).toBe(true);
    // 1e10 entries: refused with a message instead of a RangeError
    expectRefused(
      thrown(() => dec.U[0]!.data),
      'odeco().U',
    );
    // a small one reads as the dense identity
    const small = diagonal({ dim: 3, depth: 2 }).odeco();
    if ('notOdeco' in small || small.complex) throw new Error('diagonal networks are real odeco');
    expect(Array.from(small.U[1]!.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // a full convolution's DFT matrices are formed lazily too
    const conv = convolutional({ dim: 1e5, depth: 2 }).odeco();
    if ('notOdeco' in conv || !conv.complex) throw new Error('full convolutions are complex odeco');
    expectRefused(
      thrown(() => conv.S.re),
      'odeco()',
    );
  });
});

// Oracle: the closed form of the diagonal network, f(x) = Σ_j x_j Π_l v_{l,j} and
// ∂f/∂v_l = x ⊙ Π_{m≠l} v_m, so the gradient at residuals r is u ⊙ Π_{m≠l} v_m with
// u = Σ_i r_i x_i (docs/theory/tensor-formulation.md–2), evaluated in float64 on the host.
describeEachBackend(
  'a diagonal network of d = 1e5 features (never forms d²)',
  ({ backend, tol }) => {
    const d = 1e5;
    const n = 3;
    const L = 3;

    it('constructs, initializes (odeco scheme), has invariants, and its forward and gradient match the closed form', () => {
      const be = backend();
      const net = diagonal({ dim: d, depth: L });
      // the theorem's initialization: |v_{l,j}| = α for l < L, v_L = 0 (U_l = I, never formed)
      const init = initialize(net, { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 1 })[0]!;
      expect(init[0]!.every((v) => Math.abs(v) === 0.5)).toBe(true);
      expect(init[L - 1]!.every((v) => v === 0)).toBe(true);
      const inv = odecoInvariants(net, init)!;
      expect(inv.length).toBe((L - 1) * d);
      expect(inv.every((v) => v === 0.25)).toBe(true);

      const [kp, kx, kr] = split(key(7), 3);
      const params = split(kp!, L).map((k) => normal(k, d));
      const X = normal(kx!, n * d);
      const r = normal(kr!, n);
      const onBe = params.map((v) => be.fromHost(v, [1, d]));
      const Xb = be.fromHost(X, [n, d]);
      const f = be.toHostSync(net.forward(be, onBe, Xb));
      const grads = net.gradient(be, onBe, Xb, be.fromHost(r, [1, n])).map((g) => be.toHostSync(g));

      const fClosed = new Float64Array(n);
      const u = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          let p = X[i * d + j]!;
          for (let l = 0; l < L; l++) p *= params[l]![j]!;
          fClosed[i]! += p;
          u[j]! += r[i]! * X[i * d + j]!;
        }
      }
      // a sum of d products of L + 1 factors: the worst-case rounding bound of such a sum is
      // relative to Σ_j |terms| (Higham's γ_{d+L}), hence tol(d + L) on that scale
      const fTol = tol(d + L);
      for (let i = 0; i < n; i++) {
        let scale = 0;
        for (let j = 0; j < d; j++) {
          scale += Math.abs(X[i * d + j]! * params[0]![j]! * params[1]![j]! * params[2]![j]!);
        }
        expect(Math.abs(f[i]! - fClosed[i]!)).toBeLessThanOrEqual(fTol.rtol * scale);
      }
      for (let l = 0; l < L; l++) {
        const closed = u.map((uj, j) => {
          let p = uj;
          for (let m = 0; m < L; m++) if (m !== l) p *= params[m]![j]!;
          return p;
        });
        expect(grads[l]!.length).toBe(d);
        expect(maxViolation(grads[l]!, closed, tol(n + L + 4))).toBeLessThanOrEqual(1);
      }
    }, 120_000);
  },
);

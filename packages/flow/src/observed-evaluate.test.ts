import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import type { NetworkField, NetworkFieldInput, networkField } from './network-field.js';
import type { ObservationRows } from './observed-evaluate.js';
import { solveFlow } from './solve-flow.js';
import { fingerprint } from './testing/fingerprint.js';

// The engine's use of a field that observes the points it evaluates (`evaluateObserved`, see
// observed-evaluate.ts). The field of these solves is the real one, wrapped: it counts `observe`
// calls and, with `mockField.byProduct`, offers `evaluateObserved` as `evaluate` followed by
// `observe` of the same rows, so that a by-product field's contract (the values `observe` gives,
// bit for bit) holds by construction. Oracle of every test: the same solve through the plain
// field, which observes every accepted point with `observe`.
const mockField = { byProduct: false, observeCalls: 0, byProductCalls: 0 };
jest.mock('./network-field.js', () => {
  const actual = jest.requireActual<{ networkField: typeof networkField }>('./network-field.js');
  return {
    ...actual,
    networkField: (input: NetworkFieldInput): NetworkField => {
      // the field without an evaluateObserved of its own (the plain path observes every point)
      const { evaluateObserved: _own, ...f } = actual.networkField(input) as NetworkField & {
        evaluateObserved?: unknown;
      };
      const counted: NetworkField = {
        ...f,
        observe(state, rows, runs) {
          mockField.observeCalls += 1;
          return f.observe(state, rows, runs);
        },
      };
      if (!mockField.byProduct) return counted;
      return Object.assign(counted, {
        evaluateObserved(
          state: Float64Array,
          rows: number,
          runs: readonly number[] | undefined,
          obs: ObservationRows,
        ): Float64Array {
          mockField.byProductCalls += 1;
          const out = f.evaluate(state, rows, runs);
          const o = f.observe(state, rows, runs);
          obs.loss.set(o.loss);
          obs.logLoss.set(o.logLoss);
          obs.margin.set(o.margin);
          return out;
        },
      });
    },
  };
});

const be = createCpuBackend();

function regression(batch: number, scale = 0.3): FlowProblem {
  const n = 4;
  const d = 6;
  const [kx, ky] = split(key(21), 2);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  const network = diagonal({ dim: d, depth: 2 });
  const init = initialize(network, { scheme: 'gaussian', scale, seed: 3 }, batch);
  return { network, X, y: Array.from(normal(ky!, n)), loss: 'squared', init, backend: be };
}

function classification(batch: number): FlowProblem {
  const network = diagonal({ dim: 3, depth: 2 });
  return {
    network,
    X: [
      [1, 0.2, -0.4],
      [-0.3, 1, 0.5],
      [0.6, -0.7, 1],
      [-1, -0.1, 0.3],
    ],
    y: [1, 1, -1, -1],
    loss: 'logistic',
    init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 2 }, batch),
    backend: be,
  };
}

async function both(
  p: FlowProblem,
  o: FlowOptions,
): Promise<{ plain: FlowSolution; observed: FlowSolution; calls: typeof mockField }> {
  mockField.byProduct = false;
  const plain = await solveFlow(p, o);
  mockField.byProduct = true;
  mockField.observeCalls = 0;
  mockField.byProductCalls = 0;
  const observed = await solveFlow(p, o);
  const calls = { ...mockField };
  mockField.byProduct = false;
  return { plain, observed, calls };
}

describe('a field that observes the points it evaluates', () => {
  it('gd: the solve equals the one that observes every point, bit for bit, without one observe call', async () => {
    const { plain, observed, calls } = await both(regression(8), {
      method: 'gd',
      stepSize: 1e-2,
      until: { steps: 40 },
      save: { count: 4 },
    });
    expect(fingerprint(observed)).toBe(fingerprint(plain));
    expect(observed.status).toBe('converged');
    // the initial points and every accepted point observed by the evaluation of F there
    expect(calls.observeCalls).toBe(0);
    expect(calls.byProductCalls).toBe(1 + 40);
  });

  it('gd beyond its stability limit: the loss overflow ends the runs at the same step, with the same message', async () => {
    const { plain, observed } = await both(regression(3, 3), {
      method: 'gd',
      stepSize: 2,
      until: { steps: 400 },
    });
    expect(plain.runs.map((r) => r.status)).toEqual(['non-finite', 'non-finite', 'non-finite']);
    // the overflow that only the loss shows (the state and the gradient are still finite)
    expect(plain.runs.every((r) => r.message?.includes('the squared loss overflows'))).toBe(true);
    expect(fingerprint(observed)).toBe(fingerprint(plain));
  });

  it('gd with a loss target: the located crossing (trial steps observed as evaluated) equals the plain one', async () => {
    const { plain, observed, calls } = await both(regression(4), {
      method: 'gd',
      stepSize: 1e-2,
      until: { loss: 0.05, steps: 5000 },
      save: { count: 6, losses: [0.2] },
    });
    expect(plain.runs.map((r) => [r.status, r.stoppedBy])).toEqual(
      Array.from({ length: 4 }, () => ['converged', 'loss']),
    );
    expect(plain.saved.every((s) => s.some((x) => x.savedFor?.value === 0.2))).toBe(true);
    expect(fingerprint(observed)).toBe(fingerprint(plain));
    expect(calls.observeCalls).toBe(0);
  });

  it('dopri5 (F at the new point from the step itself) and rk4: equal to the plain solve', async () => {
    for (const o of [
      { method: 'dopri5', rtol: 1e-8, until: { margin: 2 }, save: { margins: [1] } },
      { method: 'rk4', stepSize: 0.05, until: { margin: 2, steps: 20000 } },
    ] as const) {
      const { plain, observed } = await both(classification(3), o);
      expect(plain.runs.every((r) => r.stoppedBy === 'margin')).toBe(true);
      expect(fingerprint(observed)).toBe(fingerprint(plain));
    }
  });

  it('batched runs equal sequential runs bit for bit with the by-product', async () => {
    const p = regression(4);
    const o: FlowOptions = { method: 'gd', stepSize: 1e-2, until: { steps: 25 } };
    mockField.byProduct = true;
    try {
      const batched = await solveFlow(p, o);
      for (let b = 0; b < 4; b++) {
        const single = await solveFlow({ ...p, init: [p.init[b]!] }, o);
        expect(batched.runs[b]!.params.map((v) => Array.from(v))).toEqual(
          single.runs[0]!.params.map((v) => Array.from(v)),
        );
        expect(Object.is(batched.runs[b]!.loss, single.runs[0]!.loss)).toBe(true);
      }
    } finally {
      mockField.byProduct = false;
    }
  });
});

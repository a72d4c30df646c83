import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import { startFlow } from './flow-run.js';
import type { FlowOptions, FlowProblem, FlowSolution } from './flow-types.js';
import { solveFlow } from './solve-flow.js';
import type { StatePool } from './state-pool.js';
import { fingerprint } from './testing/fingerprint.js';

// The engine's reuse of state buffers (state-pool.ts). Oracle of every test: the same solve with
// the pool switched off (`mockPool.off`: every step allocates its states, as before the pool),
// compared bit for bit, in cases where a buffer reused too early would show: runs that stop
// (and keep their final point) while others go on, event searches that return to a base point,
// rejected steps, non-finite runs, and solutions taken between chunks.
const mockPool = { off: false, taken: 0 };
jest.mock('./state-pool.js', () => {
  const actual = jest.requireActual<{ StatePool: typeof StatePool }>('./state-pool.js');
  return {
    StatePool: {
      for: (...args: Parameters<typeof StatePool.for>) => {
        if (mockPool.off) return undefined;
        const pool = actual.StatePool.for(...args);
        if (pool === undefined) return undefined;
        return {
          take: (length: number) => {
            const b = pool.take(length);
            if (b !== undefined) mockPool.taken += 1;
            return b;
          },
        };
      },
    },
  };
});

const be = createCpuBackend();

function regression(scales: readonly number[]): FlowProblem {
  const n = 4;
  const d = 6;
  const [kx, ky] = split(key(33), 2);
  const xs = normal(kx!, n * d);
  const X = Array.from({ length: n }, (_, i) => Array.from(xs.subarray(i * d, (i + 1) * d)));
  const network = diagonal({ dim: d, depth: 2 });
  const init = scales.map(
    (scale, b) => initialize(network, { scheme: 'gaussian', scale, seed: 10 + b })[0]!,
  );
  return { network, X, y: Array.from(normal(ky!, n)), loss: 'squared', init, backend: be };
}

function classification(runs: number): FlowProblem {
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
    init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 5 }, runs),
    backend: be,
  };
}

async function pooledAndNot(p: FlowProblem, o: FlowOptions): Promise<[FlowSolution, FlowSolution]> {
  mockPool.off = true;
  const plain = await solveFlow(p, o);
  mockPool.off = false;
  mockPool.taken = 0;
  const pooled = await solveFlow(p, o);
  return [pooled, plain];
}

describe('state buffers reused across steps', () => {
  it('gd: runs that reach a located loss target at different steps keep their final points', async () => {
    const [pooled, plain] = await pooledAndNot(regression([0.1, 0.3, 0.6, 0.9, 0.2]), {
      method: 'gd',
      stepSize: 2e-2,
      until: { loss: 1e-3, steps: 20000 },
      save: { count: 5, losses: [0.1] },
    });
    expect(plain.runs.map((r) => r.stoppedBy)).toEqual(Array(5).fill('loss'));
    expect(new Set(plain.runs.map((r) => r.steps)).size).toBeGreaterThan(1);
    expect(mockPool.taken).toBeGreaterThan(10);
    expect(fingerprint(pooled)).toBe(fingerprint(plain));
  });

  it('gd: a run that turns non-finite keeps its last point while the others go on', async () => {
    const [pooled, plain] = await pooledAndNot(regression([0.2, 3, 0.3]), {
      method: 'gd',
      stepSize: 0.1,
      until: { steps: 60 },
    });
    expect(plain.runs.map((r) => r.status)).toEqual(['converged', 'non-finite', 'converged']);
    expect(fingerprint(pooled)).toBe(fingerprint(plain));
  });

  it('dopri5 with rejected steps, located margin targets and save levels; rk4 with events', async () => {
    for (const o of [
      { method: 'dopri5', rtol: 1e-9, until: { margin: 3 }, save: { margins: [0.5, 1] } },
      {
        method: 'rk4',
        stepSize: 0.05,
        until: { steps: 3000 },
        events: [{ name: 'm1', on: 'margin', value: 1 }],
      },
    ] as const) {
      const [pooled, plain] = await pooledAndNot(classification(3), o);
      if (o.method === 'dopri5') expect(plain.stats.rejected).toBeGreaterThan(0);
      expect(plain.events.flat().length + plain.saved.flat().length).toBeGreaterThan(0);
      expect(fingerprint(pooled)).toBe(fingerprint(plain));
    }
  });

  it('a solution taken between chunks does not change as the run goes on', async () => {
    const p = regression([0.3, 0.5]);
    const o: FlowOptions = { method: 'gd', stepSize: 1e-2, until: { steps: 40 } };
    mockPool.off = false;
    const run = startFlow(p, o);
    run.advance({ steps: 10 });
    const early = run.solution();
    const before = fingerprint(early);
    run.advance();
    expect(fingerprint(early)).toBe(before);
    mockPool.off = true;
    const plain = startFlow(p, o);
    plain.advance({ steps: 10 });
    expect(before).toBe(fingerprint(plain.solution()));
    plain.dispose();
    mockPool.off = false;
  });
});

import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import { integrate } from './integrate.js';
import { resumeFlow, solveFlow } from './solve-flow.js';
import type { VectorField } from './vector-field.js';

// radau5 keeps its Jacobian across steps (Hairer's RADAU5 / scipy's Radau reuse rule) and solves
// the Newton system through the real + complex split (radau5-linear.ts).

/** y' = K·y for a fixed stiff K (eigenvalues −1, −10, −1000 after a rotation), with its exact Jacobian. */
function linearField(): { field: VectorField; K: number[][] } {
  const K = [
    [-1, 0.5, 0],
    [0, -10, 3],
    [0, 0, -1000],
  ];
  const field: VectorField = {
    dim: 3,
    evaluate(y, rows) {
      const out = new Float64Array(rows * 3);
      for (let r = 0; r < rows; r++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) out[r * 3 + i]! += K[i]![j]! * y[r * 3 + j]!;
      return out;
    },
    jacobian(_y, rows) {
      const out = new Float64Array(rows * 9);
      for (let r = 0; r < rows; r++) out.set(K.flat(), r * 9);
      return out;
    },
  };
  return { field, K };
}

/** exp(tK)·y0 for the upper-triangular K above, in closed form (distinct eigenvalues). */
function exactLinear(t: number, y0: number[]): number[] {
  const [a, b, c] = [-1, -10, -1000];
  const e = (x: number) => Math.exp(x * t);
  // solve back to front: z3 = c3 e^{ct}; z2' = b z2 + 3 z3; z1' = a z1 + 0.5 z2
  const z3 = y0[2]! * e(c);
  const k23 = (3 * y0[2]!) / (c - b);
  const z2 = (y0[1]! - k23) * e(b) + k23 * e(c);
  const k12 = (0.5 * (y0[1]! - k23)) / (b - a);
  const k13 = (0.5 * k23) / (c - a);
  const z1 = (y0[0]! - k12 - k13) * e(a) + k12 * e(b) + k13 * e(c);
  return [z1, z2, z3];
}

describe('radau5 Jacobian reuse', () => {
  it('a linear stiff ODE needs exactly one Jacobian and matches exp(tK)·y0 (oracle: closed form)', () => {
    const { field } = linearField();
    const y0 = [1, -2, 3];
    const res = integrate(field, [Float64Array.from(y0)], {
      method: 'radau5',
      tEnd: 2,
      rtol: 1e-10,
      atol: 1e-12,
    });
    expect(res.status[0]).toBe('ok');
    // J is constant: simplified Newton is exact after one iteration, so it is never refreshed
    expect(res.stats[0]!.jacobianEvals).toBe(1);
    expect(res.stats[0]!.accepted).toBeGreaterThan(5);
    const want = exactLinear(2, y0);
    for (let i = 0; i < 3; i++)
      expect(Math.abs(res.y[0]![i]! - want[i]!)).toBeLessThanOrEqual(1e-8 * Math.abs(want[0]!));
  });

  it('a nonlinear ODE refreshes J only now and then and stays accurate (oracle: y = 1/√(2t + 1/y0²) for y′ = −y³)', () => {
    const field: VectorField = {
      dim: 1,
      evaluate: (y, rows) => Float64Array.from({ length: rows }, (_, r) => -(y[r]! ** 3)),
      jacobian: (y, rows) => Float64Array.from({ length: rows }, (_, r) => -3 * y[r]! ** 2),
    };
    const res = integrate(field, [Float64Array.of(10)], {
      method: 'radau5',
      tEnd: 50,
      rtol: 1e-10,
      atol: 1e-14,
    });
    const want = 1 / Math.sqrt(100 + 1 / 100);
    expect(Math.abs(res.y[0]![0]! - want) / want).toBeLessThanOrEqual(1e-8);
    const s = res.stats[0]!;
    expect(s.jacobianEvals).toBeGreaterThanOrEqual(1);
    expect(s.jacobianEvals).toBeLessThan(s.accepted / 2);
  });

  it('a checkpoint keeps the point of the kept Jacobian, so resuming is bit for bit the uninterrupted solve with the same counters (oracle: the uninterrupted solve)', async () => {
    const be = createCpuBackend();
    const network = diagonal({ dim: 4, depth: 2 });
    const X = [
      [1, 0.5, -0.2, 0.1],
      [-0.3, 1, 0.4, -0.5],
      [0.2, -0.1, 1, 0.3],
      [0.6, 0.2, -0.4, 1],
      [-1, 0.3, 0.2, 0.1],
    ];
    const y = [1, 1, -1, 1, -1];
    const problem = {
      network,
      X,
      y,
      loss: 'exponential' as const,
      init: initialize(network, { scheme: 'gaussian', scale: 0.5, seed: 2 }),
      backend: be,
    };
    const base = { method: 'radau5', rtol: 1e-9, time: 'loss-normalized' } as const;
    const whole = await solveFlow(problem, { ...base, until: { margin: 1e6 } });
    const first = await solveFlow(problem, { ...base, until: { steps: 200 } });
    const cp = JSON.parse(JSON.stringify(first.checkpoint())) as ReturnType<
      typeof first.checkpoint
    >;
    expect(cp.runs[0]!.jacAt).toHaveLength(network.paramSizes.reduce((a, b) => a + b, 0));
    const rest = await resumeFlow(problem, cp, { ...base, until: { margin: 1e6 } });
    expect(Array.from(rest.runs[0]!.params.flatMap((p) => Array.from(p)))).toEqual(
      Array.from(whole.runs[0]!.params.flatMap((p) => Array.from(p))),
    );
    expect(rest.stats.jacobianEvals).toBe(whole.stats.jacobianEvals);
    expect(rest.stats.fieldEvals).toBe(whole.stats.fieldEvals);
    // reuse: far fewer Jacobians than steps
    expect(whole.stats.jacobianEvals).toBeLessThan(whole.stats.accepted / 4);
  });
});

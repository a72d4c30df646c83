import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, relativeDistance } from '@implicit-bias/core';
import { diagonal, fullyConnected } from '@implicit-bias/networks';
import { solveFlow } from './solve-flow.js';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { linearRegressionClosedForm } from './testing/closed-forms.js';

const be = createCpuBackend();

const X1 = [
  [1, 0.5, -0.3, 0.2],
  [0.1, -1, 0.4, 0.7],
  [0.6, 0.2, 1.1, -0.5],
];
const y1 = [0.7, -0.4, 1.3];
const b0 = [0.1, -0.2, 0.05, 0.3];

describe('solveFlow', () => {
  it.each(['dopri5', 'rodas4', 'auto'] as const)(
    'depth-1 squared loss with %s matches the closed form β(t) from the matrix exponential',
    async (method) => {
      const net = diagonal({ dim: 4, depth: 1 });
      const sol = await solveFlow(
        {
          network: net,
          X: X1,
          y: y1,
          loss: 'squared',
          init: [[Float64Array.from(b0)]],
          backend: be,
        },
        { method, rtol: 1e-11, atol: 1e-14, until: { time: 2 } },
      );
      expect(sol.status).toBe('converged');
      expect(sol.runs[0]!.time).toBe(2);
      const exact = linearRegressionClosedForm(X1, y1, b0, 2);
      expect(relativeDistance(sol.runs[0]!.beta, exact)).toBeLessThan(1e-9);
    },
  );
  it('options.errorScale is honoured: componentwise and norm control both match the closed form β(t), with different step sequences', async () => {
    const net = diagonal({ dim: 4, depth: 1 });
    // one parameter starts 1e6 times smaller than the rest: componentwise control resolves it
    // relative to itself, norm control relative to the whole state
    const problem: FlowProblem = {
      network: net,
      X: X1,
      y: y1,
      loss: 'squared',
      init: [[Float64Array.from([0.1, -0.2, 1e-7, 0.3])]],
      backend: be,
    };
    const exact = linearRegressionClosedForm(X1, y1, [0.1, -0.2, 1e-7, 0.3], 2);
    const steps: number[] = [];
    for (const errorScale of ['componentwise', 'norm'] as const) {
      const sol = await solveFlow(problem, {
        method: 'dopri5',
        rtol: 1e-10,
        atol: 1e-14,
        errorScale,
        until: { time: 2 },
      });
      expect(relativeDistance(sol.runs[0]!.beta, exact)).toBeLessThan(1e-8);
      steps.push(sol.stats.accepted + sol.stats.rejected);
    }
    expect(steps[0]).not.toBe(steps[1]);
  });
  it('gd with step η is Θ ← Θ − η∇𝓛 exactly (closed form: (I − ηXᵀX)^k recursion on the host)', async () => {
    const net = diagonal({ dim: 4, depth: 1 });
    const eta = 0.05;
    const steps = 37;
    const sol = await solveFlow(
      { network: net, X: X1, y: y1, loss: 'squared', init: [[Float64Array.from(b0)]], backend: be },
      { method: 'gd', stepSize: eta, until: { steps } },
    );
    let beta = Float64Array.from(b0);
    for (let k = 0; k < steps; k++) {
      const r = y1.map((yi, i) => yi - X1[i]!.reduce((s, v, j) => s + v * beta[j]!, 0));
      const g = beta.map((_, j) => X1.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
      beta = beta.map((b, j) => b + eta * g[j]!);
    }
    expect(sol.runs[0]!.steps).toBe(steps);
    expect(relativeDistance(sol.runs[0]!.beta, beta)).toBeLessThan(1e-14);
  });
});

describe('solveFlow input validation (errors name the field)', () => {
  const net = diagonal({ dim: 2, depth: 2 });
  const good: FlowProblem = {
    network: net,
    X: [
      [1, 0],
      [0, 1],
    ],
    y: [1, -1],
    loss: 'exponential',
    init: [[Float64Array.from([1, 1]), Float64Array.from([1, 1])]],
    backend: be,
  };
  const opts: FlowOptions = { until: { time: 1 } };
  const cases: [string, Partial<FlowProblem>, Partial<FlowOptions>, string][] = [
    ['label 0.5 for a classification loss', { y: [1, 0.5] }, {}, 'y[1]'],
    ['NaN label', { y: [Number.NaN, 1] }, {}, 'y[0]'],
    ['too few labels', { y: [1] }, {}, 'y'],
    ['X with the wrong width', { X: [[1, 2, 3]], y: [1] }, {}, 'X'],
    ['ragged X', { X: [[1, 2], [3]] }, {}, 'X'],
    ['init with a missing layer', { init: [[Float64Array.from([1, 1])]] }, {}, 'init[0]'],
    [
      'init layer of the wrong size',
      { init: [[Float64Array.from([1, 1]), Float64Array.from([1])]] },
      {},
      'init[0][1]',
    ],
    [
      'non-finite init',
      { init: [[Float64Array.from([1, Infinity]), Float64Array.from([1, 1])]] },
      {},
      'init[0][0]',
    ],
    ['unknown loss', { loss: 'hinge' as FlowProblem['loss'] }, {}, 'loss'],
    ['negative rtol', {}, { rtol: -1 }, 'options.rtol'],
    ['zero atol', {}, { atol: 0 }, 'options.atol'],
    [
      'unknown method',
      {},
      { method: 'euler' as NonNullable<FlowOptions['method']> },
      'options.method',
    ],
    ['gd without a step size', {}, { method: 'gd' }, 'options.stepSize'],
    ['no stop condition', {}, { until: {} }, 'options.until'],
    ['negative until.time', {}, { until: { time: -1 } }, 'options.until.time'],
    ['decreasing save times', {}, { save: { times: [1, 0.5] } }, 'options.save.times[1]'],
    ['clock that is not a function', {}, { clock: 5 as unknown as () => number }, 'options.clock'],
    ['bad time scale', {}, { time: 'fast' as NonNullable<FlowOptions['time']> }, 'options.time'],
  ];
  it.each(cases)('%s', async (_title, pp, oo, path) => {
    const err = await solveFlow({ ...good, ...pp }, { ...opts, ...oo }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err)).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
  });
  it('margin stop with squared loss is rejected', async () => {
    const fc = fullyConnected({ inputDim: 2, hidden: [2] });
    await expect(
      solveFlow(
        {
          ...good,
          network: fc,
          loss: 'squared',
          init: [[new Float64Array(4), new Float64Array(2)]],
        },
        { until: { margin: 1 } },
      ),
    ).rejects.toMatchObject({ path: 'options.until.margin' });
  });
});

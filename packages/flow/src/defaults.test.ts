import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { EPSILON, relativeDistance, tolerance } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import { describeBackend, nodePlugins } from '@implicit-bias/testing';
import { defaultTolerances, FLOW_DEFAULTS } from './defaults.js';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { solveFlow } from './solve-flow.js';

const net = diagonal({ dim: 6, depth: 2 });
const problem: Omit<FlowProblem, 'backend'> = {
  network: net,
  X: [
    [1, 0.5, -1, 2, 0, 0.3],
    [0, 1, 1, -0.5, 1, -1],
    [2, -1, 0.5, 0, -1, 1],
  ],
  y: [1, -0.5, 0.25],
  loss: 'squared',
  init: initialize(net, { scheme: 'gaussian', scale: 0.5, seed: 3 }),
};
const until: FlowOptions['until'] = { loss: 1e-8, time: 1e4 };
const bits = (s: { runs: { params: Float64Array[] }[] }): number[] =>
  s.runs[0]!.params.flatMap((v) => Array.from(v));

describe('tolerances by precision (defaults.ts)', () => {
  it('float64 defaults are rtol 1e-8, atol 1e-12, locateTol 1e-12; float32 ones stay above 10·ε32', () => {
    expect(defaultTolerances('float64')).toMatchObject({
      rtol: 1e-8,
      atol: 1e-12,
      locateTol: 1e-12,
    });
    const f32 = defaultTolerances('float32');
    expect(f32).toMatchObject({ rtol: 1e-5, atol: 1e-8, locateTol: 1e-6 });
    expect(f32.minRtol).toBe(10 * EPSILON.float32);
    expect(f32.rtol).toBeGreaterThan(f32.minRtol);
    expect(FLOW_DEFAULTS.maxSteps).toBe(1_000_000);
  });

  it('on cpu (float64) a solve without rtol/atol is the solve with the float64 defaults, bit for bit, and warns about nothing', async () => {
    const be = createCpuBackend();
    const warnings: string[] = [];
    const dflt = await solveFlow(
      { ...problem, backend: be },
      { until, onWarning: (m) => warnings.push(m) },
    );
    const explicit = await solveFlow(
      { ...problem, backend: be },
      { until, rtol: 1e-8, atol: 1e-12, onWarning: (m) => warnings.push(m) },
    );
    expect(bits(dflt)).toEqual(bits(explicit));
    expect(dflt.stats.accepted).toBe(explicit.stats.accepted);
    expect(warnings).toEqual([]);
  });

  it('on cpu an rtol below 10·ε64 warns once, naming the backend, its precision and the smallest sensible rtol', async () => {
    const warnings: string[] = [];
    await solveFlow(
      { ...problem, backend: createCpuBackend() },
      { until: { steps: 3 }, rtol: 1e-16, onWarning: (m) => warnings.push(m) },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/options\.rtol = 1e-16/);
    expect(warnings[0]).toMatch(/float64 backend 'cpu'/);
    expect(warnings[0]).toMatch(/2\.2e-15/);
  });

  it('without onWarning the warning goes to process.emitWarning', async () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      await solveFlow(
        { ...problem, backend: createCpuBackend() },
        { until: { steps: 2 }, rtol: 1e-17 },
      );
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toMatch(/smallest sensible rtol/);
    } finally {
      spy.mockRestore();
    }
  });

  const tfjs = nodePlugins().find((p) => p.id === 'tfjs-cpu')!;
  describeBackend(tfjs, 'float32 defaults', ({ backend }) => {
    it('a solve without rtol/atol uses rtol 1e-5, atol 1e-8 (bit for bit) and reaches the float64 answer to float32 accuracy', async () => {
      const be = backend();
      expect(be.precision).toBe('float32');
      const warnings: string[] = [];
      const onWarning = (m: string): number => warnings.push(m);
      const dflt = await solveFlow({ ...problem, backend: be }, { until, onWarning });
      const explicit = await solveFlow(
        { ...problem, backend: be },
        { until, rtol: 1e-5, atol: 1e-8, onWarning },
      );
      expect(warnings).toEqual([]);
      expect(dflt.status).toBe('converged');
      expect(bits(dflt)).toEqual(bits(explicit));
      // oracle: the same solve in float64 on cpu at tight tolerances
      const ref = await solveFlow(
        { ...problem, backend: createCpuBackend() },
        { until, rtol: 1e-10, atol: 1e-14 },
      );
      expect(relativeDistance(dflt.runs[0]!.beta, ref.runs[0]!.beta)).toBeLessThan(
        tolerance('float32', 1000).rtol,
      );
    });

    it('an rtol below 10·ε32 is kept (more steps than the default) and warned about once per solve', async () => {
      const be = backend();
      const warnings: string[] = [];
      const opts: FlowOptions = {
        until: { steps: 400 },
        rtol: 1e-10,
        atol: 1e-12,
        onWarning: (m) => warnings.push(m),
      };
      const tight = await solveFlow({ ...problem, backend: be }, opts);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/options\.rtol = 1e-10/);
      expect(warnings[0]).toMatch(/float32 backend 'tfjs-cpu'/);
      expect(warnings[0]).toMatch(/smallest sensible rtol is 1\.2e-6/);
      const dflt = await solveFlow({ ...problem, backend: be }, { until: { steps: 400 } });
      // the user's rtol was not replaced: the run advances far less per step
      expect(tight.runs[0]!.time).toBeLessThan(dflt.runs[0]!.time);
    });
  });
});

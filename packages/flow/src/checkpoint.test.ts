import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError } from '@implicit-bias/core';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import type { FlowOptions, FlowProblem } from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

// Issue 18, item 6 (flow side): a malformed checkpoint is refused, naming the field.
const network = diagonal({ dim: 3, depth: 2 });
const problem: FlowProblem = {
  network,
  X: [
    [1, 0.2, -0.4],
    [-0.3, 1, 0.5],
    [0.6, -0.7, 1],
  ],
  y: [1, 1, -1],
  loss: 'logistic',
  init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed: 2 }),
  backend: createCpuBackend(),
};
const opts: FlowOptions = {
  method: 'radau5',
  rtol: 1e-9,
  time: 'loss-normalized',
  until: { margin: 30 },
};

type Json = Record<string, unknown>;

/** A checkpoint taken during an event search (so `locate` and `cont` are present). */
async function checkpointJson(): Promise<Json> {
  let ticks = 0;
  const chunked: FlowOptions = { ...opts, until: { margin: 30, wallMs: 3 }, clock: () => ticks++ };
  let sol = await solveFlow(problem, chunked);
  for (let i = 0; i < 5000 && sol.status === 'time-limit'; i++) {
    const cp = sol.checkpoint();
    if (cp.runs[0]!.locate != null) return JSON.parse(JSON.stringify(cp)) as Json;
    sol = await resumeFlow(problem, cp, chunked);
  }
  throw new Error('no checkpoint inside an event search');
}

const run0 = (c: Json): Json => (c.runs as Json[])[0]!;

const damages: [string, (c: Json) => void, string][] = [
  ['a missing step size', (c) => delete run0(c).h, 'checkpoint.runs[0].h'],
  ['a NaN time', (c) => (run0(c).t = Number.NaN), 'checkpoint.runs[0].t'],
  ['a state of the wrong length', (c) => (run0(c).y as number[]).pop(), 'checkpoint.runs[0].y'],
  [
    'a null entry in the state',
    (c) => ((run0(c).y as unknown[])[1] = null),
    'checkpoint.runs[0].y',
  ],
  ['a NaN in the field', (c) => ((run0(c).f as number[])[0] = Number.NaN), 'checkpoint.runs[0].f'],
  ['an unknown stepper', (c) => (run0(c).stepper = 'euler'), 'checkpoint.runs[0].stepper'],
  ['an unknown status', (c) => (run0(c).status = 'done'), 'checkpoint.runs[0].status'],
  ['a fractional step count', (c) => (run0(c).accepted = 1.5), 'checkpoint.runs[0].accepted'],
  ['a negative gMax', (c) => (run0(c).gMax = -1), 'checkpoint.runs[0].gMax'],
  [
    'invariants that are not an array',
    (c) => (run0(c).layerInv0 = 3),
    'checkpoint.runs[0].layerInv0',
  ],
  [
    'a truncated radau5 continuation',
    (c) => (run0(c).cont as number[]).pop(),
    'checkpoint.runs[0].cont',
  ],
  ['a missing save ratio', (c) => delete run0(c).saveRatio, 'checkpoint.runs[0].saveRatio'],
  [
    'an event search with a short base state',
    (c) => (((run0(c).locate as Json).base as Json).y = [1]),
    'checkpoint.runs[0].locate.base.y',
  ],
  [
    'an event search with a NaN bracket',
    (c) => ((run0(c).locate as Json).hHi = null),
    'checkpoint.runs[0].locate.hHi',
  ],
  [
    'an unknown event',
    (c) => ((run0(c).locate as Json).reason = 'time'),
    'checkpoint.runs[0].locate.reason',
  ],
  ['a run that is not an object', (c) => ((c.runs as unknown[])[0] = 7), 'checkpoint.runs[0]'],
  ['an unknown method', (c) => (c.method = 'euler'), 'checkpoint.method'],
  ['a missing wall time', (c) => delete c.wallMs, 'checkpoint.wallMs'],
  ['another format', (c) => (c.format = 'zip'), 'checkpoint.format'],
];

describe('resumeFlow refuses malformed checkpoints (issue 18, item 6)', () => {
  let good: Json;
  beforeAll(async () => {
    good = await checkpointJson();
  });

  it('the undamaged checkpoint resumes (control)', async () => {
    const sol = await resumeFlow(problem, good as unknown as FlowCheckpoint, opts);
    expect(sol.status).toBe('converged');
  });

  it.each(damages)('%s: INVALID_DATA naming the field', async (_t, damage, path) => {
    const c = JSON.parse(JSON.stringify(good)) as Json;
    damage(c);
    const err = await resumeFlow(problem, c as unknown as FlowCheckpoint, opts).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'INVALID_DATA')).toBe(true);
    expect((err as { path?: string }).path).toBe(path);
    expect((err as Error).message).toMatch(/damaged/);
  });

  it('a checkpoint of another problem (other run count) is INVALID_CONFIG naming checkpoint.runs', async () => {
    const err = await resumeFlow(
      { ...problem, init: [...problem.init, ...problem.init] },
      good as unknown as FlowCheckpoint,
      opts,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isImplicitBiasError(err, 'INVALID_CONFIG')).toBe(true);
    expect((err as { path?: string }).path).toBe('checkpoint.runs');
  });
});

describe('a checkpoint of a long run with few snapshots', () => {
  // The log-spaced schedule squares its ratio at every thinning; with save.count 2 it used to
  // overflow to Infinity, which the checkpoint validation refused (and JSON cannot carry).
  // Oracle: the uninterrupted solve.
  it('save.count 2 over many decades of time: the JSON checkpoint resumes to the uninterrupted result', async () => {
    // a regression that converges early, so the adaptive steps grow and cross many decades
    const reg: FlowProblem = { ...problem, loss: 'squared', y: [1, 0.5, -1] };
    const o: FlowOptions = {
      method: 'auto',
      rtol: 1e-9,
      save: { count: 2 },
      until: { time: 1e12 },
    };
    const whole = await solveFlow(reg, o);
    const part = await solveFlow(reg, { ...o, until: { time: 1e12, steps: 150 } });
    const cp = JSON.parse(JSON.stringify(part.checkpoint())) as FlowCheckpoint;
    expect(cp.runs[0]!.saveRatio).toBe(1e100); // squared at every thinning, held finite
    const rest = await resumeFlow(reg, cp, o);
    expect(rest.runs[0]!.status).toBe('converged');
    expect(Array.from(rest.runs[0]!.beta)).toEqual(Array.from(whole.runs[0]!.beta));
  });
});

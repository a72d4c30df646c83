import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { diagonal, initialize } from '@implicit-bias/networks';
import type { FlowCheckpoint } from './checkpoint.js';
import type {
  EventRecord,
  FlowOptions,
  FlowProblem,
  FlowSolution,
  Snapshot,
} from './flow-types.js';
import { resumeFlow, solveFlow } from './solve-flow.js';

const be = createCpuBackend();

// Oracle: depth-1 regression with orthonormal rows of X. The residual r = Xβ − y obeys
// dr/dt = −XXᵀr = −r, so 𝓛(t) = e^{−2t} 𝓛(0) and 𝓛 reaches v at t* = ½ log(𝓛(0)/v) exactly.
const linear: FlowProblem = {
  network: diagonal({ dim: 3, depth: 1 }),
  X: [
    [1, 0, 0],
    [0, 0.6, 0.8],
  ],
  y: [1, -2],
  loss: 'squared',
  init: [[Float64Array.from([0.3, 0.1, -0.2])]],
  backend: be,
};

function classification(batch = 1, seed = 4): FlowProblem {
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
    init: initialize(network, { scheme: 'gaussian', scale: 0.4, seed }, batch),
    backend: be,
  };
}

const tagged = (s: FlowSolution, b = 0): Snapshot[] =>
  s.saved[b]!.filter((x) => x.savedFor !== undefined);

describe('non-terminal events and saving at margins/losses', () => {
  it('loss and log-loss events are located at the closed-form time ½ log(𝓛(0)/v) of linear regression, without stopping the run', async () => {
    const seen: [EventRecord, number][] = [];
    const levels = [1e-1, 1e-3, 1e-6];
    const sol = await solveFlow(linear, {
      rtol: 1e-12,
      atol: 1e-14,
      until: { time: 10 },
      events: [
        ...levels.map((v) => ({ name: `loss ${v}`, on: 'loss' as const, value: v })),
        { name: 'log-loss', on: 'logLoss', value: Math.log(1e-4), direction: 'falling' },
        // never crosses rising: the loss only falls
        { name: 'rising', on: 'loss', value: 1e-2, direction: 'rising' },
      ],
      onEvent: (e, run) => seen.push([e, run]),
    });
    expect(sol.status).toBe('converged');
    expect(sol.runs[0]!.stoppedBy).toBe('time');
    expect(sol.runs[0]!.time).toBe(10);
    const loss0 = sol.saved[0]![0]!.loss;
    const ev = sol.events[0]!;
    expect(ev.map((e) => e.name)).toEqual(['loss 0.1', 'loss 0.001', 'log-loss', 'loss 0.000001']);
    for (const e of ev) {
      const v = e.on === 'loss' ? e.value : Math.exp(e.value);
      const tStar = 0.5 * Math.log(loss0 / v);
      expect(e.direction).toBe('falling');
      // located to locateTol = 1e-12 on the log-loss scale (|Δ log 𝓛| ≤ 1e-12·max(1, |log v|));
      // the time then carries the global error of the rtol-1e-12 integration (Δt = Δ log 𝓛 / 2,
      // measured ≤ 2.3e-10 at t ≈ 7.6): 1e-9
      expect(Math.abs(e.logLoss - Math.log(v))).toBeLessThanOrEqual(
        1e-12 * Math.max(1, -Math.log(v)),
      );
      expect(Math.abs(e.time - tStar)).toBeLessThan(1e-9);
    }
    expect(seen.map(([e, run]) => [e.name, run])).toEqual(ev.map((e) => [e.name, 0]));
  });

  it('save.losses takes a snapshot where the loss first reaches each value (closed-form times), tagged savedFor', async () => {
    const sol = await solveFlow(linear, {
      rtol: 1e-12,
      atol: 1e-14,
      until: { time: 10 },
      save: { count: 5, losses: [1e-2, 1e-5] },
    });
    const loss0 = sol.saved[0]![0]!.loss;
    const snaps = tagged(sol);
    expect(snaps.map((s) => s.savedFor)).toEqual([
      { on: 'loss', value: 1e-2 },
      { on: 'loss', value: 1e-5 },
    ]);
    snaps.forEach((s) => {
      expect(Math.abs(s.time - 0.5 * Math.log(loss0 / s.savedFor!.value))).toBeLessThan(1e-9);
    });
    // merged into the history in time order
    const ts = sol.history[0]!.time;
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThan(ts[i - 1]!);
  });

  it('save.margins: located snapshots sit on each margin (to locateTol); without locateEvents, at the first step past it', async () => {
    const p = classification();
    const base: FlowOptions = {
      rtol: 1e-10,
      time: 'loss-normalized',
      until: { margin: 20 },
      save: { count: 4, margins: [0.5, 1, 2, 8] },
    };
    const located = await solveFlow(p, base);
    const m0 = located.saved[0]![0]!.margin;
    const expected = [0.5, 1, 2, 8].filter((v) => v > m0);
    expect(expected.length).toBeGreaterThan(2);
    const snaps = tagged(located);
    expect(snaps.map((s) => s.savedFor!.value)).toEqual(expected);
    snaps.forEach((s) => expect(Math.abs(s.margin / s.savedFor!.value - 1)).toBeLessThan(1e-11));
    const loose = await solveFlow(p, {
      ...base,
      locateEvents: false,
      save: { count: 1000, margins: [0.5, 1, 2, 8] },
    });
    const all = loose.saved[0]!;
    for (const s of tagged(loose)) {
      expect(s.margin).toBeGreaterThanOrEqual(s.savedFor!.value);
      // the point before it (every step is kept with count 1000) is short of the value
      const i = all.indexOf(s);
      expect(all[i - 1]!.margin).toBeLessThan(s.savedFor!.value);
    }
  });

  it('a solve cut into one-iteration chunks (injected clock) and resumed from JSON checkpoints gives the same events and level snapshots as the uninterrupted one, bit for bit', async () => {
    const p = classification(2);
    const base: FlowOptions = {
      method: 'dopri5',
      rtol: 1e-9,
      time: 'loss-normalized',
      until: { margin: 12 },
      save: { count: 8, margins: [0.5, 1, 3, 6] },
      events: [
        { name: 'm2', on: 'margin', value: 2, direction: 'rising' },
        { name: 'nm', on: 'normalizedMargin', value: 0.05 },
        { name: 'll', on: 'logLoss', value: -3 },
      ],
    };
    const whole = await solveFlow(p, base);
    let ticks = 0;
    const chunked: FlowOptions = {
      ...base,
      until: { margin: 12, wallMs: 3 },
      clock: () => ticks++,
    };
    let sol = await solveFlow(p, chunked);
    const levelSaves: Snapshot[][] = [tagged(sol, 0), tagged(sol, 1)];
    let chunks = 1;
    let duringSearch = 0;
    while (sol.status === 'time-limit' && chunks < 5000) {
      const cp = JSON.parse(JSON.stringify(sol.checkpoint())) as FlowCheckpoint;
      if (cp.runs.some((r) => r.locate?.monitor != null)) duringSearch += 1;
      sol = await resumeFlow(p, cp, chunked);
      chunks += 1;
      levelSaves.forEach((l, b) => l.push(...tagged(sol, b)));
    }
    expect(sol.status).toBe('converged');
    expect(duringSearch).toBeGreaterThan(2);
    for (let b = 0; b < 2; b++) {
      expect(whole.events[b]!.length).toBeGreaterThan(1);
      expect(tagged(whole, b).length).toBeGreaterThan(1);
      expect(sol.events[b]).toEqual(whole.events[b]);
      expect(levelSaves[b]).toEqual(tagged(whole, b));
      expect(sol.runs[b]!.beta).toEqual(whole.runs[b]!.beta);
      expect(sol.runs[b]!.steps).toBe(whole.runs[b]!.steps);
    }
  });

  it.each([
    ['save.margins on regression', { save: { margins: [1] } }, 'options.save.margins[0]'],
    ['a non-positive save.losses', { save: { losses: [0] } }, 'options.save.losses[0]'],
    [
      'an unknown event quantity',
      { events: [{ name: 'x', on: 'beta', value: 1 }] },
      'options.events[0].on',
    ],
    [
      'a margin event on regression',
      { events: [{ name: 'x', on: 'margin', value: 1 }] },
      'options.events[0].on',
    ],
    [
      'a bad direction',
      { events: [{ name: 'x', on: 'loss', value: 1, direction: 'up' }] },
      'options.events[0].direction',
    ],
  ])('rejects %s (error names the field)', async (_t, extra, path) => {
    await expect(
      solveFlow(linear, { until: { steps: 2 }, ...(extra as Partial<FlowOptions>) }),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', path });
  });
});

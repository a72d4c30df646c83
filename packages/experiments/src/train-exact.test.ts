import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { isImplicitBiasError, relativeDistance } from '@implicit-bias/core';
import { compareRun } from './compare-run.js';
import { prepareRun } from './resolve.js';
import { runTraining, trainRun } from './train.js';

const backend = createCpuBackend();
const dir = mkdtempSync(join(tmpdir(), 'ib-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A config of the paper suite's diagonal regression cases (suite/regression.ts: n = 5, d = 12, 3-sparse). */
function suiteCase(
  L: number,
  alpha: number,
  method: string,
  rtol: number,
): Record<string, unknown> {
  return {
    task: 'regression',
    data: { generator: 'gaussian-regression', n: 5, d: 12, seed: 0, sparsity: 3 },
    network: { kind: 'diagonal', depth: L },
    init: { scheme: 'odeco', scale: alpha, shape: 'ones', seed: 0 },
    loss: 'squared',
    flow: { method, rtol, atol: 1e-14, until: { loss: 1e-20, time: 1e9 } },
  };
}

const small = {
  task: 'regression',
  data: { generator: 'gaussian-regression', n: 3, d: 6, seed: 2 },
  network: { kind: 'diagonal', depth: 2 },
  init: { scheme: 'odeco', scale: 0.5, shape: [1, 0.5, 2, 1, 1, 0.7], seed: 3 },
  loss: 'squared',
  flow: { method: 'exact', until: { loss: 1e-20 } },
};

async function errorOf(
  json: unknown,
): Promise<{ code: string; path: string | undefined; message: string }> {
  try {
    await prepareRun(json);
  } catch (e) {
    if (isImplicitBiasError(e)) return { code: e.code, message: e.message, path: e.path };
    throw e;
  }
  throw new Error('expected prepareRun to refuse the config');
}

describe("flow.method 'exact' (the exact reduced flow, docs/theory/q-potential.md)", () => {
  // Every diagonal point of the quick suite (L = 2, 3; α = 0.01 … 100).
  // Oracle: the full-network flow (radau5, rtol 1e-12) on the same configs, an independent
  // integration of the 3·12-parameter ODE; both stop at loss 1e-20, where β is within ~1e-10 of
  // the limit, so 1e-8 relative leaves room for both integrations' error.
  it.each([2, 3].flatMap((L) => [0.01, 0.1, 1, 10, 100].map((alpha) => [L, alpha] as const)))(
    'suite diagonal case L = %i, α = %f: compare agrees with the full-network flow to 1e-8 (β and distance to the prediction)',
    async (L, alpha) => {
      const exact = await compareRun(suiteCase(L, alpha, 'exact', 1e-11), backend);
      const full = await compareRun(suiteCase(L, alpha, 'radau5', 1e-12), backend);
      expect(exact.train.status).toBe('converged');
      expect(exact.train.stoppedBy).toBe('loss');
      expect(exact.train.loss).toBeLessThanOrEqual(1e-20);
      expect(full.train.status).toBe('converged');
      expect(relativeDistance(exact.train.beta, full.train.beta)).toBeLessThan(1e-8);
      expect(exact.distance!).toBeLessThan(1e-8);
      expect(Math.abs(exact.distance! - full.distance!)).toBeLessThan(1e-8);
      // the rebuilt parameters are the network's: their end-to-end vector is β
      const params = exact.train.params.map((p) => Float64Array.from(p));
      expect(relativeDistance(exact.network.endToEndHost(params), exact.train.beta)).toBeLessThan(
        1e-13,
      );
      // the odeco invariants are of size α²: conserved to rounding relative to that
      expect(exact.train.invariantDrift.odeco).toBeLessThan(1e-12 * Math.max(1, alpha * alpha));
    },
    60000,
  );

  it("auto resolves to the exact flow on odeco regression with the odeco init, to the network's flow elsewhere", async () => {
    expect((await prepareRun({ ...small, flow: { method: 'auto' } })).solver).toBe('exact');
    const gaussian = { ...small, init: { scheme: 'gaussian', scale: 0.1, seed: 1 } };
    expect((await prepareRun({ ...gaussian, flow: { method: 'auto' } })).solver).toBe('network');
    expect((await prepareRun({ ...small, flow: { method: 'dopri5' } })).solver).toBe('network');
    const loss = { ...small, flow: { method: 'auto', time: 'loss-normalized' } };
    expect((await prepareRun(loss)).solver).toBe('network');
  });

  it("refuses 'exact' where it does not apply, naming flow.method and the fix", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'classification',
        {
          ...small,
          task: 'classification',
          loss: 'exponential',
          data: { generator: 'soudry2018' },
          init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 3 },
        },
        /squared-loss regression only/,
      ],
      [
        'a fully-connected network',
        {
          ...small,
          network: { kind: 'fully-connected', hidden: [4] },
          init: { scheme: 'gaussian', scale: 0.1, seed: 1 },
        },
        /no odeco decomposition/,
      ],
      [
        'a full-filter convolution (complex odeco)',
        {
          ...small,
          network: { kind: 'convolutional', depth: 2 },
          init: { scheme: 'odeco', scale: 0.5, shape: 'ones', seed: 3 },
        },
        /complex odeco/,
      ],
      [
        'a gaussian init',
        { ...small, init: { scheme: 'gaussian', scale: 0.1, seed: 1 } },
        /init.scheme to 'odeco'/,
      ],
    ];
    for (const [, json, why] of cases) {
      const e = await errorOf(json);
      expect(e.code).toBe('INVALID_CONFIG');
      expect(e.path).toBe('flow.method');
      expect(e.message).toMatch(why);
      expect(e.message).toMatch(/use method 'auto'/);
    }
  });

  it('honest statuses: a horizon alone is converged; a missed target is max-time; the step cap is max-steps', async () => {
    const run = async (flow: Record<string, unknown>) => {
      const p = await prepareRun({ ...small, flow: { method: 'exact', ...flow } });
      return (await trainRun(p.config, p.network, p.data, p.init, { backend }))!;
    };
    const horizon = await run({ until: { time: 0.5 } });
    expect([horizon.status, horizon.stoppedBy, horizon.time]).toEqual(['converged', 'time', 0.5]);
    const missed = await run({ until: { loss: 1e-20, time: 0.5 } });
    expect([missed.status, missed.stoppedBy]).toEqual(['max-time', 'time']);
    expect(missed.loss).toBeGreaterThan(1e-20);
    expect(missed.message).toMatch(/raise until.time/);
    const capped = await run({ until: { loss: 1e-20 }, maxSteps: 10 });
    expect([capped.status, capped.stoppedBy]).toEqual(['max-steps', 'maxSteps']);
    expect(capped.stats.accepted + capped.stats.rejected).toBeLessThanOrEqual(10);
    expect(capped.message).toMatch(/flow.maxSteps/);
    const done = await run({ until: { loss: 1e-20 } });
    expect([done.status, done.stoppedBy]).toEqual(['converged', 'loss']);
    expect(done.loss).toBeLessThanOrEqual(1e-20);
    expect(done.history.time.length).toBeGreaterThan(5);
    expect(done.history.loss[done.history.loss.length - 1]).toBe(done.loss);
  });

  it('a finished exact run stays in its checkpoint until removed; shouldStop interrupts it between reported points', async () => {
    const p = await prepareRun(small);
    const file = join(dir, 'exact.checkpoint.json');
    const first = await runTraining(p.config, p.network, p.data, p.init, {
      backend,
      checkpointFile: file,
    });
    expect(first.kind).toBe('finished');
    let resumed: unknown;
    const second = await runTraining(p.config, p.network, p.data, p.init, {
      backend,
      checkpointFile: file,
      onResume: (info) => (resumed = info),
    });
    expect(second).toEqual(first);
    expect(resumed).toMatchObject({ finished: true });
    let calls = 0;
    const stopped = await runTraining(p.config, p.network, p.data, p.init, {
      backend,
      shouldStop: () => ++calls >= 3,
    });
    expect(stopped).toMatchObject({ kind: 'interrupted', checkpointFile: undefined }); // no file given
    expect(calls).toBe(3);
  });

  it('a stopped exact run keeps its checkpoint and resumes on the identical trajectory, with the identical history (oracle: the uninterrupted run)', async () => {
    const p = await prepareRun(small);
    const whole = await runTraining(p.config, p.network, p.data, p.init, { backend });
    expect(whole.kind).toBe('finished');
    const file = join(dir, 'exact-stopped.checkpoint.json');
    let calls = 0;
    const stopped = await runTraining(p.config, p.network, p.data, p.init, {
      backend,
      checkpointFile: file,
      shouldStop: () => ++calls >= 7,
    });
    expect(stopped).toMatchObject({ kind: 'interrupted', checkpointFile: file });
    let resumed: { steps: number; finished: boolean } | undefined;
    const rest = await runTraining(p.config, p.network, p.data, p.init, {
      backend,
      checkpointFile: file,
      onResume: (info) => (resumed = info),
    });
    expect(resumed).toMatchObject({ finished: false });
    expect(resumed!.steps).toBeGreaterThan(0);
    expect(rest).toEqual(whole);
  });
});

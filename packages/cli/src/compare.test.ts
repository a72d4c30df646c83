import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { relativeDistance } from '@implicit-bias/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-cmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('implicit-bias compare / predict', () => {
  it('diagonal depth-2 regression with odeco init: trained β matches argmin Q to 1e-6 (docs/theory/q-potential.md)', async () => {
    writeFileSync(
      join(dir, 'reg.json'),
      JSON.stringify({
        task: 'regression',
        data: { generator: 'gaussian-regression', seed: 2, n: 4, d: 8 },
        network: { kind: 'diagonal', depth: 2 },
        init: { scheme: 'odeco', scale: 0.3, shape: 'ones', seed: 1 },
        loss: 'squared',
        flow: { method: 'auto', rtol: 1e-11, atol: 1e-14, until: { loss: 1e-20 } },
      }),
    );
    const io = captureIo(dir);
    expect(await main(['compare', '--config', 'reg.json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.prediction).toMatchObject({ kind: 'q-potential', exact: true });
    expect(r.distance).toBeLessThan(1e-6);
    expect(r.certificates.interpolationResidual).toBeLessThan(1e-9);
  });

  it('--method exact: the exact reduced flow on the same config agrees with the full-network flow to 1e-8 (oracle: radau5 at rtol 1e-12); --help lists it; misapplied it is exit 2 naming --method', async () => {
    writeFileSync(
      join(dir, 'reg-exact.json'),
      JSON.stringify({
        task: 'regression',
        data: { generator: 'gaussian-regression', seed: 2, n: 4, d: 8 },
        network: { kind: 'diagonal', depth: 2 },
        init: { scheme: 'odeco', scale: 0.3, shape: 'ones', seed: 1 },
        loss: 'squared',
        flow: { method: 'radau5', rtol: 1e-12, atol: 1e-14, until: { loss: 1e-20 } },
      }),
    );
    const full = captureIo(dir);
    expect(await main(['compare', '--config', 'reg-exact.json', '--out', 'full.json'], full)).toBe(
      0,
    );
    const exact = captureIo(dir);
    expect(
      await main(
        ['compare', '--config', 'reg-exact.json', '--method', 'exact', '--out', 'exact.json'],
        exact,
      ),
    ).toBe(0);
    const f = JSON.parse(readFileSync(join(dir, 'full.json'), 'utf8'));
    const e = JSON.parse(readFileSync(join(dir, 'exact.json'), 'utf8'));
    expect(e.status).toBe('converged');
    expect(relativeDistance(e.beta, f.beta)).toBeLessThan(1e-8);
    expect(Math.abs(e.distance - f.distance)).toBeLessThan(1e-8);
    const help = captureIo(dir);
    await main(['compare', '--help'], help).catch(() => undefined);
    expect(help.out() + help.err()).toMatch(/--method <name>[\s\S]*exact/);
    const bad = captureIo(dir);
    writeFileSync(
      join(dir, 'fc.json'),
      JSON.stringify({
        task: 'regression',
        data: { generator: 'gaussian-regression', seed: 2, n: 4, d: 8 },
        network: { kind: 'fully-connected', hidden: [3] },
        init: { scheme: 'gaussian', scale: 0.1, seed: 1 },
        loss: 'squared',
      }),
    );
    expect(await main(['compare', '--config', 'fc.json', '--method', 'exact'], bad)).toBe(2);
    expect(bad.err()).toMatch(/--method.*method 'exact'.*no odeco decomposition/);
  });

  it("depth-1 classification on Soudry et al.'s data approaches the l2 max-margin direction (1,1)/√2", async () => {
    writeFileSync(
      join(dir, 'cls.json'),
      JSON.stringify({
        task: 'classification',
        data: { generator: 'soudry2018', extra: 0 },
        network: { kind: 'diagonal', depth: 1 },
        init: { scheme: 'gaussian', scale: 0.1, seed: 0 },
        loss: 'exponential',
        flow: { method: 'auto', rtol: 1e-10, atol: 1e-12, until: { margin: 1e4 } },
      }),
    );
    const io = captureIo(dir);
    expect(await main(['compare', '--config', 'cls.json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.prediction.kind).toMatch(/l2/i);
    expect(Math.abs(r.prediction.beta[0] - r.prediction.beta[1])).toBeLessThan(1e-9);
    expect(r.distance).toBeLessThan(1e-6);
    expect(r.certificates.kktResidual).toBeLessThan(1e-3);
  });

  it('predict alone returns the prediction without training', async () => {
    const io = captureIo(dir);
    expect(await main(['predict', '--config', 'reg.json'], io)).toBe(0);
    expect(JSON.parse(io.out()).prediction.kind).toBe('q-potential');
  });

  it('compare with explicit data and explicit init is deterministic (the same JSON twice)', async () => {
    writeFileSync(
      join(dir, 'xy.json'),
      JSON.stringify({
        X: [
          [1, 0, 2],
          [0, 1, -1],
        ],
        y: [1, -1],
      }),
    );
    writeFileSync(
      join(dir, 'det.json'),
      JSON.stringify({
        task: 'classification',
        data: { file: 'xy.json' },
        network: { kind: 'diagonal', depth: 2 },
        init: {
          scheme: 'explicit',
          params: [
            [0.1, 0.2, 0.3],
            [0.1, -0.1, 0.2],
          ],
        },
        loss: 'exponential',
        flow: { method: 'auto', rtol: 1e-10, atol: 1e-12, until: { margin: 100 } },
      }),
    );
    const a = captureIo(dir);
    const b = captureIo(dir);
    expect(await main(['compare', '--config', 'det.json'], a)).toBe(0);
    expect(await main(['compare', '--config', 'det.json'], b)).toBe(0);
    expect(a.out()).toBe(b.out());
    expect(JSON.parse(a.out()).prediction.kind).toMatch(/l1/);
  });

  it('diagonal L = 3 classification: compare writes and prints the flow’s certified stationary point next to the predictor’s (issue #22)', async () => {
    writeFileSync(
      join(dir, 'l3.json'),
      JSON.stringify({
        task: 'classification',
        data: {
          generator: 'separable-classification',
          n: 10,
          d: 6,
          seed: 0,
          separator: 'dense',
          margin: 0.05,
        },
        network: { kind: 'diagonal', depth: 3 },
        init: { scheme: 'gaussian', scale: 0.1, seed: 0 },
        loss: 'exponential',
        flow: {
          method: 'auto',
          rtol: 1e-10,
          atol: 1e-12,
          time: 'loss-normalized',
          until: { margin: 1e4 },
        },
      }),
    );
    const io = captureIo(dir);
    expect(await main(['compare', '--config', 'l3.json'], io)).toBe(0);
    const r = JSON.parse(io.out());
    expect(r.stationary.distance).toBeLessThanOrEqual(1e-5);
    expect(r.stationary.certificate.certified).toBe(true);
    expect(r.stationary.samePoint).toBe(false);
    expect(r.stationary.predictionDistance).toBe(r.distance);
    expect(io.err()).toMatch(/flow's stationary point .*certified KKT point/);
    expect(io.err()).toMatch(/predictor's point: 1 − cos = /);
    expect(io.err()).toMatch(/different KKT points/);
  }, 60000);
});

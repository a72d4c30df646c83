import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromiumLaunchOptions, chromiumUnavailableReason } from '@implicit-bias/testing/browser';
import { chromium } from 'playwright-core';
import { main } from './main.js';
import { captureIo } from './test-io.js';

const dir = mkdtempSync(join(tmpdir(), 'ib-repro-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('implicit-bias reproduce', () => {
  it('writes report.html, results.json and non-empty figures, and resumes from finished points', async () => {
    const io = captureIo(dir);
    expect(await main(['reproduce', '--quick', '--only', 'soudry2018', '--out', 'out'], io)).toBe(
      0,
    );
    const out = join(dir, 'out');
    for (const f of ['report.html', 'results.json']) expect(existsSync(join(out, f))).toBe(true);
    const figs = readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.svg'));
    expect(figs.length).toBeGreaterThanOrEqual(2);
    for (const f of figs) expect(statSync(join(out, 'figures', f)).size).toBeGreaterThan(1000);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.checks.soudry2018.every((c: { passed: boolean }) => c.passed)).toBe(true);
    expect(io.err()).toMatch(/holds: \[soudry2018\]/);
    const again = captureIo(dir);
    expect(await main(['reproduce', '--only', 'soudry2018', '--out', 'out'], again)).toBe(0);
    expect(again.err()).toMatch(/1 reused/);
  });

  it('--only into an existing folder keeps the report sections of the other experiments', async () => {
    // a woodworth2020 point stored by an earlier run into the same folder, on the same backend
    const wdir = join(dir, 'out/points/cpu-float64/woodworth2020');
    mkdirSync(wdir, { recursive: true });
    const point = {
      experiment: 'woodworth2020',
      id: 'alpha=0.001_seed=0',
      backend: 'cpu',
      precision: 'float64',
      params: { alpha: 0.001, seed: 0 },
      metrics: { status: 'converged', recovery: 1e-3, distPred: 1e-9, distL1: 2e-3, distL2: 0.5 },
      wallMs: 1,
    };
    writeFileSync(join(wdir, `${point.id}.json`), JSON.stringify(point));
    // and one of another backend, which must be neither reused nor reported
    const odir = join(dir, 'out/points/tfjs-cpu-float32/rq1-regression');
    mkdirSync(odir, { recursive: true });
    writeFileSync(join(odir, 'x.json'), JSON.stringify({ ...point, experiment: 'rq1-regression' }));
    const io = captureIo(dir);
    expect(await main(['reproduce', '--only', 'soudry2018', '--out', 'out'], io)).toBe(0);
    expect(io.err()).toMatch(/1 reused/);
    expect(io.err()).toMatch(
      /the report also keeps the stored results of woodworth2020 \(1\/5 points\)/,
    );
    const results = JSON.parse(readFileSync(join(dir, 'out/results.json'), 'utf8'));
    expect(Object.keys(results.experiments)).toEqual(['soudry2018', 'woodworth2020']);
    const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
    expect(html).toContain('id="soudry2018"');
    expect(html).toContain('id="woodworth2020"');
    expect(html).not.toContain('id="rq1-regression"');
    expect(readdirSync(join(dir, 'out/figures')).filter((f) => !f.endsWith('.svg'))).toEqual([]);
  });

  it('rejects a bad IMPLICIT_BIAS_PAUSE_AFTER_POINTS with exit code 2 naming it', async () => {
    const io = captureIo(dir, { IMPLICIT_BIAS_PAUSE_AFTER_POINTS: 'soon' });
    expect(await main(['reproduce', '--only', 'soudry2018', '--out', 'x'], io)).toBe(2);
    expect(io.err()).toMatch(/IMPLICIT_BIAS_PAUSE_AFTER_POINTS: must be a whole number ≥ 1/);
  });

  it('rejects an unknown experiment id with exit code 2 and the valid ids', async () => {
    const io = captureIo(dir);
    expect(await main(['reproduce', '--only', 'nope', '--out', 'x'], io)).toBe(2);
    expect(io.err()).toMatch(/valid ids: rq1-regression, rq2-classification/);
  });

  const noChromium = chromiumUnavailableReason();
  (noChromium === undefined ? it : it.skip)(
    noChromium === undefined
      ? 'the report renders every figure in headless Chromium (screenshot saved)'
      : `report rendering skipped: ${noChromium}`,
    async () => {
      const report = join(dir, 'out', 'report.html');
      // the report only draws SVG: no WebGL needed
      const browser = await chromium.launch(chromiumLaunchOptions({ webgl: false }));
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`file://${report}`);
        const sizes = await page.$$eval('figure svg', (svgs) =>
          svgs.map((s) => {
            const r = s.getBoundingClientRect();
            return [r.width, r.height, s.querySelectorAll('path').length];
          }),
        );
        expect(sizes.length).toBeGreaterThanOrEqual(2);
        for (const [w, h, paths] of sizes) {
          expect(w).toBeGreaterThan(100);
          expect(h).toBeGreaterThan(100);
          expect(paths).toBeGreaterThan(2);
        }
        const shots = resolve(__dirname, '../../../.reports/screenshots');
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'report.png'), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60000,
  );
});

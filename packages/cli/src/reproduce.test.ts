import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
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

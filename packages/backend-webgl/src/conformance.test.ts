import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { conformanceCases } from '@implicit-bias/testing';
import {
  PAGE_CONFORMANCE_GLOBAL,
  chromiumLaunchOptions,
  chromiumUnavailableReason,
  serveDirectory,
} from '@implicit-bias/testing/browser';
import type {
  PageCaseResult,
  PageConformanceReport,
  StaticServer,
} from '@implicit-bias/testing/browser';

// Oracle: the shared Backend conformance suite of @implicit-bias/testing (float64 host
// reference loops, tolerances from the backend's float32 precision, exactly as the Node
// suites use them), run on tfjs's WebGL 2 kernels inside headless Chromium (SwiftShader).
// The page is bundled with Vite from the sources, served over HTTP, and publishes one result
// per case; each case becomes its own jest test here.

const REPO = resolve(__dirname, '../../..');
const VITE_BIN = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
const VITE_CONFIG = resolve(__dirname, '../conformance-page/vite.config.mjs');
// software WebGL costs ~200 µs per kernel and the suite runs thousands: minutes, not seconds
const SUITE_MS = 8 * 60_000;

const unavailable = chromiumUnavailableReason();
const cases = conformanceCases();

describe('webgl Backend conformance in headless Chromium', () => {
  if (unavailable !== undefined) {
    it.skip(`skipped: ${unavailable}`, () => undefined);
    return;
  }

  let outDir = '';
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let report: PageConformanceReport | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'ib-webgl-page-'));
    execFileSync(process.execPath, [VITE_BIN, 'build', '-c', VITE_CONFIG, '--outDir', outDir], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server = await serveDirectory(outDir);
    browser = await chromium.launch(chromiumLaunchOptions({ webgl: true }));
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(
      (name) => (globalThis as unknown as Record<string, { done?: boolean }>)[name]?.done === true,
      PAGE_CONFORMANCE_GLOBAL,
      { timeout: SUITE_MS, polling: 1000 },
    );
    report = await page.evaluate(
      (name) =>
        (globalThis as unknown as Record<string, PageConformanceReport>)[
          name
        ] as PageConformanceReport,
      PAGE_CONFORMANCE_GLOBAL,
    );
  }, SUITE_MS + 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir !== '') rmSync(outDir, { recursive: true, force: true });
  });

  it('the page creates the webgl backend (WebGL 2 through SwiftShader) without page errors', () => {
    expect(report?.unavailable).toBeUndefined();
    expect(report?.error).toBeUndefined();
    expect(report?.created).toEqual({ id: 'webgl', precision: 'float32' });
    expect(pageErrors).toEqual([]);
  });

  it('the page ran every case of the suite, in order', () => {
    expect(report?.results.map((r) => r.name)).toEqual(cases.map((c) => c.name));
  });

  const groups = new Map<string, string[]>();
  for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c.name]);
  for (const [group, names] of groups) {
    describe(group, () => {
      for (const name of names) {
        it(name, () => {
          const r: PageCaseResult | undefined = report?.results.find((x) => x.name === name);
          if (r === undefined) throw new Error(`the page reported no result for "${name}"`);
          if (!r.ok) throw new Error(`webgl in Chromium: ${r.message ?? 'failed'}`);
        });
      }
    });
  }
});

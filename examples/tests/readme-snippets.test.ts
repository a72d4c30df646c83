// Every ```ts / ```js block of every package README runs, so the READMEs cannot rot. Blocks are
// transpiled (types stripped), written under the git-ignored tmp/ inside the repository so
// `@implicit-bias/*` resolve to the built workspace packages, and run with node in a scratch
// directory. A block that is a jest test file (its first line names `….test.ts`) runs under jest.
// Blocks that are not meant to run use another fence language (```sh, ```json, ```text).
// The guide pages of docs/guide written alongside (not sweeps.md) run the same way.
// Where a README prints numbers with a known value, the value is checked loosely below.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXECUTED,
  ROOT,
  codeBlocks,
  numberAfter,
  plainEnv,
  read,
  runNode,
  removeScratch,
  scratchDir,
  stripAnsi,
  toModule,
  writeIn,
} from './helpers';

afterAll(removeScratch);

/** Loose checks of printed output, by package directory (oracle in each comment). */
const EXPECT: Record<string, (out: string) => void> = {
  // backend-cpu: log(e^{−4.5} + e^{−9}) = −4.48890… (closed form)
  'backend-cpu': (out) => expect(numberAfter(out, '[')).toBeCloseTo(-4.4889, 3),
  // backend-tfjs: X·w = (4.5, 9) (hand computation), float32 exact for these integers/halves
  'backend-tfjs': (out) => {
    expect(numberAfter(out, '[')).toBeCloseTo(4.5, 5);
  },
  // backend-wasm: logsumexp([1, 2]) = 2.3133 (closed form)
  'backend-wasm': (out) => expect(numberAfter(out, '[')).toBeCloseTo(2.3133, 3),
  // theory: the ℓ2 max-margin direction of Soudry et al. (2018) data is (1, 1)/√2
  theory: (out) => expect(numberAfter(out, '[')).toBeCloseTo(Math.SQRT1_2, 8),
  // experiments: a depth-3 diagonal net reaches argmin Q (theory §4.3) to integrator accuracy
  experiments: (out) => {
    expect(numberAfter(out, 'distance')).toBeLessThan(1e-7);
    expect(out).toContain('report.html');
  },
  // backend: logsumexp of (−2, −2) and (12, 30) = (−2 + log 2, 30 + log(1 + e^{−18})) (closed form)
  backend: (out) => {
    expect(numberAfter(out, 'float64 Float64Array(2) [')).toBeCloseTo(-2 + Math.log(2), 10);
  },
  // backend-webgl: A·A for A = [[1, 2], [3, 4]] is [[7, 10], [15, 22]] on whichever backend wins
  'backend-webgl': (out) => expect(numberAfter(out, 'Float64Array(4) [')).toBeCloseTo(7, 5),
  // backend-cuda: X·Xᵀ for X = [[1, 2], [3, 4]] is [[5, 11], [11, 25]]
  'backend-cuda': (out) => expect(numberAfter(out, 'Float64Array(4) [')).toBeCloseTo(5, 5),
  // networks: a filter shorter than d is not odeco (docs/theory/odeco.md table)
  networks: (out) => expect(out).toContain('notOdeco'),
  // flow: separable data reach the requested margin; the status says so
  flow: (out) => {
    expect(out.startsWith('converged')).toBe(true);
    expect(numberAfter(out, 'converged [')).toBeGreaterThan(0);
  },
  // playground: the bad cell is reported at its row
  playground: (out) => expect(out).toContain('2 pasted data: row 2'),
  // datasets: the planted separator's margin (generator contract) and the documented shapes
  datasets: (out) => {
    expect(numberAfter(out, 'planted margin')).toBeGreaterThan(0.5 - 1e-12);
    expect(out).toContain('100 4 5 6 2 4 4');
  },
  // core: 1 − cos of two random vectors lies in [0, 2]; the NaN is reported at X
  core: (out) => {
    expect(out).toContain('NON_FINITE X');
    const v = Number(out.split('\n')[0]);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(2);
  },
};

/** Guide pages whose blocks run here too (getting-started also runs from tarballs in pack-check). */
const GUIDES: Record<string, (out: string) => void> = {
  // argmin Q is the exact limit (theory §4.3); float64 flow to loss 1e-20 measured ~1e-10
  'getting-started.md': (out) => {
    if (out.includes('distance')) {
      expect(out).toContain('status converged');
      expect(numberAfter(out, 'distance')).toBeLessThan(1e-8);
    }
  },
  // a superdiagonal user tensor is odeco: argmin Q again (measured 4.6e-12)
  'custom-network.md': (out) => {
    expect(out).toContain('odeco: S is 3×2');
    expect(numberAfter(out, 'distance to argmin Q')).toBeLessThan(1e-8);
  },
  'concepts.md': () => undefined,
  'experiments-report.md': () => undefined,
};

describe.each(Object.keys(GUIDES))('docs/guide/%s', (page) => {
  const blocks = codeBlocks(read(join(ROOT, 'docs/guide', page))).filter((b) =>
    EXECUTED.has(b.lang),
  );
  it('has its blocks executed (or none)', () => {
    for (const [i, block] of blocks.entries()) {
      const dir = scratchDir('guide');
      const r = runNode(writeIn(dir, `guide-${i}.mjs`, toModule(block.code)), dir, {
        IMPLICIT_BIAS_BACKEND: '',
      });
      if (r.status !== 0) {
        throw new Error(`${page} block at line ${block.line}: exit ${r.status}\n${r.stderr}`);
      }
      GUIDES[page]!(r.stdout);
    }
  });
});

const packages = readdirSync(join(ROOT, 'packages')).filter((p) =>
  existsSync(join(ROOT, 'packages', p, 'README.md')),
);

describe.each(packages)('packages/%s/README.md', (pkg) => {
  const blocks = codeBlocks(read(join(ROOT, 'packages', pkg, 'README.md'))).filter((b) =>
    EXECUTED.has(b.lang),
  );
  if (blocks.length === 0) {
    it('has no executable blocks', () => expect(blocks).toEqual([]));
    return;
  }
  it.each(blocks.map((b, i) => [b.line, i, b] as const))(
    'block at line %d runs',
    (_line, i, block) => {
      const dir = scratchDir(`readme-${pkg}`);
      const first = block.code.split('\n')[0] ?? '';
      if (/\.test\.ts\b/.test(first)) {
        // a test file: run it under jest with the shared preset, from inside the repository
        const file = writeIn(dir, `readme-${i}.test.ts`, block.code);
        const config = JSON.stringify({
          ...createRequire(__filename)('../../jest.preset.cjs'),
          rootDir: dir,
          testMatch: ['<rootDir>/*.test.ts'],
          testPathIgnorePatterns: ['/node_modules/'],
          reporters: ['default'],
        });
        const r = spawnSync(
          process.execPath,
          [join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', config, file],
          { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: plainEnv() },
        );
        if (r.status !== 0) throw new Error(`jest failed:\n${r.stdout}\n${r.stderr}`);
        expect(stripAnsi(r.stderr)).toMatch(/Tests:\s+\d+ passed/);
        return;
      }
      const file = writeIn(dir, `readme-${i}.mjs`, toModule(block.code));
      const r = runNode(file, dir, { IMPLICIT_BIAS_BACKEND: '' });
      if (r.status !== 0) {
        throw new Error(
          `exit ${r.status}\n--- code ---\n${block.code}\n--- stderr ---\n${r.stderr}`,
        );
      }
      expect(r.stdout.trim().length).toBeGreaterThan(0);
      if (i === 0) EXPECT[pkg]?.(r.stdout);
    },
  );
});

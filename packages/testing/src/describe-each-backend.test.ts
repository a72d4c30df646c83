import { spawnSync } from 'node:child_process';
import path from 'node:path';

interface AssertionResult {
  readonly title: string;
  readonly fullName: string;
  readonly status: string;
}
interface JestJson {
  readonly numFailedTestSuites: number;
  readonly testResults: readonly {
    readonly message: string;
    readonly assertionResults: readonly AssertionResult[];
  }[];
}

const pkg = path.resolve(__dirname, '..');
const jestBin = require.resolve('jest/bin/jest');

/** Run the harness fixture in a child jest with `backends` in the env var. */
function runFixture(backends: string | undefined): JestJson {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.IMPLICIT_BIAS_TEST_BACKENDS;
  if (backends !== undefined) env.IMPLICIT_BIAS_TEST_BACKENDS = backends;
  const r = spawnSync(
    process.execPath,
    [
      jestBin,
      '--ci',
      '--json',
      '--reporters=default',
      '--testMatch',
      '**/fixtures/harness.fixture.ts',
    ],
    { cwd: pkg, env, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`child jest printed no JSON: ${r.stderr}`);
  return JSON.parse(r.stdout.slice(start)) as JestJson;
}

describe('describeEachBackend in a child jest (observed results oracle)', () => {
  it('runs available backends, skips unavailable ones with the reason in the title', () => {
    const out = runFixture('cpu,wasm,fixture-throws,tfjs-cpu');
    const tests = out.testResults.flatMap((t) => t.assertionResults);
    const byStatus = (s: string): string[] =>
      tests.filter((t) => t.status === s).map((t) => t.fullName);
    expect(byStatus('failed')).toEqual([]);
    expect(byStatus('passed')).toEqual([
      'fixture suite [cpu] adds two vectors (closed form 1+2=3)',
      'fixture suite [cpu] fails if it ever runs on an unavailable backend',
    ]);
    const skipped = byStatus('pending');
    expect(skipped).toHaveLength(5);
    expect(
      skipped.filter((t) => t.includes('wasm unavailable: no WebAssembly in this fixture')),
    ).toHaveLength(1);
    expect(
      skipped.filter((t) => t.includes('fixture-throws unavailable: probe threw: probe exploded')),
    ).toHaveLength(1);
    expect(skipped.filter((t) => t.includes('tfjs-cpu unavailable: no plug-in'))).toHaveLength(1);
  }, 60_000);

  it('an unknown id in IMPLICIT_BIAS_TEST_BACKENDS fails the suite listing the valid ids', () => {
    const out = runFixture('cpu,bogus');
    expect(out.numFailedTestSuites).toBe(1);
    expect(out.testResults[0]?.message).toMatch(
      /IMPLICIT_BIAS_TEST_BACKENDS: unknown backend id 'bogus'; valid ids: cpu, wasm, fixture-throws, tfjs-cpu/,
    );
  }, 60_000);
});

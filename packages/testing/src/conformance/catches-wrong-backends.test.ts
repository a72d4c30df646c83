import type { Arr, Backend } from '@implicit-bias/backend';
import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { checkConformance, conformanceCases } from './cases.js';

/** A correct float64 backend with some methods replaced by wrong ones. */
function broken(make: (good: Backend) => Partial<Backend>): Backend {
  const good = createCpuBackend();
  return { ...good, ...make(good) };
}

async function failedCases(be: Backend): Promise<string[]> {
  return (await checkConformance(be)).map((f) => `${f.name} :: ${f.message}`);
}

describe('the conformance suite catches wrong backends (mutation oracle)', () => {
  it('a correct float64 backend passes every case', async () => {
    expect(await failedCases(createCpuBackend())).toEqual([]);
    expect(conformanceCases().length).toBeGreaterThan(25);
  });

  const mutants: [string, (good: Backend) => Partial<Backend>, RegExp][] = [
    [
      'matmul ignoring transposeB',
      (g) => ({ matmul: (a: Arr, b: Arr, o = {}) => g.matmul(a, b, { ...o, transposeB: false }) }),
      /matmul with every transpose/,
    ],
    [
      'softplus as log(1 + e^x)',
      (g) => ({ softplus: (a: Arr) => g.log(g.addScalar(g.exp(a), 1)) }),
      /softplus and sigmoid stay finite/,
    ],
    [
      'logSumExp without the max shift',
      (g) => ({
        logSumExp: (a: Arr, axis: number, k?: boolean) => g.log(g.sum(g.exp(a), axis, k)),
      }),
      /at ±1e4 do not overflow/,
    ],
    [
      'circularCorrelate computing a convolution',
      (g) => ({ circularCorrelate: (a: Arr, b: Arr) => g.circularConvolve(a, b) }),
      /circularCorrelate equals the definition/,
    ],
    [
      'sum ignoring keepDims',
      (g) => ({ sum: (a: Arr, axis: number) => g.sum(a, axis) }),
      /sum over every axis.*keepDims/,
    ],
    [
      'softmax off by a constant factor 1 + 1e-9',
      (g) => ({ softmax: (a: Arr, axis: number) => g.scale(g.softmax(a, axis), 1 + 1e-9) }),
      /softmax over every axis/,
    ],
    [
      'fromHost accepting NaN',
      (g) => ({
        fromHost: (d: ArrayLike<number>, s: readonly number[]) =>
          Array.from(d).some(Number.isNaN) ? g.fill(s) : g.fromHost(d, s),
      }),
      /rejects NaN/,
    ],
    [
      'matmul returning a SHAPE_MISMATCH-less error',
      (g) => ({
        matmul: (a: Arr, b: Arr, o?: object) => {
          if (a.shape[a.shape.length - 1] !== b.shape[b.shape.length - 2] && o === undefined) {
            throw new Error('bad shapes');
          }
          return g.matmul(a, b, o);
        },
      }),
      /wrong shapes throw SHAPE_MISMATCH/,
    ],
    [
      'softplus off by one ulp on every other call (non-deterministic)',
      (g) => {
        let calls = 0;
        return { softplus: (a: Arr) => g.scale(g.softplus(a), 1 + (++calls % 2) * 2.3e-16) };
      },
      /identical bits/,
    ],
    [
      'maximum not broadcasting a size-1 axis correctly',
      (g) => ({
        maximum: (a: Arr, b: Arr) =>
          a.shape.length === b.shape.length ? g.maximum(a, b) : g.maximum(b, b),
      }),
      /maximum broadcasts/,
    ],
    [
      'exp disposing its input',
      (g) => ({
        exp: (a: Arr) => {
          const out = g.exp(a);
          g.dispose(a);
          return out;
        },
      }),
      /ops never modify their inputs/,
    ],
    [
      'scope leaking on a tracking backend',
      (g) => {
        let live = 0;
        return {
          fromHost: (d: ArrayLike<number>, s: readonly number[]) => (live++, g.fromHost(d, s)),
          exp: (a: Arr) => (live++, g.exp(a)),
          liveArrays: () => live,
        };
      },
      /scope frees intermediates/,
    ],
  ];

  it.each(mutants)('catches %s', async (_label, make, expected) => {
    const failures = await failedCases(broken(make));
    expect(failures.some((f) => expected.test(f))).toBe(true);
  });
});

import type { Arr, Backend } from '@implicit-bias/backend';
import { refBinary, refSigmoid, refSoftplus, refUnary } from '../reference.js';
import type { HostArray } from '../reference.js';
import { asStored, expectArray, randomHost, up } from './context.js';
import type { CaseContext, ConformanceCase } from './context.js';

const GROUP = 'element-wise';

type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'maximum';
const BINARY: readonly [BinaryName, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y],
  ['sub', (x, y) => x - y],
  ['mul', (x, y) => x * y],
  ['div', (x, y) => x / y],
  ['maximum', (x, y) => Math.max(x, y)],
];

/** Shape pairs covering equal shapes, scalars, rank promotion and two-sided stretching. */
const BROADCAST_PAIRS: readonly [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[3, 4], [1]],
  [[1], [3, 4]],
  [[2, 3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [
    [2, 3, 4],
    [2, 1, 4],
  ],
  [[5], []],
];

/** Divisors bounded away from zero: magnitude in [0.5, 2), random sign. */
function divisor(seed: number, shape: readonly number[]): HostArray {
  const m = randomHost(seed, shape, 0.5, 2);
  const s = randomHost(seed + 1, shape);
  return { shape: m.shape, data: m.data.map((v, i) => (s.data[i]! < 0 ? -v : v)) };
}

function binaryCase(name: BinaryName, f: (x: number, y: number) => number): ConformanceCase {
  return {
    group: GROUP,
    name: `${name} broadcasts NumPy-style (float64 reference loops)`,
    async run(ctx) {
      const be = ctx.backend;
      let seed = 100;
      for (const [sa, sb] of BROADCAST_PAIRS) {
        const a = asStored(ctx, randomHost(seed++, sa));
        const b = asStored(ctx, name === 'div' ? divisor(seed++, sb) : randomHost(seed++, sb));
        const op = be[name].bind(be) as (x: Arr, y: Arr) => Arr;
        await expectArray(
          ctx,
          `${name}(${JSON.stringify(sa)}, ${JSON.stringify(sb)})`,
          op(up(be, a), up(be, b)),
          refBinary(a, b, f),
          2,
          refBinary(a, b, (x, y) => Math.abs(x) + Math.abs(y)).data,
        );
      }
    },
  };
}

type UnaryName =
  'neg' | 'abs' | 'sign' | 'square' | 'sqrt' | 'exp' | 'log' | 'sigmoid' | 'softplus';
/** Each unary op with its input range, reference and rounding budget. */
const UNARY: readonly [UnaryName, number, number, (x: number) => number, number][] = [
  ['neg', -2, 2, (x) => -x, 1],
  ['abs', -2, 2, Math.abs, 1],
  ['sign', -2, 2, Math.sign, 1],
  ['square', -2, 2, (x) => x * x, 2],
  ['sqrt', 0.1, 4, Math.sqrt, 4],
  ['exp', -3, 3, Math.exp, 8],
  ['log', 0.1, 4, Math.log, 8],
  ['sigmoid', -6, 6, refSigmoid, 8],
  ['softplus', -6, 6, refSoftplus, 8],
];

function unaryCase(
  name: UnaryName,
  lo: number,
  hi: number,
  f: (x: number) => number,
  ops: number,
): ConformanceCase {
  return {
    group: GROUP,
    name: `${name} matches Math on [${lo}, ${hi}] (float64 reference)`,
    async run(ctx) {
      const be = ctx.backend;
      const raw = randomHost(7, [3, 5], lo, hi);
      // include exact zeros where the op is defined there
      if (lo < 0) raw.data[4] = 0;
      const a = asStored(ctx, raw);
      const op = be[name].bind(be) as (x: Arr) => Arr;
      await expectArray(ctx, `${name}`, op(up(be, a)), refUnary(a, f), ops);
    },
  };
}

async function scalarOps(ctx: CaseContext): Promise<void> {
  const be: Backend = ctx.backend;
  const a = asStored(ctx, randomHost(11, [4, 3], -2, 2));
  const pos = asStored(ctx, randomHost(12, [4, 3], 0.1, 2));
  const A = up(be, a);
  const P = up(be, pos);
  await expectArray(
    ctx,
    'scale(a, -2.5)',
    be.scale(A, -2.5),
    refUnary(a, (x) => -2.5 * x),
    2,
  );
  await expectArray(
    ctx,
    'addScalar(a, 0.75)',
    be.addScalar(A, 0.75),
    refUnary(a, (x) => x + 0.75),
    2,
    refUnary(a, (x) => Math.abs(x) + 0.75).data,
  );
  await expectArray(
    ctx,
    'pow(a, 2)',
    be.pow(A, 2),
    refUnary(a, (x) => x * x),
    4,
  );
  await expectArray(
    ctx,
    'pow(a, 3) on signed entries',
    be.pow(A, 3),
    refUnary(a, (x) => x * x * x),
    8,
  );
  await expectArray(ctx, 'pow(a, 0.5)', be.pow(P, 0.5), refUnary(pos, Math.sqrt), 8);
  await expectArray(
    ctx,
    'pow(a, 2.5)',
    be.pow(P, 2.5),
    refUnary(pos, (x) => x * x * Math.sqrt(x)),
    16,
  );
}

async function extremes(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const xs: HostArray = {
    shape: [9],
    data: Float64Array.from([-800, -100, -30, -1, 0, 1, 30, 100, 800]),
  };
  const X = up(be, xs);
  await expectArray(ctx, 'softplus at ±800', be.softplus(X), refUnary(xs, refSoftplus), 8);
  await expectArray(ctx, 'sigmoid at ±800', be.sigmoid(X), refUnary(xs, refSigmoid), 8);
}

/** Element-wise conformance cases. */
export function elementwiseCases(): ConformanceCase[] {
  return [
    ...BINARY.map(([n, f]) => binaryCase(n, f)),
    ...UNARY.map(([n, lo, hi, f, ops]) => unaryCase(n, lo, hi, f, ops)),
    { group: GROUP, name: 'scale, addScalar and pow match closed forms', run: scalarOps },
    {
      group: GROUP,
      name: 'softplus and sigmoid stay finite and accurate at ±800 (log1p/exp reference)',
      run: extremes,
    },
  ];
}

import type { Arr, Backend } from '@implicit-bias/backend';
import { assertClose } from '../compare.js';
import { refMatmul, refUnary } from '../reference.js';
import type { HostArray } from '../reference.js';
import { asStored, down, expectArray, expectCode, randomHost, up } from './context.js';
import type { CaseContext, ConformanceCase } from './context.js';

const GROUP = 'contract semantics';

/** Run `i` of a batched array `[B, ...rest]` as an array of shape `rest`. */
function run(be: Backend, a: Arr, i: number): Arr {
  const rest = a.shape.slice(1);
  return be.reshape(be.slice(a, [i, ...rest.map(() => 0)], [1, ...rest]), rest);
}

/** Stack per-run results `[...]` into `[B, ...]` on the host. */
async function stacked(be: Backend, parts: readonly Arr[]): Promise<HostArray> {
  const hosts = await Promise.all(parts.map((p) => down(be, p)));
  const shape = [hosts.length, ...hosts[0]!.shape];
  const data = new Float64Array(hosts.reduce((n, h) => n + h.data.length, 0));
  let o = 0;
  for (const h of hosts) {
    data.set(h.data, o);
    o += h.data.length;
  }
  return { shape, data };
}

async function batchAxis(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const B = 4;
  const a = asStored(ctx, randomHost(600, [B, 3, 5]));
  const w = asStored(ctx, randomHost(601, [B, 5, 2]));
  const v = asStored(ctx, randomHost(602, [B, 16]));
  const u = asStored(ctx, randomHost(603, [B, 16]));
  const [A, W, V, U] = [a, w, v, u].map((h) => up(be, h)) as [Arr, Arr, Arr, Arr];
  const runs = [...Array(B).keys()];
  const scale = refMatmul(refUnary(a, Math.abs), refUnary(w, Math.abs)).data;
  const checks: [string, Arr, Arr[], number, ArrayLike<number> | undefined][] = [
    ['matmul', be.matmul(A, W), runs.map((i) => be.matmul(run(be, A, i), run(be, W, i))), 9, scale],
    [
      'circularCorrelate',
      be.circularCorrelate(V, U),
      runs.map((i) => be.circularCorrelate(run(be, V, i), run(be, U, i))),
      40,
      undefined,
    ],
    [
      'circularConvolve',
      be.circularConvolve(V, U),
      runs.map((i) => be.circularConvolve(run(be, V, i), run(be, U, i))),
      40,
      undefined,
    ],
    [
      'logSumExp',
      be.logSumExp(V, -1),
      runs.map((i) => be.logSumExp(run(be, V, i), 0)),
      24,
      undefined,
    ],
    ['softmax', be.softmax(V, 1), runs.map((i) => be.softmax(run(be, V, i), 0)), 24, undefined],
    ['sum', be.sum(A, 2), runs.map((i) => be.sum(run(be, A, i), 1)), 8, undefined],
    ['mul', be.mul(V, U), runs.map((i) => be.mul(run(be, V, i), run(be, U, i))), 1, undefined],
  ];
  for (const [name, batched, parts, ops, sc] of checks) {
    // circular sums have terms of size ≤ 1 each: bound their cancellation by d
    const s = sc ?? (name.startsWith('circular') ? new Float64Array(B * 16).fill(16) : undefined);
    assertClose(
      `batched ${name} equals the per-run results stacked`,
      await down(be, batched),
      await stacked(be, parts),
      ctx.tol(ops),
      s,
    );
  }
}

async function shapeErrors(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const x23 = be.fill([2, 3], 1);
  const x43 = be.fill([4, 3], 1);
  const cases: [string, () => unknown][] = [
    ['add [2,3] + [4,3]', () => be.add(x23, x43)],
    ['mul [2] * [3]', () => be.mul(be.fill([2]), be.fill([3]))],
    ['maximum [2,3] vs [2]', () => be.maximum(x23, be.fill([2]))],
    ['matmul [2,3]·[2,3]', () => be.matmul(x23, x23)],
    ['matmul with a rank-1 operand', () => be.matmul(be.fill([3]), x23)],
    ['matmul batches 2 vs 3', () => be.matmul(be.fill([2, 2, 2]), be.fill([3, 2, 2]))],
    ['circularCorrelate last dims 4 vs 5', () => be.circularCorrelate(be.fill([4]), be.fill([5]))],
    [
      'circularConvolve leading 2 vs 3',
      () => be.circularConvolve(be.fill([2, 4]), be.fill([3, 4])),
    ],
    ['sum axis 2 of rank 2', () => be.sum(x23, 2)],
    ['logSumExp axis -3 of rank 2', () => be.logSumExp(x23, -3)],
    ['softmax axis 5 of rank 2', () => be.softmax(x23, 5)],
    ['reshape 6 entries to [4]', () => be.reshape(x23, [4])],
    ['concat [2,3] and [2,4] on axis 0', () => be.concat([x23, be.fill([2, 4])], 0)],
    ['slice past the end', () => be.slice(x23, [1, 0], [2, 3])],
    ['fromHost with 2 entries for shape [3]', () => be.fromHost([1, 2], [3])],
  ];
  for (const [label, fn] of cases) expectCode(label, 'SHAPE_MISMATCH', fn);
  await Promise.resolve();
}

async function nonFinite(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  expectCode('fromHost([NaN])', 'NON_FINITE', () => be.fromHost([1, NaN], [2]));
  expectCode('fromHost([Infinity])', 'NON_FINITE', () =>
    be.fromHost(Float64Array.from([-Infinity]), [1]),
  );
  await Promise.resolve();
}

async function resources(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const x = up(be, randomHost(610, [3, 4]));
  const before = be.liveArrays();
  const out = be.scope(() => {
    const t = be.exp(x);
    const s = be.add(t, x);
    return { kept: be.sum(s, 0), also: [be.neg(s)] };
  });
  const after = be.liveArrays();
  if (before !== undefined && after !== before + 2) {
    throw new Error(
      `scope leaked or freed too much: ${before} live arrays before, ${String(after)} after (expected ${before + 2})`,
    );
  }
  if (JSON.stringify(out.kept.shape) !== '[4]' || out.also[0]?.shape.length !== 2) {
    throw new Error('scope did not return the value of its function');
  }
  await down(be, out.kept); // returned arrays stay usable
  be.dispose([out.kept, ...out.also]);
  if (before !== undefined && be.liveArrays() !== before) {
    throw new Error(`dispose left ${String(be.liveArrays())} live arrays, expected ${before}`);
  }
  const gone = be.fill([2], 1);
  be.dispose(gone);
  let threw = false;
  try {
    be.toHostSync(be.neg(gone));
  } catch {
    threw = true;
  }
  if (!threw) throw new Error('using a disposed array did not throw');
}

async function determinism(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const a = randomHost(620, [3, 6, 8]);
  const b = randomHost(621, [3, 8, 6]);
  const chain = async (): Promise<Float64Array> => {
    const A = up(be, a);
    const P = be.matmul(A, up(be, b));
    const C = be.circularCorrelate(
      be.softmax(P, -1),
      be.reshape(be.slice(A, [0, 0, 0], [3, 1, 6]), [3, 1, 6]),
    );
    return be.toHost(be.add(be.logSumExp(C, 1, true), be.softplus(C)));
  };
  const first = await chain();
  const second = await chain();
  for (let i = 0; i < first.length; i++) {
    if (!Object.is(first[i], second[i])) {
      throw new Error(`entry ${i} differs between two identical runs: ${first[i]} vs ${second[i]}`);
    }
  }
}

async function inputsUnchanged(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const a = asStored(ctx, randomHost(630, [2, 4]));
  const A = up(be, a);
  be.exp(A);
  be.add(A, A);
  be.softmax(A, 0);
  be.matmul(A, A, { transposeB: true });
  be.circularConvolve(A, A);
  be.sum(A, 1);
  await expectArray(ctx, 'ops leave their inputs unchanged', A, a, 0);
}

/** Batch semantics, errors, resources and determinism. */
export function semanticsCases(): ConformanceCase[] {
  return [
    {
      group: GROUP,
      name: 'a batched op equals the per-run ops stacked (batch-axis semantics)',
      run: batchAxis,
    },
    { group: GROUP, name: 'wrong shapes throw SHAPE_MISMATCH', run: shapeErrors },
    { group: GROUP, name: 'fromHost rejects NaN and ±Infinity with NON_FINITE', run: nonFinite },
    {
      group: GROUP,
      name: 'scope frees intermediates only; disposed arrays cannot be used (live-array count)',
      run: resources,
    },
    {
      group: GROUP,
      name: 'the same inputs twice give identical bits (determinism)',
      run: determinism,
    },
    {
      group: GROUP,
      name: 'ops never modify their inputs (read-back oracle)',
      run: inputsUnchanged,
    },
  ];
}

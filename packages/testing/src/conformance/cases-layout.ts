import { refConcat, refGather, refPad, refSlice, refTranspose } from '../reference.js';
import { asStored, expectArray, randomHost, up } from './context.js';
import type { CaseContext, ConformanceCase } from './context.js';

const GROUP = 'creation and layout';

async function roundTrip(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const h = randomHost(500, [2, 3, 4], -5, 5);
  const A = be.fromHost(h.data, h.shape);
  if (JSON.stringify(A.shape) !== '[2,3,4]')
    throw new Error(`fromHost shape is ${JSON.stringify(A.shape)}`);
  await expectArray(ctx, 'toHost(fromHost(x))', A, h, 1);
  const sync = { shape: h.shape, data: be.toHostSync(A) };
  await expectArray(ctx, 'toHostSync agrees with toHost', A, sync, 0);
  // the read-back is a copy: writing to it leaves the array unchanged
  sync.data.fill(123);
  await expectArray(ctx, 'toHostSync returns a copy', A, h, 1);
  const plain = be.fromHost([1, 2, 3, 4, 5, 6], [2, 3]);
  await expectArray(
    ctx,
    'fromHost(number[])',
    plain,
    { shape: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) },
    0,
  );
  await expectArray(
    ctx,
    'fill(shape)',
    be.fill([2, 2]),
    { shape: [2, 2], data: new Float64Array(4) },
    0,
  );
  await expectArray(
    ctx,
    'fill(shape, 2.5)',
    be.fill([3], 2.5),
    { shape: [3], data: Float64Array.from([2.5, 2.5, 2.5]) },
    0,
  );
  const scalar = be.fromHost([4.5], []);
  await expectArray(
    ctx,
    'rank-0 round trip',
    scalar,
    { shape: [], data: Float64Array.from([4.5]) },
    0,
  );
}

async function layout(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const a = asStored(ctx, randomHost(510, [2, 3, 4]));
  const b = asStored(ctx, randomHost(511, [2, 2, 4]));
  const A = up(be, a);
  const B = up(be, b);
  await expectArray(ctx, 'reshape', be.reshape(A, [6, 4]), { shape: [6, 4], data: a.data }, 0);
  await expectArray(
    ctx,
    'slice',
    be.slice(A, [1, 0, 1], [1, 2, 3]),
    refSlice(a, [1, 0, 1], [1, 2, 3]),
    0,
  );
  await expectArray(
    ctx,
    'slice with -1',
    be.slice(A, [0, 1, 2], [-1, -1, -1]),
    refSlice(a, [0, 1, 2], [-1, -1, -1]),
    0,
  );
  await expectArray(ctx, 'concat axis 1', be.concat([A, B], 1), refConcat([a, b], 1), 0);
  await expectArray(ctx, 'concat axis -1', be.concat([A, A], -1), refConcat([a, a], 2), 0);
  await expectArray(ctx, 'concat axis 0', be.concat([B, B, B], 0), refConcat([b, b, b], 0), 0);
  await expectArray(
    ctx,
    'gather axis 0',
    be.gather(A, [1, 0, 1], 0),
    refGather(a, [1, 0, 1], 0),
    0,
  );
  await expectArray(
    ctx,
    'gather axis -1',
    be.gather(A, [3, 3, 0], -1),
    refGather(a, [3, 3, 0], 2),
    0,
  );
  for (const perm of [
    [0, 2, 1],
    [2, 0, 1],
    [1, 2, 0],
    [2, 1, 0],
    [0, 1, 2],
  ]) {
    await expectArray(
      ctx,
      `transpose ${JSON.stringify(perm)}`,
      be.transpose(A, perm),
      refTranspose(a, perm),
      0,
    );
  }
  const pads: [number, number][] = [
    [0, 1],
    [2, 0],
    [1, 1],
  ];
  await expectArray(ctx, 'pad', be.pad(A, pads), refPad(a, pads), 0);
  await expectArray(ctx, 'layout ops leave their input unchanged', A, a, 0);
}

/** Creation, read-back and layout cases. */
export function layoutCases(): ConformanceCase[] {
  return [
    {
      group: GROUP,
      name: 'fromHost/toHost/toHostSync/fill round-trip without loss (identity oracle)',
      run: roundTrip,
    },
    {
      group: GROUP,
      name: 'reshape, slice, concat, gather, transpose and pad move entries exactly (index reference)',
      run: layout,
    },
  ];
}

import { EPSILON } from '@implicit-bias/core';
import type { Arr } from '@implicit-bias/backend';
import { refLogSumExpOf, refReduce, refSoftmax, refUnary } from '../reference.js';
import { assertClose } from '../compare.js';
import { asStored, down, expectArray, gridHost, randomHost, up } from './context.js';
import type { CaseContext, ConformanceCase } from './context.js';

const GROUP = 'reductions';
const SHAPE = [2, 3, 4];

type ReduceName = 'sum' | 'max' | 'min' | 'logSumExp';
const REFS: Readonly<Record<ReduceName, (v: number[]) => number>> = {
  sum: (v) => v.reduce((s, x) => s + x, 0),
  max: (v) => Math.max(...v),
  min: (v) => Math.min(...v),
  logSumExp: refLogSumExpOf,
};

function reduceCase(name: ReduceName): ConformanceCase {
  return {
    group: GROUP,
    name: `${name} over every axis, negative axes and keepDims (float64 reference loops)`,
    async run(ctx) {
      const be = ctx.backend;
      const a = asStored(ctx, randomHost(21, SHAPE, -3, 3));
      const A = up(be, a);
      const op = be[name].bind(be) as (x: Arr, axis: number, keepDims?: boolean) => Arr;
      for (let axis = -SHAPE.length; axis < SHAPE.length; axis++) {
        const ax = axis < 0 ? axis + SHAPE.length : axis;
        const n = SHAPE[ax]!;
        const absSum = refReduce(a, ax, false, (v) => v.reduce((s, x) => s + Math.abs(x), 0)).data;
        const scale = name === 'sum' ? absSum : undefined;
        const ops = n + 8;
        await expectArray(
          ctx,
          `${name}(axis ${axis})`,
          op(A, axis),
          refReduce(a, ax, false, REFS[name]),
          ops,
          scale,
        );
        await expectArray(
          ctx,
          `${name}(axis ${axis}, keepDims)`,
          op(A, axis, true),
          refReduce(a, ax, true, REFS[name]),
          ops,
          scale,
        );
      }
    },
  };
}

async function softmaxAxes(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const a = asStored(ctx, randomHost(22, SHAPE, -3, 3));
  const A = up(be, a);
  for (let axis = -SHAPE.length; axis < SHAPE.length; axis++) {
    const ax = axis < 0 ? axis + SHAPE.length : axis;
    await expectArray(
      ctx,
      `softmax(axis ${axis})`,
      be.softmax(A, axis),
      refSoftmax(a, ax),
      SHAPE[ax]! + 16,
    );
  }
}

async function huge(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  for (const offset of [1e4, -1e4]) {
    // entries on a float32-exact grid around ±1e4, spread ±4, one row all equal
    const h = gridHost(23, [3, 5], offset, 4);
    for (let j = 0; j < 5; j++) h.data[10 + j] = offset;
    const A = up(be, h);
    await expectArray(
      ctx,
      `logSumExp at ${offset}`,
      be.logSumExp(A, -1),
      refReduce(h, 1, false, refLogSumExpOf),
      8,
    );
    const p = await down(be, be.softmax(A, 1));
    // exp(x − lse) amplifies the rounding of x − lse (size |x|·ε) into a relative error
    const tol = ctx.tol(16);
    const widened = {
      rtol: tol.rtol + 4 * Math.abs(offset) * EPSILON[ctx.precision],
      atol: tol.atol,
    };
    assertClose(`softmax at ${offset}`, p, refSoftmax(h, 1), widened);
    const sums = refReduce(p, 1, false, (v) => v.reduce((s, x) => s + x, 0));
    assertClose(
      `softmax rows at ${offset} sum to 1`,
      sums,
      refUnary(sums, () => 1),
      widened,
    );
  }
}

/** Reduction conformance cases. */
export function reduceCases(): ConformanceCase[] {
  return [
    ...(['sum', 'max', 'min', 'logSumExp'] as const).map(reduceCase),
    {
      group: GROUP,
      name: 'softmax over every axis (float64 reference, shifted log-sum-exp)',
      run: softmaxAxes,
    },
    {
      group: GROUP,
      name: 'logSumExp and softmax at ±1e4 do not overflow (max-shifted log1p reference)',
      run: huge,
    },
  ];
}

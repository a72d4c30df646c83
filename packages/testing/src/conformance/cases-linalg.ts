import { refCircular, refMatmul, refUnary } from '../reference.js';
import type { HostArray } from '../reference.js';
import { asStored, expectArray, randomHost, up } from './context.js';
import type { CaseContext, ConformanceCase } from './context.js';

const GROUP = 'linear algebra';

const absOf = (h: HostArray): HostArray => refUnary(h, Math.abs);

/** Stored shape of an operand `[rows, cols]` of `op(X)`, optionally transposed and batched. */
function operandShape(batch: number | undefined, rows: number, cols: number, t: boolean): number[] {
  const core = t ? [cols, rows] : [rows, cols];
  return batch === undefined ? core : [batch, ...core];
}

async function matmulCombos(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const [m, k, n] = [3, 5, 4];
  // batch of A and B: unbatched, equal batches, and a batch of 1 stretched either way
  const batches: [number | undefined, number | undefined][] = [
    [undefined, undefined],
    [3, 3],
    [3, undefined],
    [undefined, 3],
    [1, 3],
    [3, 1],
  ];
  let seed = 300;
  for (const [ba, bb] of batches) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = asStored(ctx, randomHost(seed++, operandShape(ba, m, k, ta)));
        const b = asStored(ctx, randomHost(seed++, operandShape(bb, k, n, tb)));
        const label = `matmul(${JSON.stringify(a.shape)}${ta ? 'ᵀ' : ''}, ${JSON.stringify(b.shape)}${tb ? 'ᵀ' : ''})`;
        const out = be.matmul(up(be, a), up(be, b), { transposeA: ta, transposeB: tb });
        const scale = refMatmul(absOf(a), absOf(b), ta, tb).data;
        await expectArray(ctx, label, out, refMatmul(a, b, ta, tb), k + 4, scale);
      }
    }
  }
}

async function matmulLarger(ctx: CaseContext): Promise<void> {
  const be = ctx.backend;
  const a = asStored(ctx, randomHost(350, [2, 17, 33]));
  const b = asStored(ctx, randomHost(351, [2, 33, 9]));
  const scale = refMatmul(absOf(a), absOf(b)).data;
  await expectArray(
    ctx,
    'matmul [2,17,33]·[2,33,9]',
    be.matmul(up(be, a), up(be, b)),
    refMatmul(a, b),
    33 + 4,
    scale,
  );
}

function circularCase(kind: 'convolve' | 'correlate'): ConformanceCase {
  const op = kind === 'convolve' ? 'circularConvolve' : 'circularCorrelate';
  const formula =
    kind === 'convolve' ? 'c_i = Σ_j a_j b_{(i−j) mod d}' : 'c_i = Σ_j a_{(i+j) mod d} b_j';
  return {
    group: GROUP,
    name: `${op} equals the definition ${formula}, leading axes broadcast`,
    async run(ctx) {
      const be = ctx.backend;
      const shapes: [number[], number[]][] = [
        [[1], [1]],
        [[7], [7]],
        [
          [3, 8],
          [3, 8],
        ],
        [[3, 8], [8]],
        [[8], [2, 8]],
        [
          [2, 1, 6],
          [3, 6],
        ],
        [
          [2, 64],
          [2, 64],
        ],
        [[2, 100], [100]],
        [
          [1, 128],
          [1, 128],
        ],
        [[2, 300], [300]],
      ];
      let seed = 400;
      for (const [sa, sb] of shapes) {
        const a = asStored(ctx, randomHost(seed++, sa));
        const b = asStored(ctx, randomHost(seed++, sb));
        const d = sa[sa.length - 1]!;
        const scale = refCircular(absOf(a), absOf(b), kind).data;
        const out = be[op](up(be, a), up(be, b));
        await expectArray(
          ctx,
          `${op}(${JSON.stringify(sa)}, ${JSON.stringify(sb)})`,
          out,
          refCircular(a, b, kind),
          2 * d + 8,
          scale,
        );
      }
    },
  };
}

/** Matrix product and circular convolution/correlation cases. */
export function linalgCases(): ConformanceCase[] {
  return [
    {
      group: GROUP,
      name: 'matmul with every transpose and batch combination (triple-loop reference)',
      run: matmulCombos,
    },
    {
      group: GROUP,
      name: 'matmul with a longer inner dimension (triple-loop reference)',
      run: matmulLarger,
    },
    circularCase('convolve'),
    circularCase('correlate'),
  ];
}

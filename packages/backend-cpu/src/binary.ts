import { broadcastStrides, prod } from './indexing.js';

/** The broadcasting element-wise binary operations. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum';

const FN: Readonly<Record<BinaryOp, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  maximum: (x, y) => (x >= y || Number.isNaN(x) ? x : y),
};

/** `out[i] = a[i] ∘ b[i]` for equal lengths: one tight loop per op. */
function sameShape(op: BinaryOp, a: Float64Array, b: Float64Array, out: Float64Array): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!;
      return;
    case 'maximum': {
      const f = FN.maximum;
      for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
      return;
    }
  }
}

/** `out[i] = a[i] ∘ s` (or `s ∘ a[i]` when `scalarFirst`). */
function withScalar(
  op: BinaryOp,
  a: Float64Array,
  s: number,
  scalarFirst: boolean,
  out: Float64Array,
): void {
  const n = out.length;
  if (op === 'add') for (let i = 0; i < n; i++) out[i] = a[i]! + s;
  else if (op === 'mul') for (let i = 0; i < n; i++) out[i] = a[i]! * s;
  else if (op === 'sub' && !scalarFirst) for (let i = 0; i < n; i++) out[i] = a[i]! - s;
  else if (op === 'sub') for (let i = 0; i < n; i++) out[i] = s - a[i]!;
  else {
    const f = FN[op];
    if (scalarFirst) for (let i = 0; i < n; i++) out[i] = f(s, a[i]!);
    else for (let i = 0; i < n; i++) out[i] = f(a[i]!, s);
  }
}

/**
 * Element-wise `a ∘ b` with NumPy broadcasting to `outShape` (already validated).
 * Fast paths: equal shapes and a one-element operand; otherwise an odometer over the
 * output with the innermost axis as a strided loop.
 */
export function binaryKernel(
  op: BinaryOp,
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  outShape: readonly number[],
): Float64Array {
  const n = prod(outShape);
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (a.length === n && b.length === n) {
    sameShape(op, a, b, out);
    return out;
  }
  if (b.length === 1 && a.length === n) {
    withScalar(op, a, b[0]!, false, out);
    return out;
  }
  if (a.length === 1 && b.length === n) {
    withScalar(op, b, a[0]!, true, out);
    return out;
  }
  const f = FN[op];
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const last = outShape[rank - 1]!;
  const la = sa[rank - 1]!;
  const lb = sb[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o += last) {
    let pa = ia;
    let pb = ib;
    for (let j = 0; j < last; j++) {
      out[o + j] = f(a[pa]!, b[pb]!);
      pa += la;
      pb += lb;
    }
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (counter[d]! < outShape[d]!) break;
      ia -= counter[d]! * sa[d]!;
      ib -= counter[d]! * sb[d]!;
      counter[d] = 0;
    }
  }
  return out;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Product of the dimensions of `shape` in `[from, to)`. */
export function prod(shape: readonly number[], from = 0, to = shape.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i]!;
  return p;
}

/** Split a shape around an axis: `[outer, n, inner]` with `outer·n·inner = size`. */
export function aroundAxis(
  shape: readonly number[],
  axis: number,
): readonly [number, number, number] {
  return [prod(shape, 0, axis), shape[axis]!, prod(shape, axis + 1)];
}

/**
 * Strides of `inShape` seen from a broadcast `outShape` (trailing axes aligned): the step in
 * the input's flat index per unit step along each output axis, 0 where the input is stretched.
 */
export function broadcastStrides(
  inShape: readonly number[],
  outShape: readonly number[],
): number[] {
  const inStrides = stridesOf(inShape);
  const off = outShape.length - inShape.length;
  const s = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    s[i + off] = inShape[i] === 1 ? 0 : inStrides[i]!;
  }
  return s;
}

/**
 * For every flat index of `outShape`, the flat index into an array of `inShape` that
 * broadcasts to it. Used for row-level broadcasting, where the map is small.
 */
export function broadcastIndexMap(
  inShape: readonly number[],
  outShape: readonly number[],
): Int32Array {
  const n = prod(outShape);
  const map = new Int32Array(n);
  const strides = broadcastStrides(inShape, outShape);
  const rank = outShape.length;
  const counter = new Array<number>(rank).fill(0);
  let idx = 0;
  for (let i = 0; i < n; i++) {
    map[i] = idx;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      idx += strides[d]!;
      if (counter[d]! < outShape[d]!) break;
      idx -= counter[d]! * strides[d]!;
      counter[d] = 0;
    }
  }
  return map;
}

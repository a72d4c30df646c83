/**
 * Float64 host reference implementations of the Backend operations, written from the
 * definitions with explicit multi-indices. Deliberately simple and independent of any
 * backend's kernels: this is the oracle of the conformance suite.
 */

/** A dense row-major float64 array on the host. */
export interface HostArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

function count(shape: readonly number[]): number {
  return shape.reduce((p, s) => p * s, 1);
}

/** Flat row-major offset of a multi-index. */
function ravel(idx: readonly number[], shape: readonly number[]): number {
  let off = 0;
  for (let i = 0; i < shape.length; i++) off = off * shape[i]! + idx[i]!;
  return off;
}

/** Multi-index of a flat row-major offset. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    idx[i] = flat % s;
    flat = Math.floor(flat / s);
  }
  return idx;
}

/** Build an array by evaluating `f` at every multi-index of `shape`. */
export function tabulate(shape: readonly number[], f: (idx: number[]) => number): HostArray {
  const n = count(shape);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = f(unravel(i, shape));
  return { shape: [...shape], data };
}

/** Entry of `a` at a multi-index. */
export function at(a: HostArray, idx: readonly number[]): number {
  return a.data[ravel(idx, a.shape)]!;
}

/** NumPy broadcast shape (the reference assumes valid inputs). */
export function refBroadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[i - (r - a.length)] ?? 1;
    const y = b[i - (r - b.length)] ?? 1;
    out.push(Math.max(x, y) === 1 ? Math.min(x, y) : Math.max(x, y));
  }
  return out;
}

/** The entry of `a` that output multi-index `idx` reads under broadcasting. */
function broadcastAt(a: HostArray, idx: readonly number[]): number {
  const off = idx.length - a.shape.length;
  return at(
    a,
    a.shape.map((s, i) => (s === 1 ? 0 : idx[i + off]!)),
  );
}

/** Element-wise `f(a, b)` with broadcasting. */
export function refBinary(
  a: HostArray,
  b: HostArray,
  f: (x: number, y: number) => number,
): HostArray {
  return tabulate(refBroadcastShape(a.shape, b.shape), (idx) =>
    f(broadcastAt(a, idx), broadcastAt(b, idx)),
  );
}

/** Element-wise `f(a)`. */
export function refUnary(a: HostArray, f: (x: number) => number): HostArray {
  return { shape: [...a.shape], data: a.data.map(f) };
}

/** Reduce `axis` (non-negative) with `f` over the list of entries along it. */
export function refReduce(
  a: HostArray,
  axis: number,
  keepDims: boolean,
  f: (values: number[]) => number,
): HostArray {
  const outShape = a.shape.map((s, i) => (i === axis ? 1 : s));
  const r = tabulate(outShape, (idx) => {
    const values: number[] = [];
    for (let j = 0; j < a.shape[axis]!; j++) {
      values.push(
        at(
          a,
          idx.map((v, i) => (i === axis ? j : v)),
        ),
      );
    }
    return f(values);
  });
  return keepDims ? r : { shape: a.shape.filter((_, i) => i !== axis), data: r.data };
}

/** `log Σ exp(v)`: the largest term factored out and the rest summed through `log1p`. */
export function refLogSumExpOf(values: readonly number[]): number {
  let m = -Infinity;
  let arg = -1;
  values.forEach((v, i) => {
    if (v > m) [m, arg] = [v, i];
  });
  if (!Number.isFinite(m)) return m;
  let rest = 0;
  values.forEach((v, i) => {
    if (i !== arg) rest += Math.exp(v - m);
  });
  return m + Math.log1p(rest);
}

/** Softmax along `axis` (non-negative) from the reference log-sum-exp. */
export function refSoftmax(a: HostArray, axis: number): HostArray {
  const lse = refReduce(a, axis, true, refLogSumExpOf);
  return tabulate(a.shape, (idx) => Math.exp(at(a, idx) - broadcastAt(lse, idx)));
}

/** Logistic sigmoid `1/(1 + e^{−x})` (an overflowing `e^{−x}` correctly gives 0). */
export function refSigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Softplus `log(1 + e^x)`, written as `x + log(1 + e^{−x})` for positive x. */
export function refSoftplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** `op(A)·op(B)` over the last two axes, rank 2 or 3 each, batch broadcast. */
export function refMatmul(a: HostArray, b: HostArray, ta = false, tb = false): HostArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = ta ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const n = tb ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  const batched = ra === 3 || rb === 3;
  const batch = Math.max(ra === 3 ? a.shape[0]! : 1, rb === 3 ? b.shape[0]! : 1);
  const A = (t: number, i: number, p: number): number => {
    const bt = ra === 3 && a.shape[0] !== 1 ? [t] : ra === 3 ? [0] : [];
    return at(a, [...bt, ...(ta ? [p, i] : [i, p])]);
  };
  const B = (t: number, p: number, j: number): number => {
    const bt = rb === 3 && b.shape[0] !== 1 ? [t] : rb === 3 ? [0] : [];
    return at(b, [...bt, ...(tb ? [j, p] : [p, j])]);
  };
  return tabulate(batched ? [batch, m, n] : [m, n], (idx) => {
    const [t, i, j] = batched ? idx : [0, ...idx];
    let s = 0;
    for (let p = 0; p < k; p++) s += A(t!, i!, p) * B(t!, p, j!);
    return s;
  });
}

/** Circular convolution or correlation along the last axis (leading axes broadcast). */
export function refCircular(a: HostArray, b: HostArray, kind: 'convolve' | 'correlate'): HostArray {
  const d = a.shape[a.shape.length - 1]!;
  const lead = refBroadcastShape(a.shape.slice(0, -1), b.shape.slice(0, -1));
  const mod = (x: number): number => ((x % d) + d) % d;
  return tabulate([...lead, d], (idx) => {
    const row = idx.slice(0, -1);
    const i = idx[idx.length - 1]!;
    let s = 0;
    for (let j = 0; j < d; j++) {
      s +=
        kind === 'convolve'
          ? broadcastAt(a, [...row, j]) * broadcastAt(b, [...row, mod(i - j)])
          : broadcastAt(a, [...row, mod(i + j)]) * broadcastAt(b, [...row, j]);
    }
    return s;
  });
}

/** The block at `begin` of extent `size` (`-1`: to the end). */
export function refSlice(
  a: HostArray,
  begin: readonly number[],
  size: readonly number[],
): HostArray {
  const shape = size.map((s, i) => (s === -1 ? a.shape[i]! - begin[i]! : s));
  return tabulate(shape, (idx) =>
    at(
      a,
      idx.map((v, i) => v + begin[i]!),
    ),
  );
}

/** Join along `axis` (non-negative). */
export function refConcat(arrs: readonly HostArray[], axis: number): HostArray {
  const starts: number[] = [];
  let total = 0;
  for (const x of arrs) {
    starts.push(total);
    total += x.shape[axis]!;
  }
  const shape = arrs[0]!.shape.map((s, i) => (i === axis ? total : s));
  return tabulate(shape, (idx) => {
    const v = idx[axis]!;
    let w = arrs.length - 1;
    while (starts[w]! > v) w--;
    return at(
      arrs[w]!,
      idx.map((x, i) => (i === axis ? x - starts[w]! : x)),
    );
  });
}

/** Select `indices` along `axis` (non-negative). */
export function refGather(a: HostArray, indices: readonly number[], axis: number): HostArray {
  const shape = a.shape.map((s, i) => (i === axis ? indices.length : s));
  return tabulate(shape, (idx) =>
    at(
      a,
      idx.map((v, i) => (i === axis ? indices[v]! : v)),
    ),
  );
}

/** Output axis i is input axis `perm[i]`. */
export function refTranspose(a: HostArray, perm: readonly number[]): HostArray {
  return tabulate(
    perm.map((p) => a.shape[p]!),
    (idx) => {
      const src = new Array<number>(perm.length);
      perm.forEach((p, i) => (src[p] = idx[i]!));
      return at(a, src);
    },
  );
}

/** Zero padding by `[before, after]` per axis. */
export function refPad(a: HostArray, paddings: readonly (readonly [number, number])[]): HostArray {
  const shape = a.shape.map((s, i) => s + paddings[i]![0] + paddings[i]![1]);
  return tabulate(shape, (idx) => {
    const src = idx.map((v, i) => v - paddings[i]![0]);
    return src.every((v, i) => v >= 0 && v < a.shape[i]!) ? at(a, src) : 0;
  });
}

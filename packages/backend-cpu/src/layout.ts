import { ImplicitBiasError, formatShape } from '@implicit-bias/core';
import { normalizeAxis } from '@implicit-bias/backend';
import type { CpuData } from './store.js';
import { prod, stridesOf } from './indexing.js';

function mismatch(op: string, message: string): ImplicitBiasError {
  return new ImplicitBiasError('SHAPE_MISMATCH', message, { path: op });
}

function isCount(v: number): boolean {
  return Number.isInteger(v) && v >= 0;
}

/** Validate a reshape target: non-negative integers with the same element count. */
export function checkReshape(from: readonly number[], to: readonly number[]): void {
  if (!to.every(isCount) || prod(to) !== prod(from)) {
    throw mismatch(
      'reshape',
      `cannot reshape ${formatShape(from)} (${prod(from)} entries) to ${formatShape(to)}; ` +
        'the new shape needs non-negative integer dimensions with the same product',
    );
  }
}

/**
 * Copy the block of `a` at `begin` with extent `size` (validated); contiguous runs along the
 * last axis are copied with `set`.
 */
export function sliceKernel(
  a: CpuData,
  begin: readonly number[],
  size: readonly number[],
): { shape: number[]; data: Float64Array } {
  const rank = a.shape.length;
  if (begin.length !== rank || size.length !== rank) {
    throw mismatch(
      'slice',
      `begin ${formatShape(begin)} and size ${formatShape(size)} need one entry per axis of ${formatShape(a.shape)}`,
    );
  }
  const shape = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const dim = a.shape[i]!;
    const b = begin[i]!;
    const s = size[i] === -1 ? dim - b : size[i]!;
    if (!isCount(b) || !isCount(s) || b + s > dim) {
      throw mismatch(
        'slice',
        `axis ${i}: begin ${b} and size ${size[i]} do not fit in dimension ${dim} of ${formatShape(a.shape)}`,
      );
    }
    shape[i] = s;
  }
  const n = prod(shape);
  const out = new Float64Array(n);
  if (n === 0) return { shape, data: out };
  if (rank === 0) {
    out[0] = a.data[0]!;
    return { shape, data: out };
  }
  const strides = stridesOf(a.shape);
  const last = shape[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < rank; i++) src += begin[i]! * strides[i]!;
  for (let o = 0; o < n; o += last) {
    out.set(a.data.subarray(src, src + last), o);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      src += strides[d]!;
      if (counter[d]! < shape[d]!) break;
      src -= counter[d]! * strides[d]!;
      counter[d] = 0;
    }
  }
  return { shape, data: out };
}

/** Join arrays along `axis`; every other dimension must agree. */
export function concatKernel(
  arrs: readonly CpuData[],
  axisIn: number,
): { shape: number[]; data: Float64Array } {
  const first = arrs[0];
  if (first === undefined) throw mismatch('concat', 'needs at least one array');
  const rank = first.shape.length;
  const axis = normalizeAxis(axisIn, rank, 'concat');
  let total = 0;
  for (const x of arrs) {
    const ok =
      x.shape.length === rank && x.shape.every((s, i) => i === axis || s === first.shape[i]);
    if (!ok) {
      throw mismatch(
        'concat',
        `shapes ${arrs.map((y) => formatShape(y.shape)).join(', ')} differ off axis ${axis}`,
      );
    }
    total += x.shape[axis]!;
  }
  const shape = first.shape.map((s, i) => (i === axis ? total : s));
  const outer = prod(shape, 0, axis);
  const inner = prod(shape, axis + 1);
  const out = new Float64Array(prod(shape));
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (const x of arrs) {
      const chunk = x.shape[axis]! * inner;
      out.set(x.data.subarray(r * chunk, (r + 1) * chunk), o);
      o += chunk;
    }
  }
  return { shape, data: out };
}

/** Select `indices` along `axis`. */
export function gatherKernel(
  a: CpuData,
  indices: readonly number[],
  axisIn: number,
): { shape: number[]; data: Float64Array } {
  const axis = normalizeAxis(axisIn, a.shape.length, 'gather');
  const dim = a.shape[axis]!;
  for (const idx of indices) {
    if (!Number.isInteger(idx) || idx < 0 || idx >= dim) {
      throw mismatch('gather', `index ${idx} is out of range [0, ${dim}) on axis ${axis}`);
    }
  }
  const outer = prod(a.shape, 0, axis);
  const inner = prod(a.shape, axis + 1);
  const shape = a.shape.map((s, i) => (i === axis ? indices.length : s));
  const out = new Float64Array(outer * indices.length * inner);
  let o = 0;
  for (let r = 0; r < outer; r++) {
    for (const idx of indices) {
      const src = (r * dim + idx) * inner;
      out.set(a.data.subarray(src, src + inner), o);
      o += inner;
    }
  }
  return { shape, data: out };
}

/** Permute axes: output axis i is input axis `perm[i]`. */
export function transposeKernel(
  a: CpuData,
  perm: readonly number[],
): { shape: number[]; data: Float64Array } {
  const rank = a.shape.length;
  const seen = new Set(perm);
  if (perm.length !== rank || seen.size !== rank || !perm.every((p) => isCount(p) && p < rank)) {
    throw mismatch(
      'transpose',
      `perm ${formatShape(perm)} is not a permutation of the ${rank} axes of ${formatShape(a.shape)}`,
    );
  }
  const shape = perm.map((p) => a.shape[p]!);
  const n = a.data.length;
  const out = new Float64Array(n);
  if (n === 0 || rank === 0) return { shape, data: a.data.slice() };
  const inStrides = stridesOf(a.shape);
  const st = perm.map((p) => inStrides[p]!);
  const last = shape[rank - 1]!;
  const ls = st[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < n; o += last) {
    let p = src;
    for (let j = 0; j < last; j++, p += ls) out[o + j] = a.data[p]!;
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      src += st[d]!;
      if (counter[d]! < shape[d]!) break;
      src -= counter[d]! * st[d]!;
      counter[d] = 0;
    }
  }
  return { shape, data: out };
}

/** Zero-pad each axis by `[before, after]`. */
export function padKernel(
  a: CpuData,
  paddings: readonly (readonly [number, number])[],
): { shape: number[]; data: Float64Array } {
  const rank = a.shape.length;
  const ok =
    paddings.length === rank &&
    paddings.every((p) => Array.isArray(p) && p.length === 2 && isCount(p[0]) && isCount(p[1]));
  if (!ok) {
    throw mismatch(
      'pad',
      `paddings need one [before, after] pair of non-negative integers per axis of ${formatShape(a.shape)}`,
    );
  }
  const shape = a.shape.map((s, i) => s + paddings[i]![0] + paddings[i]![1]);
  const out = new Float64Array(prod(shape));
  const n = a.data.length;
  if (n === 0) return { shape, data: out };
  if (rank === 0) {
    out[0] = a.data[0]!;
    return { shape, data: out };
  }
  const outStrides = stridesOf(shape);
  const last = a.shape[rank - 1]!;
  const counter = new Array<number>(rank).fill(0);
  let dst = 0;
  for (let i = 0; i < rank; i++) dst += paddings[i]![0] * outStrides[i]!;
  for (let s = 0; s < n; s += last) {
    out.set(a.data.subarray(s, s + last), dst);
    for (let d = rank - 2; d >= 0; d--) {
      counter[d]!++;
      dst += outStrides[d]!;
      if (counter[d]! < a.shape[d]!) break;
      dst -= counter[d]! * outStrides[d]!;
      counter[d] = 0;
    }
  }
  return { shape, data: out };
}

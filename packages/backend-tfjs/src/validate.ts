import { ImplicitBiasError, formatShape, sizeOf } from '@implicit-bias/core';
import { normalizeAxis } from '@implicit-bias/backend';

/**
 * Shape checks of the shape-changing ops, run before any tfjs kernel so that every mistake is an
 * `ImplicitBiasError` with code `SHAPE_MISMATCH` naming the op (tfjs would throw a plain `Error`).
 */

function mismatch(op: string, message: string): ImplicitBiasError {
  return new ImplicitBiasError('SHAPE_MISMATCH', message, { path: op });
}

/** Validate the target shape of a reshape and return it as a mutable copy. */
export function reshapeShape(from: readonly number[], to: readonly number[]): number[] {
  const n = sizeOf(to, 'reshape');
  if (n !== sizeOf(from, 'reshape')) {
    throw mismatch(
      'reshape',
      `cannot reshape ${formatShape(from)} (${sizeOf(from)} entries) to ${formatShape(to)} (${n} entries); the sizes must agree`,
    );
  }
  return [...to];
}

/** Validate a slice and return `[begin, size]` with every `-1` resolved. */
export function sliceArgs(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): [number[], number[]] {
  if (begin.length !== shape.length || size.length !== shape.length) {
    throw mismatch(
      'slice',
      `begin ${formatShape(begin)} and size ${formatShape(size)} must each have one entry per axis of ${formatShape(shape)}`,
    );
  }
  const outSize = new Array<number>(shape.length);
  for (let i = 0; i < shape.length; i++) {
    const dim = shape[i]!;
    const b = begin[i]!;
    const s = size[i]! === -1 ? dim - b : size[i]!;
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > dim) {
      throw mismatch(
        'slice',
        `block begin ${formatShape(begin)}, size ${formatShape(size)} does not fit in ${formatShape(shape)} (axis ${i})`,
      );
    }
    outSize[i] = s;
  }
  return [[...begin], outSize];
}

/** Validate a concatenation and return the normalized axis. */
export function concatAxis(shapes: readonly (readonly number[])[], axis: number): number {
  const first = shapes[0];
  if (first === undefined) throw mismatch('concat', 'needs at least one array');
  const ax = normalizeAxis(axis, first.length, 'concat');
  for (const s of shapes) {
    const agree = s.length === first.length && s.every((d, i) => i === ax || d === first[i]);
    if (!agree) {
      throw mismatch(
        'concat',
        `shapes ${formatShape(first)} and ${formatShape(s)} differ outside axis ${axis}`,
      );
    }
  }
  return ax;
}

/** Validate gather indices against the gathered axis and return the normalized axis. */
export function gatherAxis(
  shape: readonly number[],
  indices: readonly number[],
  axis: number,
): number {
  const ax = normalizeAxis(axis, shape.length, 'gather');
  const dim = shape[ax]!;
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= dim) {
      throw mismatch(
        'gather',
        `index ${String(i)} is out of range for axis ${axis} of ${formatShape(shape)}`,
      );
    }
  }
  return ax;
}

/** Validate a permutation of `rank` axes. */
export function checkPerm(rank: number, perm: readonly number[]): number[] {
  const seen = new Array<boolean>(rank).fill(false);
  const ok =
    perm.length === rank &&
    perm.every((p) => {
      if (!Number.isInteger(p) || p < 0 || p >= rank || seen[p]) return false;
      seen[p] = true;
      return true;
    });
  if (!ok) {
    throw mismatch('transpose', `${formatShape(perm)} is not a permutation of ${rank} axes`);
  }
  return [...perm];
}

/** Validate zero-padding widths, one `[before, after]` pair of non-negative integers per axis. */
export function padArgs(
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
): [number, number][] {
  if (paddings.length !== shape.length) {
    throw mismatch(
      'pad',
      `needs one [before, after] pair per axis of ${formatShape(shape)}, got ${paddings.length}`,
    );
  }
  return paddings.map(([b, a], i) => {
    if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) {
      throw mismatch('pad', `padding of axis ${i} must be non-negative integers, got [${b}, ${a}]`);
    }
    return [b, a];
  });
}

import { ImplicitBiasError } from '@implicit-bias/core';
import { checkInt } from './validate.js';

/**
 * A finite group as plain data (docs/theory/group-equivariant.md):
 * - `{ kind: 'cyclic', n }`: `C_n = Z/n`, element `k` is the rotation `r^k`, `a·b = (a + b) mod n`;
 * - `{ kind: 'dihedral', n }`: `D_n` of order `2n` (n ≥ 1), element `k < n` is `r^k` and `n + k` is
 *   `s r^k`, with `r^n = s² = e` and `r s = s r^{−1}`;
 * - `{ kind: 'table', table }`: a multiplication table, `table[a][b]` the index of `a·b`
 *   (validated: closure, associativity, identity, inverses).
 */
export type GroupSpec =
  | {
      /** The cyclic group C_n. */
      readonly kind: 'cyclic';
      /** Order n ≥ 1. */
      readonly n: number;
    }
  | {
      /** The dihedral group D_n of order 2n. */
      readonly kind: 'dihedral';
      /** Number of rotations n ≥ 1 (order 2n). */
      readonly n: number;
    }
  | {
      /** A group given by its multiplication table. */
      readonly kind: 'table';
      /** `table[a][b]` = index of the product `a·b`, indices `0..|G|−1`. */
      readonly table: readonly (readonly number[])[];
    };

/** A validated finite group: elements are indices `0..order−1`. */
export interface FiniteGroup {
  /** The spec it was built from (normalized copy). */
  readonly spec: GroupSpec;
  /** Order |G|. */
  readonly order: number;
  /** Row-major multiplication table: `mul[a·order + b]` = index of `a·b`. */
  readonly mul: Int32Array;
  /** Index of the identity e. */
  readonly identity: number;
  /** `inverse[g]` = index of `g⁻¹`. */
  readonly inverse: Int32Array;
  /** True when `a·b = b·a` for all elements. */
  readonly abelian: boolean;
}

/** Groups larger than this are refused (the network and the irreps hold |G|²-sized tables). */
export const MAX_GROUP_ORDER = 4096;

function fromTable(spec: GroupSpec, order: number, mul: Int32Array, path: string): FiniteGroup {
  const at = (a: number, b: number): number => mul[a * order + b]!;
  let identity = -1;
  for (let e = 0; e < order && identity < 0; e++) {
    let ok = true;
    for (let g = 0; g < order && ok; g++) ok = at(e, g) === g && at(g, e) === g;
    if (ok) identity = e;
  }
  if (identity < 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'has no identity element (no row e with e·g = g·e = g for every g); a multiplication table must describe a group',
      { path },
    );
  }
  const inverse = new Int32Array(order).fill(-1);
  for (let g = 0; g < order; g++) {
    for (let h = 0; h < order; h++) {
      if (at(g, h) === identity && at(h, g) === identity) {
        inverse[g] = h;
        break;
      }
    }
    if (inverse[g]! < 0) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `element ${g} has no inverse (no h with ${g}·h = h·${g} = identity ${identity})`,
        { path: `${path}[${g}]` },
      );
    }
  }
  for (let a = 0; a < order; a++)
    for (let b = 0; b < order; b++) {
      const ab = at(a, b);
      for (let c = 0; c < order; c++) {
        if (at(ab, c) !== at(a, at(b, c))) {
          throw new ImplicitBiasError(
            'INVALID_CONFIG',
            `is not associative: (${a}·${b})·${c} = ${at(ab, c)} but ${a}·(${b}·${c}) = ${at(a, at(b, c))}`,
            { path },
          );
        }
      }
    }
  let abelian = true;
  for (let a = 0; a < order && abelian; a++)
    for (let b = 0; b < a && abelian; b++) abelian = at(a, b) === at(b, a);
  return { spec, order, mul, identity, inverse, abelian };
}

function checkOrder(order: number, path: string): void {
  if (order > MAX_GROUP_ORDER) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `group order ${order} exceeds ${MAX_GROUP_ORDER}; the group network holds |G|×|G| tables`,
      { path },
    );
  }
}

/**
 * Build and validate a {@link FiniteGroup} from its spec (plain data, for example from JSON).
 * Errors are `INVALID_CONFIG` naming the field: `group.kind`, `group.n`, `group.table`,
 * `group.table[3]`, `group.table[3][1]` (closure), or the table as a whole (associativity,
 * identity).
 *
 * @param spec a {@link GroupSpec}
 * @param path the field name used in errors (default `'group'`)
 */
export function finiteGroup(spec: GroupSpec, path = 'group'): FiniteGroup {
  if (typeof spec !== 'object' || spec === null) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      "must be { kind: 'cyclic' | 'dihedral', n } or { kind: 'table', table }",
      { path },
    );
  }
  const raw = spec as unknown as Record<string, unknown>;
  if (raw['kind'] === 'cyclic' || raw['kind'] === 'dihedral') {
    const n = checkInt(raw['n'], 1, `${path}.n`);
    const order = raw['kind'] === 'cyclic' ? n : 2 * n;
    checkOrder(order, `${path}.n`);
    const mul = new Int32Array(order * order);
    for (let a = 0; a < order; a++)
      for (let b = 0; b < order; b++) {
        if (raw['kind'] === 'cyclic') mul[a * order + b] = (a + b) % n;
        else {
          // s^i r^j · s^k r^l = s^{i+k} r^{(−1)^k j + l}
          const [i, j] = [Math.floor(a / n), a % n];
          const [k, l] = [Math.floor(b / n), b % n];
          const rot = ((((k === 0 ? j : -j) + l) % n) + n) % n;
          mul[a * order + b] = ((i + k) % 2) * n + rot;
        }
      }
    return fromTable({ kind: raw['kind'], n }, order, mul, path);
  }
  if (raw['kind'] !== 'table') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be 'cyclic', 'dihedral' or 'table', got ${JSON.stringify(raw['kind']) ?? 'undefined'}`,
      { path: `${path}.kind` },
    );
  }
  const table = raw['table'];
  const tpath = `${path}.table`;
  if (!Array.isArray(table) || table.length === 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'must be a non-empty square array: table[a][b] = index of a·b',
      { path: tpath },
    );
  }
  const order = table.length;
  checkOrder(order, tpath);
  const mul = new Int32Array(order * order);
  for (let a = 0; a < order; a++) {
    const row: unknown = table[a];
    if (!Array.isArray(row) || row.length !== order) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `must be an array of ${order} indices (the table is |G|×|G|), got ${Array.isArray(row) ? `length ${row.length}` : typeof row}`,
        { path: `${tpath}[${a}]` },
      );
    }
    for (let b = 0; b < order; b++) {
      const v: unknown = row[b];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= order) {
        throw new ImplicitBiasError(
          'INVALID_CONFIG',
          `is not closed: a product must be an element index in [0, ${order - 1}], got ${JSON.stringify(v) ?? String(v)}`,
          { path: `${tpath}[${a}][${b}]` },
        );
      }
      mul[a * order + b] = v;
    }
  }
  const copy = Array.from({ length: order }, (_, a) =>
    Array.from(mul.subarray(a * order, (a + 1) * order)),
  );
  return fromTable({ kind: 'table', table: copy }, order, mul, tpath);
}

import { key, uniform } from '@implicit-bias/core';
import type { Precision, Tolerance } from '@implicit-bias/core';
import type { Arr, Backend } from '@implicit-bias/backend';
import { assertClose } from '../compare.js';
import type { HostArray } from '../reference.js';

/** What a conformance case runs against. */
export interface CaseContext {
  /** The backend under test. */
  readonly backend: Backend;
  /** Its precision (tolerances derive from it). */
  readonly precision: Precision;
  /** Tolerance for results `ops` roundings away from the float64 reference. */
  tol(ops?: number): Tolerance;
}

/** One named check of the Backend contract. */
export interface ConformanceCase {
  /** Group of the contract it covers (`'element-wise'`, `'linear algebra'`, …). */
  readonly group: string;
  /** What it checks, naming the oracle. */
  readonly name: string;
  /** Resolves when the backend conforms; rejects with an Error describing the violation. */
  run(ctx: CaseContext): Promise<void>;
}

/** Seeded host data: `count(shape)` uniform entries in `[lo, hi)`. */
export function randomHost(seed: number, shape: readonly number[], lo = -1, hi = 1): HostArray {
  const n = shape.reduce((p, s) => p * s, 1);
  return { shape: [...shape], data: uniform(key(seed), n, lo, hi) };
}

/**
 * Host data exactly representable in float32 (multiples of 1/8 around `offset`), so that a
 * float32 backend sees the same inputs as the float64 reference.
 */
export function gridHost(
  seed: number,
  shape: readonly number[],
  offset: number,
  spread: number,
): HostArray {
  const r = randomHost(seed, shape, -spread, spread);
  return { shape: r.shape, data: r.data.map((v) => offset + Math.round(v * 8) / 8) };
}

/** Upload a host array. */
export function up(be: Backend, h: HostArray): Arr {
  return be.fromHost(h.data, h.shape);
}

/** Read an array back with its shape. */
export async function down(be: Backend, a: Arr): Promise<HostArray> {
  return { shape: [...a.shape], data: await be.toHost(a) };
}

/** The host data a backend actually holds after `fromHost` (rounded to its precision). */
export function asStored(ctx: CaseContext, h: HostArray): HostArray {
  return ctx.precision === 'float32' ? { shape: h.shape, data: h.data.map(Math.fround) } : h;
}

/** Read back `a` and compare with `expected` (see `assertClose`). */
export async function expectArray(
  ctx: CaseContext,
  label: string,
  a: Arr,
  expected: HostArray,
  ops: number,
  scale?: ArrayLike<number>,
): Promise<void> {
  assertClose(label, await down(ctx.backend, a), expected, ctx.tol(ops), scale);
}

/** Throw unless `fn` throws an error whose `code` is `code`. */
export function expectCode(label: string, code: string, fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined)
    throw new Error(`${label}: expected a ${code} error, nothing was thrown`);
  const got = (caught as { code?: unknown }).code;
  if (got !== code) {
    const msg = caught instanceof Error ? caught.message : String(caught);
    throw new Error(`${label}: expected code ${code}, got ${String(got)} (${msg})`);
  }
}

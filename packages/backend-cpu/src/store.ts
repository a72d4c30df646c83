import { ImplicitBiasError } from '@implicit-bias/core';
import type { Arr } from '@implicit-bias/backend';

/** The storage behind one cpu array: its shape and row-major float64 entries. */
export interface CpuData {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/**
 * A cpu array handle: a frozen `{ shape }` whose entries live in private fields, readable only
 * by the store that made it. (Before, entries lived in a `WeakMap` keyed by the handle; every
 * op paid a weak-map insertion and the garbage collector an ephemeron entry per temporary,
 * which dominated small gradients — see docs/benchmarks.md.)
 */
class CpuArray implements Arr {
  readonly shape: readonly number[];
  #data: Float64Array | undefined;
  readonly #owner: object;

  constructor(shape: readonly number[], data: Float64Array, owner: object) {
    this.shape = Object.freeze([...shape]);
    this.#data = data;
    this.#owner = owner;
    Object.freeze(this);
  }

  /** The entries when `a` is a live array of `owner`, else undefined. */
  static dataOf(a: unknown, owner: object): Float64Array | undefined {
    if (a === null || typeof a !== 'object' || !(#data in a)) return undefined;
    const arr = a as CpuArray;
    return arr.#owner === owner ? arr.#data : undefined;
  }

  /** Drop the entries of `a` when it belongs to `owner`. */
  static release(a: unknown, owner: object): void {
    if (a !== null && typeof a === 'object' && #data in a) {
      const arr = a as CpuArray;
      if (arr.#owner === owner) arr.#data = undefined;
    }
  }
}

/**
 * The arrays a cpu backend owns. Handles are frozen `{ shape }` objects holding their entries
 * privately; disposal drops the entries and `clear()` (on `close()`) invalidates every handle
 * at once by changing the owner token, so later use is an error while the garbage collector
 * still frees whatever is dropped.
 */
export class ArrayStore {
  private owner: object = {};

  /** Wrap `data` (taken over, never copied) as a new handle of the given shape. */
  wrap(shape: readonly number[], data: Float64Array): Arr {
    return new CpuArray(shape, data, this.owner);
  }

  /** The storage of `a`; throws when it was disposed or belongs to another backend. */
  get(a: Arr, op: string): CpuData {
    const data = CpuArray.dataOf(a, this.owner);
    if (data === undefined) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        'the array was disposed or was not created by this cpu backend; ' +
          'keep arrays alive until their last use and pass only arrays of this backend',
        { path: op },
      );
    }
    return { shape: a.shape, data };
  }

  /** Forget one handle; later use throws. */
  dispose(a: Arr): void {
    CpuArray.release(a, this.owner);
  }

  /** Forget every handle. */
  clear(): void {
    this.owner = {};
  }
}

import { ImplicitBiasError } from '@implicit-bias/core';
import type { Arr } from '@implicit-bias/backend';

/** The storage behind one cpu array: its shape and row-major float64 entries. */
export interface CpuData {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/**
 * The arrays a cpu backend owns. Handles are frozen `{ shape }` objects; their entries live
 * in a weak map, so disposal or `close()` makes later use an error while the garbage
 * collector still frees whatever is dropped.
 */
export class ArrayStore {
  private live = new WeakMap<Arr, Float64Array>();

  /** Wrap `data` (taken over, never copied) as a new handle of the given shape. */
  wrap(shape: readonly number[], data: Float64Array): Arr {
    const handle: Arr = Object.freeze({ shape: Object.freeze([...shape]) });
    this.live.set(handle, data);
    return handle;
  }

  /** The storage of `a`; throws when it was disposed or belongs to another backend. */
  get(a: Arr, op: string): CpuData {
    const data = a === null || typeof a !== 'object' ? undefined : this.live.get(a);
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
    this.live.delete(a);
  }

  /** Forget every handle. */
  clear(): void {
    this.live = new WeakMap<Arr, Float64Array>();
  }
}

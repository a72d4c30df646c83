import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * The tensors one backend instance created, so that `close()` can free those still alive.
 * Disposed tensors are swept out whenever the set doubles, which keeps the cost per op constant
 * and the set no larger than about twice the live tensors.
 */
export class OwnedTensors {
  private readonly set = new Set<Tensor>();
  private limit = 1024;

  /** Record a tensor and return it. */
  add(t: Tensor): Tensor {
    this.set.add(t);
    if (this.set.size > this.limit) {
      for (const x of this.set) if (x.isDisposed) this.set.delete(x);
      this.limit = Math.max(1024, 2 * this.set.size);
    }
    return t;
  }

  /** Forget a tensor (it is being disposed by its owner). */
  delete(t: Tensor): void {
    this.set.delete(t);
  }

  /** Dispose every recorded tensor that is still alive and forget them all. */
  disposeAll(): void {
    for (const x of this.set) if (!x.isDisposed) x.dispose();
    this.set.clear();
  }
}

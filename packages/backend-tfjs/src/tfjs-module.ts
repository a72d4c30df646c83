import type * as tfjsCore from '@tensorflow/tfjs-core';

/** The `@tensorflow/tfjs-core` module namespace (what `import * as tf from '@tensorflow/tfjs-core'` gives). */
export type Tfjs = typeof tfjsCore;

/**
 * Load `@tensorflow/tfjs-core` lazily, so that importing an implicit-bias backend package
 * loads no tfjs code. Works with both the ESM namespace and a CommonJS `default` wrapper.
 */
export async function loadTfjsCore(): Promise<Tfjs> {
  const m = (await import('@tensorflow/tfjs-core')) as Tfjs & { default?: Tfjs };
  return typeof m.tensor === 'function' ? m : (m.default ?? m);
}

// tfjs-core's declarations use the global `Long` of @types/long without referencing it, so a
// consumer with a restricted `types` list would see "Cannot find name 'Long'": reference it here,
// where our declarations first reach tfjs-core (kept in the emitted .d.ts by preserve).
/// <reference types="long" preserve="true" />
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

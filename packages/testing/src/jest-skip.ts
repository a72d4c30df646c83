/**
 * Skipping tests after collection. Jest collects tests synchronously while a backend's probe
 * is asynchronous, and jest has no public "skip at run time" API. jest-circus reads each
 * test's `mode` when the test starts, after the `beforeAll` hooks of its block, so a block
 * captured at collection can have its tests marked skipped once the probe has answered.
 * This reaches into jest-circus's state; when that state is not found (another runner, a
 * changed jest), {@link captureDescribeBlock} returns undefined and callers fail loudly
 * instead.
 */

/** The parts of a jest-circus test or describe block this module touches. */
interface CircusEntry {
  readonly type: string;
  name: string;
  mode?: string | undefined;
  readonly children?: CircusEntry[];
}

interface CircusState {
  readonly currentDescribeBlock?: CircusEntry;
}

function circusState(): CircusState | undefined {
  const g = globalThis as unknown as Record<symbol, unknown>;
  for (const s of Object.getOwnPropertySymbols(globalThis)) {
    if (s.description === 'JEST_STATE_SYMBOL') {
      const st = g[s];
      if (st !== null && typeof st === 'object') return st as CircusState;
    }
  }
  return undefined;
}

/** A handle on the describe block being collected, to skip its tests later. */
export interface SkippableBlock {
  /** Mark every test of the block skipped; the first one's title gets the `reason` prefix. */
  skipAll(reason: string): void;
}

/** Capture the describe block whose callback is running now, or undefined outside jest-circus. */
export function captureDescribeBlock(): SkippableBlock | undefined {
  const block = circusState()?.currentDescribeBlock;
  if (block === undefined || block.type !== 'describeBlock' || !Array.isArray(block.children)) {
    return undefined;
  }
  return {
    skipAll(reason: string): void {
      let first = true;
      const visit = (e: CircusEntry): void => {
        if (e.type === 'test') {
          if (first) e.name = `${reason} (skipped: ${e.name})`;
          first = false;
          e.mode = 'skip';
        }
        for (const c of e.children ?? []) visit(c);
      };
      visit(block);
    },
  };
}

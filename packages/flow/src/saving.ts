import type { Snapshot } from './flow-types.js';

/** Where a run is in its saving schedule (serialized in checkpoints). */
export interface SaveState {
  /** Log-spaced mode: save at the first accepted step with `t ≥ nextSave` (NaN: the next step). */
  nextSave: number;
  /** Log-spaced mode: ratio between consecutive thresholds (squared at every thinning). */
  ratio: number;
  /** Explicit-times mode: index of the next time to save at. */
  timesIndex: number;
}

/** Stands in for a snapshot that the save taking it thins away at once (never kept). */
const DROPPED: Snapshot = Object.freeze({
  time: Number.NaN,
  params: [],
  beta: new Float64Array(0),
  loss: Number.NaN,
  logLoss: Number.NaN,
  margin: Number.NaN,
  normalizedMargin: Number.NaN,
});

/** Largest ratio of the log-spaced schedule (finite, so that checkpoints carry it). */
const MAX_SAVE_RATIO = 1e100;

/** Initial ratio of the log-spaced schedule: ten snapshots per decade of time. */
export const INITIAL_SAVE_RATIO = Math.pow(10, 0.1);

/** The next explicit save time after `t`, or Infinity. */
export function nextSaveTime(times: readonly number[] | undefined, s: SaveState): number {
  return times === undefined ? Infinity : (times[s.timesIndex] ?? Infinity);
}

/**
 * Decide whether the accepted point at time `t` is saved, updating the schedule; `slack` is
 * half the fixed step (0 for adaptive methods, whose steps land on explicit times exactly).
 * Log-spaced mode keeps at most `count − 1` snapshots before the final one by dropping every
 * other one and squaring the ratio when full.
 */
export function maybeSave(
  saves: Snapshot[],
  s: SaveState,
  t: number,
  times: readonly number[] | undefined,
  count: number,
  slack: number,
  make: () => Snapshot,
): void {
  if (times !== undefined) {
    let hit = false;
    while (s.timesIndex < times.length && t >= times[s.timesIndex]! - slack) {
      s.timesIndex += 1;
      hit = true;
    }
    if (hit) saves.push(make());
    return;
  }
  if (!(Number.isNaN(s.nextSave) || t >= s.nextSave)) return;
  // a snapshot at an odd index that this very save thins away is never taken (with count ≤ 2
  // the schedule keeps only the first one, and would otherwise build and drop one per step)
  const thinning = saves.length + 1 > count - 1;
  saves.push(thinning && saves.length % 2 === 1 ? DROPPED : make());
  s.nextSave = t > 0 ? Math.min(t * s.ratio, Number.MAX_VALUE) : Number.NaN;
  if (thinning) {
    const kept = saves.filter((_, i) => i % 2 === 0);
    saves.length = 0;
    saves.push(...kept);
    // squared at each thinning, but kept finite (a tiny `count` would overflow it to Infinity,
    // which a JSON checkpoint cannot carry): past 1e100 no further snapshot comes anyway
    s.ratio = Math.min(s.ratio * s.ratio, MAX_SAVE_RATIO);
    const last = kept[kept.length - 1]!;
    s.nextSave = last.time > 0 ? Math.min(last.time * s.ratio, Number.MAX_VALUE) : Number.NaN;
  }
}

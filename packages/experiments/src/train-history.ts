// The saved-point history of a training run: accumulated across resumed chunks, thinned for results.
import type { RunHistory } from '@implicit-bias/flow';
import type { TrainHistory } from './train-checkpoint.js';

/** Saved points kept in a result's `history` (log-spaced, first and last included). */
export const HISTORY_POINTS = 100;

/** A history with no points. */
export function emptyHistory(): TrainHistory {
  return { time: [], loss: [], logLoss: [], margin: [], normalizedMargin: [] };
}

function pushPoint(h: TrainHistory, from: RunHistory, i: number): void {
  h.time.push(from.time[i]!);
  h.loss.push(from.loss[i]!);
  h.logLoss.push(from.logLoss[i]!);
  h.margin.push(from.margin[i]!);
  h.normalizedMargin.push(from.normalizedMargin[i]!);
}

/**
 * Append one chunk's saved points to the history so far, keeping exactly the points an
 * uncut run saves. A chunk's list also holds its start point (when resumed from time `from`)
 * and, when it stopped on the wall clock, its last point; the flow's log-spaced rule decides
 * which of those are genuine: a point is saved when it is the first accepted one at or after
 * `ratio ×` the time of the last saved point (the first step after t = 0 always). The final
 * point of a finished run is always kept.
 */
export function accumulateHistory(
  acc: TrainHistory,
  chunk: RunHistory,
  from: number | undefined,
  ratio: number,
  done: boolean,
): void {
  const n = chunk.time.length;
  for (let i = 0; i < n; i++) {
    const t = chunk.time[i]!;
    if (i === 0 && from !== undefined && t === from) continue; // the resume point
    const last = acc.time[acc.time.length - 1];
    if (last !== undefined && t <= last) continue;
    const final = done && i === n - 1;
    const next = last === undefined ? -Infinity : last > 0 ? last * ratio : Number.NaN;
    if (final || Number.isNaN(next) || t >= next) pushPoint(acc, chunk, i);
  }
}

/** At most `max` points: every other one dropped until they fit, first and last kept. */
export function thinHistory(h: TrainHistory, max = HISTORY_POINTS): TrainHistory {
  let idx = h.time.map((_, i) => i);
  while (idx.length > max) idx = idx.filter((_, k) => k % 2 === 0 || k === idx.length - 1);
  const pick = (a: number[]): number[] => idx.map((i) => a[i]!);
  return {
    time: pick(h.time),
    loss: pick(h.loss),
    logLoss: pick(h.logLoss),
    margin: pick(h.margin),
    normalizedMargin: pick(h.normalizedMargin),
  };
}

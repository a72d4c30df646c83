import { ContentionGuard, FIRST_PAUSE, MAX_PAUSE, SLACK_MS, STRIKES } from './contention.js';

// The guard is driven with explicit times (no clock): which calls it admits to the threads
// after fast and slow hand-offs.

/** Admit `k` calls, counting those let through. */
const admitted = (g: ContentionGuard, k: number): number => {
  let n = 0;
  for (let i = 0; i < k; i++) if (g.admit()) n++;
  return n;
};

describe('contention guard', () => {
  it('admits every call while hand-offs wait no longer than the own share', () => {
    const g = new ContentionGuard();
    for (let i = 0; i < 100; i++) {
      expect(g.admit()).toBe(true);
      g.record(0.02, 0.02 + SLACK_MS);
    }
  });

  it(`pauses for ${FIRST_PAUSE} calls after ${STRIKES} slow hand-offs in a row, not after one`, () => {
    const g = new ContentionGuard();
    g.record(0.02, 1);
    g.record(0.02, 0.01); // a fast one in between resets the count
    g.record(0.02, 1);
    expect(admitted(g, 5)).toBe(5);
    g.record(0.02, 1);
    expect(admitted(g, FIRST_PAUSE)).toBe(0);
    expect(g.admit()).toBe(true);
  });

  it('doubles the pause while hand-offs stay slow, up to the cap, and halves it when fast', () => {
    const g = new ContentionGuard();
    const pauses: number[] = [];
    for (let round = 0; round < 12; round++) {
      for (let s = 0; s < STRIKES; s++) g.record(0.01, 2);
      let p = 0;
      while (!g.admit()) p++;
      pauses.push(p);
    }
    expect(pauses.slice(0, 4)).toEqual([
      FIRST_PAUSE,
      2 * FIRST_PAUSE,
      4 * FIRST_PAUSE,
      8 * FIRST_PAUSE,
    ]);
    expect(Math.max(...pauses)).toBe(MAX_PAUSE);
    g.record(0.01, 0.01); // fast: the next pause is half the last
    for (let s = 0; s < STRIKES; s++) g.record(0.01, 2);
    let p = 0;
    while (!g.admit()) p++;
    expect(p).toBe(MAX_PAUSE / 2);
  });
});

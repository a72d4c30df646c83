import type { Dataset } from './dataset.js';
import { separableClassification } from './separable-classification.js';
import { soudry2018 } from './soudry2018.js';
import { woodworthSparse } from './woodworth-sparse.js';

// Cross-platform pins: FNV-1a of the bytes of X, y and the planted vector. Oracle: values
// recorded from this implementation; the generators use only integer and correctly rounded
// float64 arithmetic, so any engine or OS must reproduce them bit for bit.
function fnv1a(ds: Dataset): string {
  let h = 0x811c9dc5;
  const arrays = [ds.X.data, ds.y, ds.meta.planted?.beta ?? new Float64Array(0)];
  for (const a of arrays)
    for (const b of new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
      h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('generator output pins', () => {
  it.each<[string, () => Dataset, string]>([
    [
      'dense separable',
      () => separableClassification({ n: 6, d: 5, seed: 42, separator: 'dense', margin: 0.5 }),
      '18c9cfaa',
    ],
    [
      'sparse separable',
      () =>
        separableClassification({
          n: 6,
          d: 5,
          seed: 42,
          separator: 'sparse',
          k: 2,
          margin: 1,
          marginMode: 'reject',
        }),
      'f0a07aef',
    ],
    [
      'fourier-sparse separable',
      () =>
        separableClassification({
          n: 6,
          d: 9,
          seed: 42,
          separator: 'fourier-sparse',
          k: 2,
          margin: 0.25,
        }),
      '7c8b7ba6',
    ],
    ['woodworth', () => woodworthSparse({ n: 4, d: 6, k: 2, seed: 42, noise: 0.1 }), 'cd92c18c'],
    ['soudry2018', () => soudry2018({ seed: 42 }), '121edfff'],
  ])('%s', (_, make, pin) => {
    expect(fnv1a(make())).toBe(pin);
  });
});

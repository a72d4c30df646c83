import { key, normal } from '@implicit-bias/core';
import { dft } from './fft.js';
import { rdft } from './fft-real.js';
import { U, fftBound, realBound, referenceDft } from './fft.test.helpers.js';

const norm2 = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

const maxDiff = (a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.hypot(a[i]! - c[i]!, b[i]! - d[i]!));
  return m;
};

const lengths = [
  ...Array.from({ length: 64 }, (_, i) => i + 1),
  100,
  200,
  210,
  243,
  1000,
  1024,
  997,
  2 * 997,
];

// Oracles: the complex FFT of the same real input (an independent path: no packing), within
// the sum of both bounds; and the compensated direct DFT (fft.test.helpers.ts).
describe('rdft: real-input transform', () => {
  it.each(lengths)('length %i: forward against dft, inverse∘forward = identity', (n) => {
    const R = rdft(n);
    expect([R.n, R.bins]).toEqual([n, Math.floor(n / 2) + 1]);
    const x = normal(key(n, 5), n);
    const keep = x.slice();
    const size = norm2(x);
    const re = new Float64Array(R.bins).fill(NaN);
    const im = new Float64Array(R.bins).fill(NaN);
    R.forward(x, re, im);
    expect(x).toEqual(keep);
    expect(im[0]).toBe(0);
    if (n % 2 === 0) expect(im[n / 2]).toBe(0);
    const zr = x.slice();
    const zi = new Float64Array(n);
    dft(n).run(zr, zi, false);
    const tol = (realBound(n) + fftBound(n) * Math.sqrt(n)) * U * size;
    expect(maxDiff(re, im, zr.subarray(0, R.bins), zi.subarray(0, R.bins))).toBeLessThanOrEqual(
      tol,
    );
    const [er, ei] = referenceDft(x, new Float64Array(n));
    expect(maxDiff(re, im, er.subarray(0, R.bins), ei.subarray(0, R.bins))).toBeLessThanOrEqual(
      (realBound(n) + 2 * Math.sqrt(n)) * U * size,
    );
    // back: the spectrum's error shrinks by √n, plus the inverse's own bound
    const spec = [re.slice(), im.slice()];
    const y = new Float64Array(n + 1).fill(7);
    R.inverse(re, im, y);
    expect([re, im]).toEqual(spec);
    expect(y[n]).toBe(7);
    const back = y.subarray(0, n);
    const bound = (2 * realBound(n)) / Math.sqrt(n) + 2;
    expect(maxDiff(back, new Float64Array(n), x, new Float64Array(n))).toBeLessThanOrEqual(
      bound * U * size,
    );
  });

  it.each([1, 2, 9, 10, 64, 100, 997, 1000])(
    'length %i: inverse of a Hermitian half spectrum against the complex inverse',
    (n) => {
      const R = rdft(n);
      const h = R.bins;
      const re = normal(key(n, 6), h);
      const im = normal(key(n, 7), h);
      // bins 0 and n/2 are real: the inverse reads their imaginary parts as 0
      const fr = new Float64Array(n);
      const fi = new Float64Array(n);
      for (let k = 0; k < h; k++) {
        fr[k] = fr[(n - k) % n] = re[k]!;
        const v = k === 0 || 2 * k === n ? 0 : im[k]!;
        fi[k] = v;
        fi[(n - k) % n] = -v;
      }
      const size = norm2(fr) + norm2(fi);
      dft(n).run(fr, fi, true);
      const x = new Float64Array(n);
      R.inverse(re, im, x);
      // both are within their bounds (per entry ≤ bound·u·‖X‖₂/√n) of the exact real signal
      const tol = ((realBound(n) + fftBound(n) * Math.sqrt(n)) / Math.sqrt(n) + 2) * U * size;
      expect(maxDiff(x, new Float64Array(n), fr, new Float64Array(n))).toBeLessThanOrEqual(tol);
      expect(Math.max(...fi.map(Math.abs))).toBeLessThanOrEqual(tol);
    },
  );

  it('reuses its plan per length', () => {
    expect(rdft(48)).toBe(rdft(48));
  });
});

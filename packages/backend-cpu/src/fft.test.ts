import { key, normal } from '@implicit-bias/core';
import { dft } from './fft.js';
import { U, fftBound, referenceDft } from './fft.test.helpers.js';

const norm2 = (a: Float64Array, b: Float64Array): number =>
  Math.sqrt(a.reduce((s, x, i) => s + x * x + b[i]! * b[i]!, 0));

const maxDiff = (a: Float64Array, b: Float64Array, c: Float64Array, d: Float64Array): number =>
  a.reduce((m, x, i) => Math.max(m, Math.hypot(x - c[i]!, b[i]! - d[i]!)), 0);

const lengths = [
  ...Array.from({ length: 64 }, (_, i) => i + 1),
  100,
  200,
  210,
  243,
  1000,
  1024,
  997, // prime: Bluestein
  2 * 997,
];

// Oracle: referenceDft (compensated direct sums), within fftBound plus the oracle's 2u·√n·‖x‖₂.
describe('dft against the compensated O(n²) definition', () => {
  it.each(lengths)('length %i: forward, inverse, and inverse∘forward = identity', (n) => {
    const re = normal(key(n), n);
    const im = normal(key(n, 1), n);
    const size = norm2(re, im);
    const tol = (fftBound(n) + 2) * U * Math.sqrt(n) * size;
    const [er, ei] = referenceDft(re, im);
    const xr = re.slice();
    const xi = im.slice();
    dft(n).run(xr, xi, false);
    expect(maxDiff(xr, xi, er, ei)).toBeLessThanOrEqual(tol);
    // the inverse of a spectrum, against the oracle's inverse (the 2-norm shrinks by √n)
    const [ir, ii] = referenceDft(re, im, true);
    const yr = re.slice();
    const yi = im.slice();
    dft(n).run(yr, yi, true);
    expect(maxDiff(yr, yi, ir, ii)).toBeLessThanOrEqual((fftBound(n) + 3) * U * size);
    // both errors, each ≤ fftBound·u·‖x‖₂ after the inverse, plus the division by n
    dft(n).run(xr, xi, true);
    expect(maxDiff(xr, xi, re, im)).toBeLessThanOrEqual((2 * fftBound(n) + 2) * U * size);
  });

  it('transforms a unit impulse to ones and a pure tone to an impulse (exact closed forms)', () => {
    for (const n of [12, 30, 49, 997]) {
      const re = new Float64Array(n);
      const im = new Float64Array(n);
      re[0] = 1;
      dft(n).run(re, im, false);
      const tol = (fftBound(n) + 2) * U * Math.sqrt(n);
      expect(maxDiff(re, im, new Float64Array(n).fill(1), new Float64Array(n))).toBeLessThan(tol);
      // e^{2πi·3j/n} → n at k = 3
      const tr = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * 3 * j) / n));
      const ti = Float64Array.from({ length: n }, (_, j) => Math.sin((2 * Math.PI * 3 * j) / n));
      dft(n).run(tr, ti, false);
      const want = new Float64Array(n);
      want[3] = n;
      expect(maxDiff(tr, ti, want, new Float64Array(n))).toBeLessThan(2 * tol * Math.sqrt(n));
    }
  });

  it('leaves entries past n untouched and reuses its plan', () => {
    const re = normal(key(7), 40);
    const im = normal(key(8), 40);
    const tail = [re.slice(30), im.slice(30)];
    dft(30).run(re, im, false);
    expect([re.slice(30), im.slice(30)]).toEqual(tail);
    expect(dft(30)).toBe(dft(30));
  });
});

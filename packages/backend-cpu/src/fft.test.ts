import { key, normal, tolerance, maxViolation } from '@implicit-bias/core';
import { dft } from './fft.js';

/** The O(n²) definition `X_k = Σ_j x_j e^{−2πijk/n}`. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const t = (-2 * Math.PI * ((j * k) % n)) / n;
      or[k]! += re[j]! * Math.cos(t) - im[j]! * Math.sin(t);
      oi[k]! += re[j]! * Math.sin(t) + im[j]! * Math.cos(t);
    }
  }
  return [or, oi];
}

describe('dft (naive O(n²) DFT definition)', () => {
  it.each([1, 2, 3, 8, 17, 64, 100, 129])('length %i matches the definition and inverts', (n) => {
    const re = normal(key(n), n);
    const im = normal(key(n, 1), n);
    const [er, ei] = naiveDft(re, im);
    const xr = re.slice();
    const xi = im.slice();
    dft(n).run(xr, xi, false);
    // errors scale with ‖x‖·√n: compare with an absolute floor of that size
    const tol = tolerance('float64', 4 * Math.ceil(Math.log2(n + 1)) + 8);
    const abs = { rtol: tol.rtol, atol: tol.atol * Math.sqrt(n) * 4 };
    expect(maxViolation(xr, er, abs)).toBeLessThanOrEqual(1);
    expect(maxViolation(xi, ei, abs)).toBeLessThanOrEqual(1);
    dft(n).run(xr, xi, true);
    expect(maxViolation(xr, re, abs)).toBeLessThanOrEqual(1);
    expect(maxViolation(xi, im, abs)).toBeLessThanOrEqual(1);
  });
});

import { key, maxViolation, tolerance, uniform } from '@implicit-bias/core';
import { circularKernel, useFft } from './circular.js';

/** The definitions, one entry at a time. */
function definition(
  kind: 'convolve' | 'correlate',
  a: Float64Array,
  b: Float64Array,
): Float64Array {
  const d = a.length;
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      c[i]! += kind === 'convolve' ? a[j]! * b[(i - j + d) % d]! : a[(i + j) % d]! * b[j]!;
    }
  }
  return c;
}

describe('circular kernels: FFT and direct paths (definition oracle)', () => {
  it('switches to the FFT for long rows only', () => {
    expect([useFft(32), useFft(64), useFft(100), useFft(300), useFft(1024)]).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });

  it.each([
    ['convolve', 1],
    ['correlate', 5],
    ['convolve', 64],
    ['correlate', 100],
    ['convolve', 257],
    ['correlate', 300],
  ] as const)('%s with d = %i on both paths equals the definition', (kind, d) => {
    const rows = 3;
    const a = uniform(key(d), rows * d, -1, 1);
    const b = uniform(key(d, 1), d, -1, 1);
    const tol = tolerance('float64', 4 * d + 16);
    for (const fft of [false, true]) {
      const out = circularKernel(kind, a, [rows, d], b, [d], [rows, d], fft);
      for (let r = 0; r < rows; r++) {
        const want = definition(kind, a.subarray(r * d, (r + 1) * d), b);
        // terms are bounded by 1, so atol (= rtol) absorbs cancellation down to zero
        expect(maxViolation(out.subarray(r * d, (r + 1) * d), want, tol)).toBeLessThanOrEqual(1);
      }
    }
  });
});

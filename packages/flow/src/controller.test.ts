import { DEFAULT_CONTROLLER, errorNorm, piController } from './controller.js';

const s = { ...DEFAULT_CONTROLLER, rtol: 1e-6, atol: 1e-9 };

describe('piController (Hairer PI rule)', () => {
  it('accepts err ≤ 1 and grows the step by safety·err^(−1/q + 0.75β)·errPrev^β', () => {
    const d = piController(s, 5, 0.1, 0.01, 1e-4);
    expect(d.accept).toBe(true);
    const expected = 0.1 * 0.9 * Math.pow(0.01, -(0.2 - 0.03)) * Math.pow(1e-4, 0.04);
    expect(d.h).toBeCloseTo(expected, 14);
    expect(d.errPrev).toBe(0.01);
  });
  it('rejects err > 1 and shrinks, never below minFactor', () => {
    const d = piController(s, 5, 0.1, 1e12, 1e-4);
    expect(d.accept).toBe(false);
    expect(d.h).toBeCloseTo(0.1 * s.minFactor, 15);
  });
  it('caps growth at maxFactor and treats a non-finite error as a rejection', () => {
    expect(piController(s, 5, 1, 0, 1).h).toBe(s.maxFactor);
    expect(piController(s, 5, 1, NaN, 1).accept).toBe(false);
  });
  it('errorNorm is the scaled RMS norm', () => {
    const e = errorNorm(
      Float64Array.from([1e-6, 0]),
      Float64Array.from([1, 0]),
      Float64Array.from([1, 0]),
      0,
      2,
      1e-6,
      1e-9,
    );
    expect(e).toBeCloseTo(Math.sqrt((1e-6 / (1e-9 + 1e-6)) ** 2 / 2), 12);
  });
  it('errorNorm with normwise scales by the RMS size of the whole state (a tiny entry gets no tolerance of its own)', () => {
    const err = Float64Array.from([0, 1e-9]);
    const y = Float64Array.from([1, 1e-6]);
    // componentwise: entry 2 is judged against 1e-9 + 1e-6·1e-6
    const cw = errorNorm(err, y, y, 0, 2, 1e-6, 1e-12);
    expect(cw).toBeCloseTo(Math.sqrt((1e-9 / (1e-12 + 1e-12)) ** 2 / 2), 6);
    // normwise: against 1e-12 + 1e-6·rms(y)
    const nw = errorNorm(err, y, y, 0, 2, 1e-6, 1e-12, true);
    const rms = Math.sqrt((1 + 1e-12) / 2);
    expect(nw).toBeCloseTo(Math.sqrt(1e-18 / 2) / (1e-12 + 1e-6 * rms), 12);
  });
});

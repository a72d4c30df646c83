import { DEFAULT_CONTROLLER, errorNorm, piController, predictiveController } from './controller.js';

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

// Oracle: Hairer's RADAU5 step-size code (Solving ODEs II, §IV.8; RADAU5 with PRED = 1),
// FAC = min(SAFE, CFAC/(NEWT + 2·NIT)), QUOT = max(FACR, min(FACL, ERR^(1/4)/FAC)), and
// Gustafsson's FACGUS = (HACC/H)·(ERR²/ERRACC)^(1/4)/SAFE, worked out by hand below.
describe('predictiveController (Hairer RADAU5 with Gustafsson prediction)', () => {
  const none = { errPrev: 1e-4, hAcc: undefined, afterReject: false };
  it('without history is the standard rule h·safety·err^(−1/q)', () => {
    const d = predictiveController(s, 4, 0.1, 0.5, none);
    expect(d.accept).toBe(true);
    expect(d.h).toBeCloseTo((0.1 * 0.9) / Math.pow(0.5, 0.25), 14);
    expect(d.errPrev).toBe(0.5);
  });
  it('shrinks ahead of an error that grows from one accepted step to the next', () => {
    // err 0.25 → 0.5 at the same h: FACGUS = (0.5²/0.25)^(1/4)/0.9 = 1/0.9 > QUOT = 0.5^(1/4)/0.9
    const d = predictiveController(s, 4, 0.1, 0.5, { ...none, errPrev: 0.25, hAcc: 0.1 });
    expect(d.accept).toBe(true);
    expect(d.h).toBeCloseTo(0.1 * 0.9, 14);
    // a falling error keeps the standard proposal (the prediction only ever shrinks it)
    const e = predictiveController(s, 4, 0.1, 0.5, { ...none, errPrev: 0.9, hAcc: 0.1 });
    expect(e.h).toBeCloseTo((0.1 * 0.9) / Math.pow(0.5, 0.25), 14);
  });
  it('grows less after many Newton iterations: FAC = SAFE·(1 + 2·NIT)/(NEWT + 2·NIT)', () => {
    const d = predictiveController(s, 4, 0.1, 0.5, {
      ...none,
      newton: { iterations: 10, max: 10 },
    });
    const fac = (0.9 * 21) / 30;
    expect(d.h).toBeCloseTo((0.1 * fac) / Math.pow(0.5, 0.25), 14);
    // one iteration: FAC = SAFE (the cap)
    const one = predictiveController(s, 4, 0.1, 0.5, {
      ...none,
      newton: { iterations: 1, max: 10 },
    });
    expect(one.h).toBeCloseTo((0.1 * 0.9) / Math.pow(0.5, 0.25), 14);
  });
  it('does not grow the step accepted right after a rejection, and clips to [minFactor, maxFactor]', () => {
    expect(predictiveController(s, 4, 0.1, 1e-2, { ...none, afterReject: true }).h).toBe(0.1);
    expect(predictiveController(s, 4, 0.1, 0, none).h).toBeCloseTo(0.1 * s.maxFactor, 14);
  });
  it('rejects err > 1 with a smaller step (at least minFactor·h) and a non-finite error with minFactor·h', () => {
    const d = predictiveController(s, 4, 0.1, 16, none);
    expect(d.accept).toBe(false);
    expect(d.h).toBeCloseTo((0.1 * 0.9) / 2, 14);
    expect(predictiveController(s, 4, 0.1, 1e12, none).h).toBeCloseTo(0.1 * s.minFactor, 14);
    const nan = predictiveController(s, 4, 0.1, NaN, none);
    expect(nan.accept).toBe(false);
    expect(nan.h).toBeCloseTo(0.1 * s.minFactor, 15);
  });
});

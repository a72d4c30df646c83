import { Rng, key } from '@implicit-bias/core';
import { portableCosSinTurns, portableLog, portableNormals } from './portable-math.js';

describe('portableLog', () => {
  // oracle: Math.log (the engine's libm), agreement to a few ulps
  it.each([1e-300, 1e-20, 0.001, 0.3, 0.5, 0.7071, 1, 1.0000001, 2, 3.14159, 1e10, 1e300])(
    'matches Math.log at %p',
    (x) => {
      const want = Math.log(x);
      expect(Math.abs(portableLog(x) - want)).toBeLessThanOrEqual(
        4e-16 * Math.max(1, Math.abs(want)),
      );
    },
  );
  it('is exactly 0 at 1 and NaN outside the domain', () => {
    expect(portableLog(1)).toBe(0);
    expect(portableLog(0)).toBeNaN();
    expect(portableLog(-1)).toBeNaN();
  });
});

describe('portableCosSinTurns', () => {
  // oracle: Math.cos / Math.sin of 2πm/d
  it('matches Math.cos and Math.sin on a grid of angles', () => {
    let worst = 0;
    for (const d of [1, 2, 3, 7, 8, 16, 31, 100]) {
      for (let m = -2 * d; m <= 2 * d; m++) {
        const [c, s] = portableCosSinTurns(m, d);
        const a = (2 * Math.PI * m) / d;
        worst = Math.max(worst, Math.abs(c - Math.cos(a)), Math.abs(s - Math.sin(a)));
      }
    }
    // the oracle's own argument 2πm/d (|m/d| ≤ 2) is rounded by up to ulp(4π) ≈ 1.8e-15
    expect(worst).toBeLessThan(4e-15);
  });
  it('is exact at quarter turns', () => {
    expect(portableCosSinTurns(0, 4)).toEqual([1, 0]);
    expect(portableCosSinTurns(1, 4)).toEqual([-0, 1]);
    expect(portableCosSinTurns(2, 4)).toEqual([-1, -0]);
  });
});

describe('portableNormals', () => {
  // oracle: moments of N(0, 1); bounds are ~5 standard errors for 40 000 samples
  it('has mean 0, variance 1, kurtosis 3', () => {
    const n = 40000;
    const z = portableNormals(new Rng(key(7)), n);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const v of z) {
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });
  it('is reproducible from the key', () => {
    const a = portableNormals(new Rng(key(3)), 10);
    const b = portableNormals(new Rng(key(3)), 10);
    expect(Buffer.from(a.buffer)).toEqual(Buffer.from(b.buffer));
  });
});

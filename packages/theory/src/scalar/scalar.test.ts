import { CL, phiL, phiLInverse, phiLPrime } from './phi-l.js';
import { HL, HLPrime, HLSecond, hL, hLInverse, hLPrime } from './h-l.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Woodworth et al. 2020: q(z) = 2 − √(4+z²) + z·asinh(z/2), with 2 − √(4+z²) = −z²/(2+√(4+z²)). */
const woodworthQ = (z: number): number =>
  -(z * z) / (2 + Math.sqrt(4 + z * z)) + z * Math.asinh(z / 2);

/** Fourth-order Richardson central difference. */
function derivative(f: (x: number) => number, x: number, h: number): number {
  const d1 = (f(x + h) - f(x - h)) / (2 * h);
  const d2 = (f(x + h / 2) - f(x - h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

const grid = [-1e6, -250, -3.7, -1, -0.2, -1e-3, 1e-9, 0.05, 0.5, 1, 2.5, 17, 1e3, 1e8];

describe('h_L and its inverse', () => {
  test.each([1, 2, 3, 4, 5, 7, 10])('L=%i: h_L(h_L^{-1}(z)) = z (closed form round trip)', (L) => {
    for (const z of grid) expect(rel(hL(L, hLInverse(L, z)), z)).toBeLessThan(1e-14);
    expect(hLInverse(L, 0)).toBe(0);
  });
  test('closed form h_3(t) = t(1+t²) and h_L^{-1}(z) ~ z^{1/L} for large z (asymptotics)', () => {
    expect(rel(hL(3, 2), 10)).toBeLessThan(1e-15);
    expect(rel(hLInverse(5, 1e100), 1e20)).toBeLessThan(1e-14);
    expect(rel(hLInverse(4, 1e-200), 1e-200)).toBeLessThan(1e-15);
  });
  test("h_L' against finite differences", () => {
    for (const L of [2, 3, 6])
      for (const t of [-2, 0.3, 1.5]) {
        expect(
          rel(
            hLPrime(L, t),
            derivative((x) => hL(L, x), t, 1e-3),
          ),
        ).toBeLessThan(1e-9);
      }
  });
});

describe('Phi_L', () => {
  test('closed forms Φ_1..Φ_4 (closed form)', () => {
    for (const t of grid) {
      expect(phiL(1, t)).toBe(t);
      expect(phiL(2, t)).toBe(Math.asinh(t));
      expect(phiL(3, t)).toBe(Math.atan(t));
      expect(rel(phiL(4, t), t / Math.sqrt(1 + t * t))).toBeLessThan(1e-15);
    }
  });
  test('C_L values C_3=π/2, C_4=1, C_5=π/4, C_6=2/3 (paper values) and C_L ≤ 2 infinite', () => {
    expect(CL(1)).toBe(Infinity);
    expect(CL(2)).toBe(Infinity);
    expect(CL(3)).toBe(Math.PI / 2);
    expect(CL(4)).toBe(1);
    expect(rel(CL(5), Math.PI / 4)).toBeLessThan(1e-15);
    expect(rel(CL(6), 2 / 3)).toBeLessThan(1e-15);
    expect(rel(CL(7), (3 * Math.PI) / 16)).toBeLessThan(1e-15);
    expect(phiL(6, Infinity)).toBe(CL(6));
    expect(rel(phiL(7, 1e12), CL(7))).toBeLessThan(1e-15);
  });
  test('recurrence Φ_{L+2} = t/((L−1)(1+t²)^{(L−1)/2}) + (L−2)/(L−1) Φ_L (paper recurrence)', () => {
    for (const L of [2, 3, 4, 5, 6, 8])
      for (const t of grid) {
        const rhs =
          t / ((L - 1) * Math.pow(1 + t * t, (L - 1) / 2)) + ((L - 2) / (L - 1)) * phiL(L, t);
        expect(rel(phiL(L + 2, t), rhs)).toBeLessThan(1e-13);
      }
  });
  test("Φ_L' = (1+t²)^{−(L−1)/2} against finite differences of Φ_L", () => {
    for (const L of [3, 5, 6, 9])
      for (const t of [-1.3, 0.2, 0.9, 2]) {
        expect(
          rel(
            derivative((x) => phiL(L, x), t, 1e-3),
            phiLPrime(L, t),
          ),
        ).toBeLessThan(1e-8);
      }
  });
  test('Φ_L against Gauss–Legendre quadrature of the integrand (independent quadrature)', () => {
    // composite Simpson with many panels, error ~1e-14 on [0, 2]
    for (const L of [5, 7, 8]) {
      const N = 20000;
      const h = 2 / N;
      let s = 0;
      for (let i = 0; i <= N; i++) {
        const w = i === 0 || i === N ? 1 : i % 2 === 1 ? 4 : 2;
        s += w * Math.pow(1 + (i * h) ** 2, -(L - 1) / 2);
      }
      expect(rel(phiL(L, 2), (s * h) / 3)).toBeLessThan(1e-12);
    }
  });
  test.each([1, 2, 3, 4, 5, 6, 9])('L=%i: Φ_L^{-1}(Φ_L(t)) = t (round trip)', (L) => {
    for (const t of [-30, -2, -0.4, 1e-8, 0.7, 3, 25]) {
      // condition number of Φ_L^{-1} at s = Φ_L(t): |s| / (|t| Φ_L'(t))
      const cond = Math.abs(phiL(L, t)) / (Math.abs(t) * phiLPrime(L, t));
      expect(rel(phiLInverse(L, phiL(L, t)), t)).toBeLessThan(1e-14 * Math.max(1, cond));
      expect(rel(phiL(L, phiLInverse(L, phiL(L, t))), phiL(L, t))).toBeLessThan(1e-14);
    }
  });
  test('Φ_L^{-1} domain: ±C_L gives ±Infinity, beyond gives NaN', () => {
    expect(phiLInverse(5, CL(5))).toBe(Infinity);
    expect(phiLInverse(5, -CL(5))).toBe(-Infinity);
    expect(phiLInverse(4, 1.5)).toBeNaN();
    expect(phiLInverse(2, 50)).toBe(Math.sinh(50));
  });
});

describe('H_L', () => {
  test('H_1(z) = z²/2 (closed form)', () => {
    for (const z of grid) expect(HL(1, z)).toBe((z * z) / 2);
  });
  test('H_2(z) = q(4z)/8 with Woodworth et al. (2020) q (paper equation)', () => {
    for (const z of [-40, -1, -0.01, 1e-4, 0.3, 2, 11, 1e5]) {
      expect(rel(HL(2, z), woodworthQ(4 * z) / 8)).toBeLessThan(1e-12);
    }
  });
  test("H_L' and H_L'' against finite differences", () => {
    for (const L of [1, 2, 3, 4, 5, 8])
      for (const z of [-3, -0.5, 0.25, 1, 6, 40]) {
        const h = 1e-3 * Math.max(1, Math.abs(z));
        expect(
          rel(
            HLPrime(L, z),
            derivative((x) => HL(L, x), z, h),
          ),
        ).toBeLessThan(1e-8);
        expect(
          rel(
            HLSecond(L, z),
            derivative((x) => HLPrime(L, x), z, h),
          ),
        ).toBeLessThan(1e-8);
      }
  });
  test("H_L is convex, even, and ≈ z²/2 near 0 (Taylor: H_L(0)=0, H_L''(0)=1)", () => {
    for (const L of [2, 3, 6]) {
      expect(HL(L, 0)).toBe(0);
      expect(HLSecond(L, 0)).toBe(1);
      expect(rel(HL(L, 1e-5), 5e-11)).toBeLessThan(1e-8);
      expect(HL(L, -2.5)).toBeCloseTo(HL(L, 2.5), 14);
    }
  });
  test('rejects a depth that is not a positive integer', () => {
    expect(() => hL(0, 1)).toThrow(/depth/);
    expect(() => CL(2.5)).toThrow(/integer/);
  });
});

describe('large depth and extreme arguments', () => {
  test('L = 30: h, Φ and their inverses stay finite and round-trip (closed form / definition)', () => {
    for (const z of [-1e300, -1e10, -3, 1e-300, 0.7, 1e40, 1e300]) {
      const t = hLInverse(30, z);
      expect(Number.isFinite(t)).toBe(true);
      expect(rel(hL(30, t), z)).toBeLessThan(1e-13);
    }
    expect(phiL(30, 1e200)).toBe(CL(30));
    // Taylor: Φ_L(t) = t − a t³/3 + a(a+1)/2 · t⁵/5 + O(t⁷), a = (L−1)/2
    const a = 29 / 2;
    const t = 0.01;
    expect(
      rel(phiL(30, t), t - (a * t ** 3) / 3 + ((a * (a + 1)) / 2) * (t ** 5 / 5)),
    ).toBeLessThan(1e-9);
    expect(HLPrime(30, 1e300)).toBeLessThanOrEqual(CL(30));
    expect(HL(30, 0)).toBe(0);
  });
});

import { depthMaps } from './depth-maps.js';
import { hL, hLPrime } from './h-l.js';
import { CL, phiLInverse, phiLPrime } from './phi-l.js';

// Oracle: the generic scalar formulas (hL, phiLInverse, hLPrime, phiLPrime) entry by entry. The
// closed forms of depths 1–4 round differently (no Math.pow(Math.hypot(…))), so they agree to a
// few ulps; where the generic value overflows to ±Infinity (or is NaN) they must give the same.

const ULP = 2 ** -52;

/** |a − b| in units of b's magnitude times ε, ±Infinity and NaN required to match exactly. */
function ulps(a: number, b: number): number {
  if (!Number.isFinite(b) || !Number.isFinite(a)) return Object.is(a, b) ? 0 : Infinity;
  if (a === b) return 0;
  return Math.abs(a - b) / (Math.max(Math.abs(b), Number.MIN_VALUE) * ULP);
}

/** Values of t from 1e−300 to 1e300 (both signs, and the special values). */
function ts(): Float64Array {
  const out: number[] = [0, -0, NaN, Infinity, -Infinity, 1, -1];
  for (let e = -300; e <= 300; e += 3.7) {
    const t = 10 ** e * (1 + (e % 1));
    out.push(t, -t);
  }
  for (let t = -40; t <= 40; t += 0.173) out.push(t);
  return Float64Array.from(out);
}

describe('depthMaps (oracle: the generic scalar formulas per entry)', () => {
  const T = ts();
  const m = T.length;

  it.each([1, 2, 3, 4, 5, 6])('L = %i: c·h_L(t) to 4 ulps, overflow as the generic', (L) => {
    const c = Float64Array.from(T, (_, j) => 0.5 + (j % 7) / 3);
    const out = new Float64Array(m);
    depthMaps(L).hScaled(c, T, out, m);
    let worst = 0;
    for (let j = 0; j < m; j++) worst = Math.max(worst, ulps(out[j]!, c[j]! * hL(L, T[j]!)));
    expect(worst).toBeLessThanOrEqual(4);
  });

  it.each([1, 2, 3, 4, 5, 6])(
    "L = %i: f·h_L'(t)/Φ_L'(t) to 6 ulps, overflow as the generic",
    (L) => {
      const f = Float64Array.from(T, (_, j) => -(0.25 + (j % 5)));
      const out = new Float64Array(m);
      depthMaps(L).slopeScaled(f, T, out, m);
      let worst = 0;
      for (let j = 0; j < m; j++) {
        const t = T[j]!;
        // the generic quotient is NaN (∞·0) for L = 1 once 1+t² overflows, where the true value
        // is f, and for L = 2 at t = ±∞, where the closed form gives the limit f·∞
        if (L === 1 && Number.isFinite(t) && Math.abs(t) > 1e150) continue;
        if (L === 2 && Math.abs(t) === Infinity) {
          expect(out[j]).toBe(f[j]! * Infinity);
          continue;
        }
        worst = Math.max(worst, ulps(out[j]!, f[j]! * (hLPrime(L, t) / phiLPrime(L, t))));
      }
      expect(worst).toBeLessThanOrEqual(6);
    },
  );

  it.each([1, 2, 3, 4, 5, 6])(
    'L = %i: Φ_L^{-1}(κ·s) to 2 ulps inside the domain, NaN outside',
    (L) => {
      const cap = CL(L);
      const s: number[] = [0, -0, NaN, Infinity, -Infinity];
      const edge = Number.isFinite(cap) ? cap : 700;
      for (let k = -200; k <= 200; k++) s.push((edge * k) / 200, (edge * k) / 200 + 1e-17 * k);
      for (let e = -300; e < 0; e += 7) s.push(10 ** e, -(10 ** e));
      const kappa = Float64Array.from(s, (_, j) => (j % 3 === 0 ? 1 : 0.999));
      const arg = Float64Array.from(s);
      const got = Float64Array.from(s);
      depthMaps(L).phiInverseScaled(kappa, got, got.length);
      let worst = 0;
      for (let j = 0; j < s.length; j++) {
        const a = kappa[j]! * arg[j]!;
        const want = Math.abs(a) < cap ? phiLInverse(L, a) : NaN;
        worst = Math.max(worst, ulps(got[j]!, want));
      }
      expect(worst).toBeLessThanOrEqual(2);
    },
  );

  it('checks the depth once', () => {
    expect(() => depthMaps(0)).toThrow(/depth/);
    expect(() => depthMaps(2.5)).toThrow(/depth/);
  });

  it('keeps the closed forms exact where they are: h_3(2) = 10, Φ_3^{-1} = tan', () => {
    const out = new Float64Array(1);
    depthMaps(3).hScaled(Float64Array.of(1), Float64Array.of(2), out, 1);
    expect(out[0]).toBe(10);
    const t = Float64Array.of(1);
    depthMaps(3).phiInverseScaled(Float64Array.of(Math.PI / 4), t, 1);
    expect(t[0]).toBe(Math.tan(Math.PI / 4));
  });
});

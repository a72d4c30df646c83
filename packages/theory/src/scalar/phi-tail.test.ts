import { CL, phiL } from './phi-l.js';
import { phiLTail, phiLTailInverse } from './phi-tail.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('Φ_L tail Ψ_L = C_L − Φ_L', () => {
  test('closed forms Ψ_3 = atan(1/t), Ψ_4 = 1/(√(1+t²)(√(1+t²)+t)) at large t (closed form)', () => {
    for (const t of [1, 2.5, 10, 1e3, 1e8, 1e150]) {
      expect(rel(phiLTail(3, t), Math.atan(1 / t))).toBeLessThan(1e-14);
      const r = Math.hypot(1, t);
      expect(rel(phiLTail(4, t), 1 / (r * (r + t)))).toBeLessThan(1e-14);
    }
  });
  test('Ψ_L = C_L − Φ_L where the difference is well conditioned (definition)', () => {
    for (const L of [5, 6, 9])
      for (const t of [0, 0.5, 2, 3.5])
        expect(Math.abs(phiLTail(L, t) - (CL(L) - phiL(L, t)))).toBeLessThan(1e-14);
  });
  test('Ψ_L^{-1}(Ψ_L(t)) = t over many decades (round trip)', () => {
    for (const L of [3, 4, 5, 6, 8])
      for (const t of [0.3, 1, 3, 50, 1e4, 1e9, 1e30])
        expect(rel(phiLTailInverse(L, phiLTail(L, t)), t)).toBeLessThan(1e-13);
  });
});

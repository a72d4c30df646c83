import { centralDifferenceJacobian } from './jacobian.js';
import type { VectorField } from './vector-field.js';

describe('centralDifferenceJacobian (analytic Jacobian oracle)', () => {
  it('matches the analytic Jacobian of F(y) = (y0·y1, sin y1, exp(y0) − y2³) to 1e-9, row by row', () => {
    const field: VectorField = {
      dim: 3,
      evaluate(y, rows) {
        const out = new Float64Array(rows * 3);
        for (let r = 0; r < rows; r++) {
          const [a, b, c] = [y[3 * r]!, y[3 * r + 1]!, y[3 * r + 2]!];
          out.set([a * b, Math.sin(b), Math.exp(a) - c ** 3], 3 * r);
        }
        return out;
      },
    };
    const y = Float64Array.from([0.5, -1.2, 2, 3, 0.1, -0.7]);
    const jac = centralDifferenceJacobian(field, y, 2);
    for (let r = 0; r < 2; r++) {
      const [a, b, c] = [y[3 * r]!, y[3 * r + 1]!, y[3 * r + 2]!];
      const exact = [b, a, 0, 0, Math.cos(b), 0, Math.exp(a), 0, -3 * c * c];
      exact.forEach((v, i) => {
        expect(Math.abs(jac[9 * r + i]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v)));
      });
    }
  });
});

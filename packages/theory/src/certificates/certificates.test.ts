import { matrixFromRows } from '@implicit-bias/core';
import { nnls } from './nnls.js';
import { kktResidual } from './kkt-residual.js';
import { solveQP } from 'quadprog';
import { randomMatrix, randomVector, relErr } from '../oracles.test.helpers.js';

describe('nnls (Lawson–Hanson)', () => {
  test.each([1, 2, 3])(
    'seed %i: equals quadprog on min ½‖Bx − b‖² s.t. x ≥ 0 (independent solver)',
    (seed) => {
      const rows = 9;
      const cols = 6;
      const B = randomMatrix(40 + seed, rows, cols);
      const b = randomVector(50 + seed, rows, -2, 2);
      const r = nnls(B.data, rows, cols, b);
      // quadprog: D = BᵀB, c = −Bᵀb, constraints I x ≥ 0
      const c = new Float64Array(cols);
      const BtB = new Float64Array(cols * cols);
      for (let j = 0; j < cols; j++) {
        for (let i = 0; i < rows; i++) c[j]! -= B.data[i * cols + j]! * b[i]!;
        for (let k = 0; k < cols; k++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += B.data[i * cols + j]! * B.data[i * cols + k]!;
          BtB[j * cols + k] = s;
        }
      }
      const Dm: number[][] = [[]];
      const Am: number[][] = [[]];
      for (let j = 1; j <= cols; j++) {
        Dm.push([0, ...Array.from({ length: cols }, (_, k) => BtB[(j - 1) * cols + k]!)]);
        Am.push([0, ...Array.from({ length: cols }, (_, k) => (k === j - 1 ? 1 : 0))]);
      }
      const qp = solveQP(Dm, [0, ...Array.from(c, (v) => -v)], Am, [
        0,
        ...new Array<number>(cols).fill(0),
      ]);
      expect(qp.message).toBe('');
      expect(relErr(r.x, qp.solution.slice(1))).toBeLessThan(1e-10);
      expect(r.x.every((v) => v >= 0)).toBe(true);
    },
  );
  test('unconstrained optimum already non-negative: equals least squares (closed form)', () => {
    // B = I, b ≥ 0 ⇒ x = b
    const r = nnls([1, 0, 0, 1], 2, 2, [0.3, 2]);
    expect(Array.from(r.x)).toEqual([0.3, 2]);
    expect(nnls([1, 0, 0, 1], 2, 2, [-1, 2]).x[0]).toBe(0);
  });
});

describe('kktResidual', () => {
  const Z = matrixFromRows([
    [1, 0.5],
    [0.5, 1],
    [2, 2],
  ]);
  const y = [1, 1, 1];
  test('≈ 0 at the hand-solved ℓ1 optimum (2/3, 2/3) at any scale, clearly non-zero when perturbed', () => {
    const at = kktResidual({ Z, y, rho: [2, 2], L: 2 });
    expect(at.residual).toBeLessThan(1e-14);
    expect(at.activeSet).toEqual([0, 1]);
    expect(kktResidual({ Z, y, rho: [2, 2.2], L: 2 }).residual).toBeGreaterThan(0.05);
  });
  test('L = 1: the ℓ2 optimum (2/3, 2/3) satisfies 2ρ = Σμ_i y_i z_i with μ = (8/9, 8/9) (closed form)', () => {
    const r = kktResidual({ Z, y, rho: [1, 1], L: 1 });
    expect(r.residual).toBeLessThan(1e-14);
    expect(relErr(r.mu, [8 / 9, 8 / 9])).toBeLessThan(1e-14);
  });
  test('L = 3: symmetric point is stationary for ℓ_{2/3}; a non-separating ρ gives Infinity', () => {
    expect(kktResidual({ Z, y, rho: [1, 1], L: 3 }).residual).toBeLessThan(1e-14);
    expect(kktResidual({ Z, y, rho: [1, -3], L: 3 }).residual).toBe(Infinity);
  });
});

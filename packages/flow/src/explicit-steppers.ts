import { stateless, type Stepper, type StepInput, type StepOutput } from './stepper.js';
import { combine, type VectorField } from './vector-field.js';

/**
 * Explicit Euler, i.e. gradient descent when the field is `−∇𝓛`: `y ← y + h·F(y)`.
 * With `h = η` this is exactly `Θ ← Θ − η∇𝓛`, so published step sizes and iteration counts match.
 */
export const gd: Stepper<undefined> = stateless('gd', {
  order: 1,
  needsJacobian: false,
  step(field: VectorField, s: StepInput): StepOutput<undefined> {
    return { y: combine(field.dim, s.rows, s.y, s.h, [[1, s.f]], s.out), fieldEvals: 0 };
  },
});

/** The classical fourth-order Runge–Kutta method (fixed step; no error estimate). */
export const rk4: Stepper<undefined> = stateless('rk4', {
  order: 4,
  needsJacobian: false,
  step(field: VectorField, s: StepInput): StepOutput<undefined> {
    const { dim } = field;
    const { rows, y, h, f: k1 } = s;
    const k2 = field.evaluate(combine(dim, rows, y, h, [[0.5, k1]]), rows, s.runs);
    const k3 = field.evaluate(combine(dim, rows, y, h, [[0.5, k2]]), rows, s.runs);
    const k4 = field.evaluate(combine(dim, rows, y, h, [[1, k3]]), rows, s.runs);
    const y1 = combine(
      dim,
      rows,
      y,
      h,
      [
        [1 / 6, k1],
        [1 / 3, k2],
        [1 / 3, k3],
        [1 / 6, k4],
      ],
      s.out,
    );
    return { y: y1, fieldEvals: 3 * rows };
  },
});

// Dormand–Prince 5(4) coefficients (Hairer, Nørsett & Wanner, Solving ODEs I, Table 5.2).
const A2 = [1 / 5] as const;
const A3 = [3 / 40, 9 / 40] as const;
const A4 = [44 / 45, -56 / 15, 32 / 9] as const;
const A5 = [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729] as const;
const A6 = [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656] as const;
const B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84] as const;
// E = b − b̂ (fifth-order minus embedded fourth-order weights), 7 stages (last is FSAL).
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40] as const;

/**
 * Dormand–Prince 5(4): fifth-order solution, embedded fourth-order error estimate, first same as
 * last (the seventh stage is `F` at the new point), and Hairer's stiffness indicator `h·|λ|`.
 */
export const dopri5: Stepper<undefined> = stateless('dopri5', {
  order: 5,
  errorOrder: 5,
  needsJacobian: false,
  step(field: VectorField, s: StepInput): StepOutput<undefined> {
    const { dim } = field;
    const { rows, y, h, f: k1 } = s;
    const ev = (terms: readonly (readonly [number, Float64Array])[]): Float64Array =>
      field.evaluate(combine(dim, rows, y, h, terms), rows, s.runs);
    const k2 = ev([[A2[0], k1]]);
    const k3 = ev([
      [A3[0], k1],
      [A3[1], k2],
    ]);
    const k4 = ev([
      [A4[0], k1],
      [A4[1], k2],
      [A4[2], k3],
    ]);
    const k5 = ev([
      [A5[0], k1],
      [A5[1], k2],
      [A5[2], k3],
      [A5[3], k4],
    ]);
    const y6 = combine(dim, rows, y, h, [
      [A6[0], k1],
      [A6[1], k2],
      [A6[2], k3],
      [A6[3], k4],
      [A6[4], k5],
    ]);
    const k6 = field.evaluate(y6, rows, s.runs);
    const y1 = combine(
      dim,
      rows,
      y,
      h,
      [
        [B[0], k1],
        [B[2], k3],
        [B[3], k4],
        [B[4], k5],
        [B[5], k6],
      ],
      s.out,
    );
    const k7 = field.evaluate(y1, rows, s.runs);
    const ks = [k1, k2, k3, k4, k5, k6, k7] as const;
    const error = new Float64Array(rows * dim);
    const stiffness = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const hr = h[r]!;
      let num = 0;
      let den = 0;
      for (let i = r * dim; i < (r + 1) * dim; i++) {
        let e = 0;
        for (let j = 0; j < 7; j++) e += E[j]! * ks[j]![i]!;
        error[i] = hr * e;
        const dk = k7[i]! - k6[i]!;
        const dy = y1[i]! - y6[i]!;
        num += dk * dk;
        den += dy * dy;
      }
      stiffness[r] = den > 0 ? Math.abs(hr) * Math.sqrt(num / den) : 0;
    }
    return { y: y1, f: k7, error, stiffness, fieldEvals: 6 * rows };
  },
});

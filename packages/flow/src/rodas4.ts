import { luSolve, type LuFactors } from './lu.js';
import { denseLuFactor } from './radau5-linear.js';
import { stateless, type Stepper, type StepInput, type StepOutput } from './stepper.js';
import type { VectorField } from './vector-field.js';

// RODAS4 of Hairer & Wanner (Solving ODEs II, §IV.7; coefficients of rodas.f), in the
// transformed form: (I/(γh) − J) k_i = F(y + Σ a_ij k_j) + Σ (c_ij/h) k_j, y1 = y + Σ_{6} k
// (stiffly accurate: the sixth stage point plus k6), error estimate k6.
const GAMMA = 0.25;
const A: readonly (readonly number[])[] = [
  [],
  [1.544],
  [0.9466785280815826, 0.2557011698983284],
  [3.314825187068521, 2.896124015972201, 0.9986419139977817],
  [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895],
  // the sixth stage is evaluated at the fifth stage point plus k5
  [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895, 1],
];
const C: readonly (readonly number[])[] = [
  [],
  [-5.6688],
  [-2.430093356833875, -0.2063599157091915],
  [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
  [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616],
  [
    8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136,
    -6.058818238834054,
  ],
];

/**
 * RODAS4: a six-stage, L-stable, stiffly accurate Rosenbrock method of order 4 with an embedded
 * order-3 error estimate. It uses the Jacobian of the field (`StepInput.jacobian`), so its step
 * size is limited by accuracy alone, not by stiffness.
 */
export const rodas4: Stepper<undefined> = stateless('rodas4', {
  order: 4,
  errorOrder: 4,
  needsJacobian: true,
  step(field: VectorField, s: StepInput): StepOutput<undefined> {
    const { dim } = field;
    const { rows, y, h, f } = s;
    if (s.jacobian === undefined) throw new Error('rodas4 needs the Jacobian');
    const jac = s.jacobian(Array.from({ length: rows }, (_, r) => r));
    const factors: LuFactors[] = [];
    const w = new Float64Array(dim * dim);
    for (let r = 0; r < rows; r++) {
      const inv = 1 / (GAMMA * h[r]!);
      const off = r * dim * dim;
      for (let i = 0; i < dim * dim; i++) w[i] = -jac[off + i]!;
      for (let i = 0; i < dim; i++) w[i * dim + i] = w[i * dim + i]! + inv;
      factors.push(denseLuFactor(w, dim, s.lu));
    }
    const ks: Float64Array[] = [];
    let fieldEvals = 0;
    let point = y;
    for (let stage = 0; stage < 6; stage++) {
      let fi: Float64Array;
      if (stage === 0) fi = f;
      else {
        const a = A[stage]!;
        point = new Float64Array(y);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < a.length; j++) {
            const c = a[j]!;
            const kj = ks[j]!;
            for (let i = r * dim; i < (r + 1) * dim; i++) point[i] = point[i]! + c * kj[i]!;
          }
        }
        fi = field.evaluate(point, rows, s.runs);
        fieldEvals += rows;
      }
      const rhs = new Float64Array(fi);
      const c = C[stage]!;
      for (let r = 0; r < rows; r++) {
        const ih = 1 / h[r]!;
        for (let j = 0; j < c.length; j++) {
          const cj = c[j]! * ih;
          const kj = ks[j]!;
          for (let i = r * dim; i < (r + 1) * dim; i++) rhs[i] = rhs[i]! + cj * kj[i]!;
        }
      }
      const k = new Float64Array(rows * dim);
      for (let r = 0; r < rows; r++) k.set(luSolve(factors[r]!, rhs, r * dim), r * dim);
      ks.push(k);
    }
    const k6 = ks[5]!;
    const y1 = new Float64Array(point);
    for (let i = 0; i < y1.length; i++) y1[i] = y1[i]! + k6[i]!;
    return { y: y1, error: k6, fieldEvals };
  },
});

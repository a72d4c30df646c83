import { repeatRuns, type VectorField } from './vector-field.js';

const CBRT_EPS = Math.cbrt(2.220446049250313e-16);

/**
 * Jacobians `∂F/∂y` of every row by central differences, all `2·dim` perturbations of all rows in
 * one batched evaluation. Column j uses `h_j = ε^{1/3}·max(|y_j|, 1e-3·‖y‖_∞, 1e-10)` (made exactly
 * representable), which gives about 10 correct digits in float64.
 * Returns row-major `[rows, dim, dim]` (entry `[r, i, j] = ∂F_i/∂y_j`).
 */
export function centralDifferenceJacobian(
  field: VectorField,
  y: Float64Array,
  rows: number,
  runs?: readonly number[],
): Float64Array {
  const dim = field.dim;
  const batch = new Float64Array(rows * 2 * dim * dim);
  const steps = new Float64Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let ymax = 0;
    for (let i = 0; i < dim; i++) ymax = Math.max(ymax, Math.abs(y[r * dim + i]!));
    for (let j = 0; j < dim; j++) {
      const yj = y[r * dim + j]!;
      const raw = CBRT_EPS * Math.max(Math.abs(yj), 1e-3 * ymax, 1e-10);
      const hj = yj + raw - yj;
      steps[r * dim + j] = hj;
      const plus = (r * 2 * dim + 2 * j) * dim;
      const minus = plus + dim;
      batch.set(y.subarray(r * dim, (r + 1) * dim), plus);
      batch.set(y.subarray(r * dim, (r + 1) * dim), minus);
      batch[plus + j] = yj + hj;
      batch[minus + j] = yj - hj;
    }
  }
  const each = Array.from({ length: rows }, (_, r) => r);
  const fs = field.evaluate(batch, rows * 2 * dim, repeatRuns(runs, each, 2 * dim));
  const jac = new Float64Array(rows * dim * dim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < dim; j++) {
      const plus = (r * 2 * dim + 2 * j) * dim;
      const minus = plus + dim;
      const inv = 1 / (2 * steps[r * dim + j]!);
      for (let i = 0; i < dim; i++) {
        jac[r * dim * dim + i * dim + j] = (fs[plus + i]! - fs[minus + i]!) * inv;
      }
    }
  }
  return jac;
}

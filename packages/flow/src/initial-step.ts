import type { ControllerSettings } from './controller.js';
import { runsOf, type RowState } from './integrator.js';
import type { VectorField } from './vector-field.js';

/**
 * Hairer's starting step size for a row of order-`p` method: `h0 = 0.01‖y‖/‖F(y)‖`, refined with
 * one extra evaluation so that `h^p · max(‖F‖, ‖F'‖) ≈ 0.01` (norms scaled by the tolerances).
 */
export function initialStepSizes(
  field: VectorField,
  rows: readonly RowState[],
  order: number,
  c: ControllerSettings,
  hMax: number,
): void {
  const dim = field.dim;
  const n = rows.length;
  if (n === 0) return;
  const h0 = new Float64Array(n);
  const d1s = new Float64Array(n);
  const y1 = new Float64Array(n * dim);
  rows.forEach((r, i) => {
    let d0 = 0;
    let d1 = 0;
    for (let k = 0; k < dim; k++) {
      const sc = c.atol + c.rtol * Math.abs(r.y[k]!);
      d0 += (r.y[k]! / sc) ** 2;
      d1 += (r.f[k]! / sc) ** 2;
    }
    d0 = Math.sqrt(d0 / dim);
    d1 = Math.sqrt(d1 / dim);
    const h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
    h0[i] = Math.min(h, hMax);
    d1s[i] = d1;
    for (let k = 0; k < dim; k++) y1[i * dim + k] = r.y[k]! + h0[i]! * r.f[k]!;
  });
  const f1 = field.evaluate(y1, n, runsOf(rows));
  rows.forEach((r, i) => {
    r.fieldEvals += 1;
    let d2 = 0;
    for (let k = 0; k < dim; k++) {
      const sc = c.atol + c.rtol * Math.abs(r.y[k]!);
      d2 += ((f1[i * dim + k]! - r.f[k]!) / sc) ** 2;
    }
    d2 = Math.sqrt(d2 / dim) / h0[i]!;
    const m = Math.max(d1s[i]!, d2);
    const h1 = m <= 1e-15 ? Math.max(1e-6, h0[i]! * 1e-3) : Math.pow(0.01 / m, 1 / order);
    r.h = Math.min(100 * h0[i]!, h1, hMax);
  });
}

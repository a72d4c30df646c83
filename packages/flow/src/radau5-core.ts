// Radau IIA's coefficients and the helpers of radau5.ts's step.
import { centralDifferenceJacobian } from './jacobian.js';
import type { LuFactors } from './lu.js';
import { denseLuFactor, type DenseLu } from './radau5-linear.js';
import type { VectorField } from './vector-field.js';

// Radau IIA of order 5 (three stages, stiffly accurate, L-stable): Hairer & Wanner, Solving ODEs
// II, §IV.5 and §IV.8 (the embedded error estimate of RADAU5).
export const S6 = Math.sqrt(6);
export const A = [
  [(88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225],
  [(296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225],
  [(16 - S6) / 36, (16 + S6) / 36, 1 / 9],
] as const;
/** γ0 = 1/u1, u1 the real eigenvalue of A⁻¹. */
export const C1 = (4 - S6) / 10;
export const C2 = (4 + S6) / 10;
export const GAMMA0 = (6 + Math.cbrt(81) - Math.cbrt(9)) / 30;
export const E = [
  (-(13 + 7 * S6) / 3) * GAMMA0,
  ((-13 + 7 * S6) / 3) * GAMMA0,
  (-1 / 3) * GAMMA0,
] as const;
export const MAX_NEWTON = 10;

export function scaledNorm(
  v: Float64Array,
  y: Float64Array,
  len: number,
  dim: number,
  rtol: number,
  atol: number,
): number {
  let ys = 0;
  for (let i = 0; i < dim; i++) ys += y[i]! * y[i]!;
  const sc = atol + rtol * Math.sqrt(ys / dim);
  let s = 0;
  for (let i = 0; i < len; i++) s += (v[i]! / sc) ** 2;
  return Math.sqrt(s / len);
}

/** LU of the Newton matrix `I − h (A⊗I) blockdiag(J_1, J_2, J_3)` (J_a: Jacobian at stage a). */
export function stageMatrix(
  dim: number,
  h: number,
  js: readonly Float64Array[],
  lu: DenseLu | undefined,
): LuFactors {
  const n3 = 3 * dim;
  const m = new Float64Array(n3 * n3);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      const c = h * A[a]![b]!;
      const jb = js[b]!;
      for (let i = 0; i < dim; i++)
        for (let j = 0; j < dim; j++)
          m[(a * dim + i) * n3 + b * dim + j] = (a === b && i === j ? 1 : 0) - c * jb[i * dim + j]!;
    }
  return denseLuFactor(m, n3, lu);
}

/** The Jacobian of `field` at the rows of `y`, not counted (a restored state recomputing its kept `J`). */
export function jacobianAt(
  field: VectorField,
  y: Float64Array,
  rows: number,
  runs: readonly number[] | undefined,
): Float64Array {
  return field.jacobian
    ? field.jacobian(y, rows, runs)
    : centralDifferenceJacobian(field, y, rows, runs);
}

/**
 * Newton starting values of every row: the previous step's collocation polynomial (its divided
 * differences `cont`, step `hOld`) extrapolated to the new stages (RADAU5's STARTN); zeros for a
 * row without a previous step.
 */
export function startValues(
  states:
    readonly ({ readonly cont: Float64Array; readonly hOld: number } | undefined)[] | undefined,
  h: Float64Array,
  rows: number,
  dim: number,
): Float64Array {
  const n3 = 3 * dim;
  const z0 = new Float64Array(rows * n3);
  const c1m1 = C1 - 1;
  const c2m1 = C2 - 1;
  for (let r = 0; r < rows; r++) {
    const prev = states?.[r];
    if (prev === undefined || !(prev.hOld > 0)) continue;
    const q = h[r]! / prev.hOld;
    const cq = [C1 * q, C2 * q, q] as const;
    const co = r * n3;
    for (let i = 0; i < dim; i++) {
      const a1 = prev.cont[i]!;
      const a2 = prev.cont[dim + i]!;
      const a3 = prev.cont[2 * dim + i]!;
      for (let a = 0; a < 3; a++) {
        const c = cq[a]!;
        z0[co + a * dim + i] = c * (a1 + (c - c2m1) * (a2 + (c - c1m1) * a3));
      }
    }
  }
  return z0;
}

/** Divided differences of each row's collocation polynomial through (0, 0), (c1, z1), (c2, z2), (1, z3). */
export function collocationDifferences(z: Float64Array, rows: number, dim: number): Float64Array {
  const n3 = 3 * dim;
  const cont = new Float64Array(rows * n3);
  for (let r = 0; r < rows; r++) {
    const co = r * n3;
    for (let i = 0; i < dim; i++) {
      const z1 = z[co + i]!;
      const z2 = z[co + dim + i]!;
      const z3 = z[co + 2 * dim + i]!;
      const c2 = (z2 - z3) / (C2 - 1);
      const ak = (z1 - z2) / (C1 - C2);
      const c3 = (ak - c2) / (C1 - 1);
      const a3 = (ak - z1 / C1) / C2;
      cont[co + i] = c2;
      cont[co + dim + i] = c3;
      cont[co + 2 * dim + i] = c3 - a3;
    }
  }
  return cont;
}

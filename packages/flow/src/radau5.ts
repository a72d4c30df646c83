import { luFactor, luSolve, type LuFactors } from './lu.js';
import type { Stepper, StepInput, StepOutput } from './stepper.js';

/**
 * A radau5 row's state: the divided differences of its last accepted step's collocation
 * polynomial (`3·dim`) and that step's size, from which the next step's Newton iterations start
 * (RADAU5's STARTN); undefined before the first step. A later Jacobian reuse across steps
 * (keeping `J` and its LU while the iterations converge fast) would live here too.
 */
export interface Radau5State {
  /** Divided differences of the last collocation polynomial. */
  readonly cont: Float64Array;
  /** Size of the step they belong to. */
  readonly hOld: number;
}
import { repeatRuns, type VectorField } from './vector-field.js';

// Radau IIA of order 5 (three stages, stiffly accurate, L-stable): Hairer & Wanner, Solving ODEs
// II, §IV.5 and §IV.8 (the embedded error estimate of RADAU5).
const S6 = Math.sqrt(6);
const A = [
  [(88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225],
  [(296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225],
  [(16 - S6) / 36, (16 + S6) / 36, 1 / 9],
] as const;
/** γ0 = 1/u1, u1 the real eigenvalue of A⁻¹. */
const C1 = (4 - S6) / 10;
const C2 = (4 + S6) / 10;
const GAMMA0 = (6 + Math.cbrt(81) - Math.cbrt(9)) / 30;
const E = [
  (-(13 + 7 * S6) / 3) * GAMMA0,
  ((-13 + 7 * S6) / 3) * GAMMA0,
  (-1 / 3) * GAMMA0,
] as const;
const MAX_NEWTON = 10;

function scaledNorm(
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
function stageMatrix(dim: number, h: number, js: readonly Float64Array[]): LuFactors {
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
  return luFactor(m, n3);
}

/**
 * Radau IIA (order 5): a fully implicit, L-stable collocation method. The stage equations
 * `z_i = h Σ_j a_ij F(y + z_j)` are solved by simplified Newton iterations with the matrix
 * `I − h·A⊗J` (one dense LU of size 3·dim per step); when they converge slowly and the field
 * has an exact Jacobian, the row switches to full Newton (Jacobians at the stage points), so
 * strongly nonlinear stiff fields (large margins under the exponential loss) do not force small
 * steps. Error estimate of order 3 (RADAU5's).
 */
export const radau5: Stepper<Radau5State | undefined> = {
  name: 'radau5',
  order: 5,
  errorOrder: 4,
  needsJacobian: true,
  init: () => undefined,
  describe: (st) => ({
    stepper: 'radau5',
    stiffHits: 0,
    nonStiffHits: 0,
    cont: st?.cont,
    hOld: st?.hOld,
  }),
  restore: (c) =>
    c.cont !== undefined && c.hOld !== undefined ? { cont: c.cont, hOld: c.hOld } : undefined,
  step(
    field: VectorField,
    s: StepInput,
    states?: readonly (Radau5State | undefined)[],
  ): StepOutput<Radau5State | undefined> {
    const { dim } = field;
    const { rows, y, h, f } = s;
    if (s.jacobian === undefined) throw new Error('radau5 needs the Jacobian');
    // a fresh Jacobian at every step's start point (a state that kept one would ask for fewer)
    const jac = s.jacobian(Array.from({ length: rows }, (_, r) => r));
    const n3 = 3 * dim;
    const big: LuFactors[] = [];
    const small: LuFactors[] = [];
    const w = new Float64Array(dim * dim);
    for (let r = 0; r < rows; r++) {
      const hr = h[r]!;
      const jr = jac.subarray(r * dim * dim, (r + 1) * dim * dim);
      big.push(stageMatrix(dim, hr, [jr, jr, jr]));
      for (let i = 0; i < dim * dim; i++) w[i] = -hr * GAMMA0 * jr[i]!;
      for (let i = 0; i < dim; i++) w[i * dim + i] = w[i * dim + i]! + 1;
      small.push(luFactor(w, dim));
    }
    let jacobianEvals = 0;
    const fullNewton = new Uint8Array(rows);
    const z = new Float64Array(rows * n3);
    // starting values: extrapolate the previous step's collocation polynomial (RADAU5's STARTN)
    {
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
            z[co + a * dim + i] = c * (a1 + (c - c2m1) * (a2 + (c - c1m1) * a3));
          }
        }
      }
    }
    const done = new Uint8Array(rows);
    const failed = new Uint8Array(rows);
    const prevNorm = new Float64Array(rows).fill(Infinity);
    let fieldEvals = 0;
    for (let it = 0; it < MAX_NEWTON; it++) {
      const act: number[] = [];
      for (let r = 0; r < rows; r++) if (!done[r] && !failed[r]) act.push(r);
      if (act.length === 0) break;
      const pts = new Float64Array(act.length * n3);
      act.forEach((r, k) => {
        for (let a = 0; a < 3; a++)
          for (let i = 0; i < dim; i++)
            pts[k * n3 + a * dim + i] = y[r * dim + i]! + z[r * n3 + a * dim + i]!;
      });
      const fz = field.evaluate(pts, 3 * act.length, repeatRuns(s.runs, act, 3));
      fieldEvals += 3 * act.length;
      act.forEach((r, k) => {
        const rhs = new Float64Array(n3);
        const hr = h[r]!;
        for (let a = 0; a < 3; a++)
          for (let i = 0; i < dim; i++) {
            let acc = -z[r * n3 + a * dim + i]!;
            for (let b = 0; b < 3; b++) acc += hr * A[a]![b]! * fz[k * n3 + b * dim + i]!;
            rhs[a * dim + i] = acc;
          }
        const dz = luSolve(big[r]!, rhs);
        let finite = true;
        for (let i = 0; i < n3; i++) {
          z[r * n3 + i] = z[r * n3 + i]! + dz[i]!;
          if (!Number.isFinite(dz[i]!)) finite = false;
        }
        const yr = y.subarray(r * dim, (r + 1) * dim);
        const nrm = scaledNorm(
          dz,
          yr,
          n3,
          dim,
          s.tolerance?.rtol ?? 1e-8,
          s.tolerance?.atol ?? 1e-12,
        );
        const theta = nrm / prevNorm[r]!;
        prevNorm[r] = nrm;
        if (!finite) {
          failed[r] = 1;
          return;
        }
        if (it > 0 && theta >= 0.99) {
          // stagnation: below the tolerance it is the rounding floor of F (converged), else divergence
          if (nrm <= 1) done[r] = 1;
          else failed[r] = 1;
          return;
        }
        const eta = it === 0 ? 1 : theta / (1 - theta);
        if (eta * nrm <= 0.03 || nrm <= 1e-3) done[r] = 1;
        else if (it > 0 && theta > 0.3 && field.jacobian) fullNewton[r] = 1;
      });
      // slow convergence: switch those rows to full Newton (exact Jacobians at the stage points)
      const refresh = act.filter((r) => fullNewton[r] && !done[r] && !failed[r]);
      if (refresh.length > 0 && field.jacobian) {
        const pts = new Float64Array(refresh.length * n3);
        refresh.forEach((r, k) => {
          for (let a = 0; a < 3; a++)
            for (let i = 0; i < dim; i++)
              pts[k * n3 + a * dim + i] = y[r * dim + i]! + z[r * n3 + a * dim + i]!;
        });
        const js = field.jacobian(pts, 3 * refresh.length, repeatRuns(s.runs, refresh, 3));
        jacobianEvals += 3 * refresh.length;
        refresh.forEach((r, k) => {
          const dd = dim * dim;
          const base = 3 * k * dd;
          big[r] = stageMatrix(dim, h[r]!, [
            js.subarray(base, base + dd),
            js.subarray(base + dd, base + 2 * dd),
            js.subarray(base + 2 * dd, base + 3 * dd),
          ]);
          prevNorm[r] = Infinity;
        });
      }
    }
    const yOut = new Float64Array(rows * dim);
    const error = new Float64Array(rows * dim);
    for (let r = 0; r < rows; r++) {
      const off = r * dim;
      if (!done[r]) {
        yOut.set(y.subarray(off, off + dim), off);
        error.fill(Infinity, off, off + dim);
        continue;
      }
      const rhs = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        yOut[off + i] = y[off + i]! + z[r * n3 + 2 * dim + i]!;
        rhs[i] =
          GAMMA0 * h[r]! * f[off + i]! +
          E[0] * z[r * n3 + i]! +
          E[1] * z[r * n3 + dim + i]! +
          E[2] * z[r * n3 + 2 * dim + i]!;
      }
      error.set(luSolve(small[r]!, rhs), off);
    }
    // divided differences of the collocation polynomial through (0, 0), (c1, z1), (c2, z2), (1, z3)
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
    const next: Radau5State[] = [];
    for (let r = 0; r < rows; r++)
      next.push({ cont: cont.slice(r * n3, (r + 1) * n3), hOld: h[r]! });
    return { y: yOut, error, fieldEvals, jacobianEvals, states: next };
  },
};

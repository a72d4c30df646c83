import { defaultTolerances } from './defaults.js';
import { luSolve, type LuFactors } from './lu.js';
import {
  A,
  collocationDifferences,
  E,
  GAMMA0,
  jacobianAt,
  MAX_NEWTON,
  scaledNorm,
  stageMatrix,
  startValues,
} from './radau5-core.js';
import { radauSplitFactor, radauSplitSolve, type RadauSplitFactors } from './radau5-linear.js';
import {
  radauSymmetricFactor,
  radauSymmetricRealSolve,
  radauSymmetricSolve,
  symmetricTridiagonal,
  type RadauSymmetricFactors,
  type SymmetricTridiagonal,
} from './radau5-symmetric.js';
import type { Stepper, StepInput, StepOutput } from './stepper.js';

/**
 * A radau5 row's state: the divided differences of its last accepted step's collocation
 * polynomial (`3·dim`) and that step's size, from which the next step's Newton iterations start
 * (RADAU5's STARTN), and the Jacobian it keeps across steps (Hairer's RADAU5 and scipy's Radau
 * reuse `J` while the Newton iterations converge fast); undefined before the first step.
 */
export interface Radau5State {
  /** Divided differences of the last collocation polynomial. */
  readonly cont: Float64Array;
  /** Size of the step they belong to. */
  readonly hOld: number;
  /** The point the kept Jacobian was evaluated at (a checkpoint stores this, not `J`). */
  readonly jacAt?: Float64Array | undefined;
  /** The kept Jacobian `∂F/∂y(jacAt)`, row-major `dim²` (recomputed from `jacAt` after a restore). */
  readonly jac?: Float64Array | undefined;
  /** The last accepted step's Newton iterations converged slowly: the next step takes a fresh `J`. */
  readonly jacRefresh?: boolean | undefined;
  /**
   * The split factors of `jac` for the step size `split.h` (not serialized): a next step with the
   * same `J` and the same `h` (the controller holds `h`, see `Stepper.holdStep`) reuses them.
   */
  readonly split?: RadauSplitFactors | RadauSymmetricFactors | undefined;
  /** The tridiagonal form of `jac` when the field's Jacobian is symmetric (not serialized). */
  readonly reduction?: SymmetricTridiagonal | undefined;
}
import { repeatRuns, type VectorField } from './vector-field.js';

/** Step-size ratios that keep the step (Hairer's QUOT1, QUOT2), so the LU factors stay valid. */
const HOLD_STEP = [1, 1.2] as const;

/** Newton iterations converging slower than this (contraction θ after 2+ iterations) refresh `J` next step (scipy's rule). */
const REFRESH_THETA = 1e-3;
/** Contraction at which a stale `J` is replaced at once (and a fresh one switches to full Newton). */
const SLOW_THETA = 0.3;

type Split = RadauSplitFactors | RadauSymmetricFactors;
type Factors = { kind: 'split'; f: Split } | { kind: 'dense'; f: LuFactors };

const isSymmetric = (f: Split): f is RadauSymmetricFactors =>
  (f as Partial<RadauSymmetricFactors>).kind === 'symmetric';

/**
 * Radau IIA (order 5): a fully implicit, L-stable collocation method. The stage equations
 * `z_i = h Σ_j a_ij F(y + z_j)` are solved by simplified Newton iterations with the matrix
 * `I − h·A⊗J`, factored as Hairer's RADAU5 does (one real and one complex `dim×dim` LU, see
 * `radau5-linear.ts`). `J` is kept across steps while the iterations converge fast and taken
 * afresh at the step's start point when they converged slowly on the previous step or stall on
 * this one (Hairer's and scipy's reuse rule). When they still converge slowly with a fresh `J` and
 * the field has an exact Jacobian, the row switches to full Newton (Jacobians at the stage points,
 * a dense `3·dim` LU), so strongly nonlinear stiff fields (large margins under the exponential
 * loss) do not force small steps. Error estimate of order 3 (RADAU5's).
 */
export const radau5: Stepper<Radau5State | undefined> = {
  name: 'radau5',
  order: 5,
  errorOrder: 4,
  needsJacobian: true,
  // Hairer's RADAU5: a new step size within [1, 1.2] of the last keeps it, so the factors are reused
  holdStep: (st) => (st?.reduction !== undefined ? undefined : HOLD_STEP),
  // and its predictive step-size control (Gustafsson), which sees fast transients coming
  predictive: (st) => st?.hOld ?? 0,
  init: () => undefined,
  describe: (st) => ({
    stepper: 'radau5',
    stiffHits: 0,
    nonStiffHits: 0,
    cont: st?.cont,
    hOld: st?.hOld,
    jacAt: st?.jacAt,
    jacRefresh: st?.jacRefresh,
  }),
  restore: (c) =>
    c.cont !== undefined && c.hOld !== undefined
      ? {
          cont: c.cont,
          hOld: c.hOld,
          ...(c.jacAt !== undefined ? { jacAt: c.jacAt } : {}),
          ...(c.jacRefresh !== undefined ? { jacRefresh: c.jacRefresh } : {}),
        }
      : undefined,
  step(
    field: VectorField,
    s: StepInput,
    states?: readonly (Radau5State | undefined)[],
  ): StepOutput<Radau5State | undefined> {
    const { dim } = field;
    const { rows, y, h, f } = s;
    const askJacobian = s.jacobian;
    if (askJacobian === undefined) throw new Error('radau5 needs the Jacobian');
    const dd = dim * dim;
    const n3 = 3 * dim;
    const tol = s.tolerance ?? defaultTolerances('float64');
    // each row's Jacobian: the kept one unless the state asks for a fresh one
    const jacs: Float64Array[] = new Array<Float64Array>(rows);
    const jacAt: Float64Array[] = new Array<Float64Array>(rows);
    const fresh = new Uint8Array(rows);
    const restoreRows: number[] = [];
    const freshRows: number[] = [];
    for (let r = 0; r < rows; r++) {
      const st = states?.[r];
      if (st?.jacAt !== undefined && !st.jacRefresh) {
        jacAt[r] = st.jacAt;
        if (st.jac !== undefined) jacs[r] = st.jac;
        else restoreRows.push(r);
      } else freshRows.push(r);
    }
    if (restoreRows.length > 0) {
      const pts = new Float64Array(restoreRows.length * dim);
      restoreRows.forEach((r, k) => pts.set(jacAt[r]!, k * dim));
      const runs = s.runs === undefined ? undefined : restoreRows.map((r) => s.runs![r]!);
      const js = jacobianAt(field, pts, restoreRows.length, runs);
      restoreRows.forEach((r, k) => (jacs[r] = js.slice(k * dd, (k + 1) * dd)));
    }
    const takeFresh = (which: readonly number[]): void => {
      if (which.length === 0) return;
      const js = askJacobian(which);
      which.forEach((r, k) => {
        jacs[r] = js.slice(k * dd, (k + 1) * dd);
        jacAt[r] = y.slice(r * dim, (r + 1) * dim);
        fresh[r] = 1;
      });
    };
    takeFresh(freshRows);
    // a symmetric J (a gradient flow's) is reduced once to tridiagonal form, after which any h
    // costs O(dim) to factor; the kept reduction goes with the kept J
    const symmetric = field.symmetricJacobian === true;
    const reductions: (SymmetricTridiagonal | undefined)[] = new Array(rows);
    const factorOf = (r: number): Split => {
      if (!symmetric) return radauSplitFactor(jacs[r]!, dim, h[r]!, s.lu);
      const kept = states?.[r];
      reductions[r] ??=
        !fresh[r] && kept?.reduction !== undefined && kept.jac === jacs[r]
          ? kept.reduction
          : symmetricTridiagonal(jacs[r]!, dim, s.lu);
      return radauSymmetricFactor(reductions[r]!, h[r]!, s.lu);
    };
    // the split factors of each row's start-point J (also the error estimate's real factor)
    const split: Split[] = new Array<Split>(rows);
    const factors: Factors[] = new Array<Factors>(rows);
    for (let r = 0; r < rows; r++) {
      const kept = states?.[r]?.split;
      // same J (the kept one, not a fresh one) and the same h: the factors are still valid
      split[r] =
        !fresh[r] && kept !== undefined && kept.h === h[r] && states?.[r]?.jac === jacs[r]
          ? kept
          : factorOf(r);
      if (isSymmetric(split[r]!)) reductions[r] = (split[r] as RadauSymmetricFactors).reduction;
      factors[r] = { kind: 'split', f: split[r]! };
    }
    let jacobianEvals = 0;
    const fullNewton = new Uint8Array(rows);
    // starting values: extrapolate the previous step's collocation polynomial (RADAU5's STARTN)
    const z0 = startValues(states, h, rows, dim);
    const z = z0.slice();
    const done = new Uint8Array(rows);
    const failed = new Uint8Array(rows);
    const iter = new Int32Array(rows);
    const theta = new Float64Array(rows);
    const prevNorm = new Float64Array(rows).fill(Infinity);
    let fieldEvals = 0;
    // a stale J that stalls the iterations: take a fresh one at the start point and start over
    const restartFresh = (which: readonly number[]): void => {
      takeFresh(which);
      for (const r of which) {
        reductions[r] = undefined;
        split[r] = factorOf(r);
        factors[r] = { kind: 'split', f: split[r]! };
        z.set(z0.subarray(r * n3, (r + 1) * n3), r * n3);
        iter[r] = 0;
        prevNorm[r] = Infinity;
      }
    };
    for (;;) {
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
      const stale: number[] = [];
      act.forEach((r, k) => {
        const rhs = new Float64Array(n3);
        const hr = h[r]!;
        for (let a = 0; a < 3; a++)
          for (let i = 0; i < dim; i++) {
            let acc = -z[r * n3 + a * dim + i]!;
            for (let b = 0; b < 3; b++) acc += hr * A[a]![b]! * fz[k * n3 + b * dim + i]!;
            rhs[a * dim + i] = acc;
          }
        const fr = factors[r]!;
        const dz =
          fr.kind === 'dense'
            ? luSolve(fr.f, rhs)
            : isSymmetric(fr.f)
              ? radauSymmetricSolve(fr.f, rhs)
              : radauSplitSolve(fr.f, rhs);
        let finite = true;
        for (let i = 0; i < n3; i++) {
          z[r * n3 + i] = z[r * n3 + i]! + dz[i]!;
          if (!Number.isFinite(dz[i]!)) finite = false;
        }
        const it = iter[r]!;
        iter[r] = it + 1;
        const yr = y.subarray(r * dim, (r + 1) * dim);
        const nrm = scaledNorm(dz, yr, n3, dim, tol.rtol, tol.atol);
        const th = nrm / prevNorm[r]!;
        prevNorm[r] = nrm;
        if (it > 0) theta[r] = th;
        // a stale J is replaced at the first sign of trouble; a fresh one fails the step
        const giveUp = (): void => {
          if (!fresh[r]) stale.push(r);
          else failed[r] = 1;
        };
        if (!finite) return giveUp();
        if (it > 0 && th >= 0.99) {
          // stagnation: below the tolerance it is the rounding floor of F (converged), else divergence
          if (nrm <= 1) done[r] = 1;
          else giveUp();
          return;
        }
        const eta = it === 0 ? 1 : th / (1 - th);
        if (eta * nrm <= 0.03 || nrm <= 1e-3) {
          done[r] = 1;
          return;
        }
        if (it + 1 >= MAX_NEWTON) return giveUp();
        if (it > 0 && th > SLOW_THETA) {
          if (!fresh[r]) stale.push(r);
          else if (field.jacobian && fullNewton[r] === 0) fullNewton[r] = 2;
        }
      });
      restartFresh(stale);
      // slow convergence with a fresh J: those rows go to full Newton (exact Jacobians at the stages)
      const refresh = act.filter((r) => fullNewton[r] === 2 && !done[r] && !failed[r]);
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
          const base = 3 * k * dd;
          factors[r] = {
            kind: 'dense',
            f: stageMatrix(
              dim,
              h[r]!,
              [
                js.subarray(base, base + dd),
                js.subarray(base + dd, base + 2 * dd),
                js.subarray(base + 2 * dd, base + 3 * dd),
              ],
              s.lu,
            ),
          };
          fullNewton[r] = 1;
          iter[r] = 0;
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
      // (I − hγ0·J) e = rhs  ⟺  (γ/h·I − J) e = rhs / (hγ0): the real factor of the split
      const hg = h[r]! * GAMMA0;
      const rhs = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        yOut[off + i] = y[off + i]! + z[r * n3 + 2 * dim + i]!;
        rhs[i] =
          (GAMMA0 * h[r]! * f[off + i]! +
            E[0] * z[r * n3 + i]! +
            E[1] * z[r * n3 + dim + i]! +
            E[2] * z[r * n3 + 2 * dim + i]!) /
          hg;
      }
      const sp = split[r]!;
      error.set(isSymmetric(sp) ? radauSymmetricRealSolve(sp, rhs) : luSolve(sp.real, rhs), off);
    }
    const cont = collocationDifferences(z, rows, dim);
    const next: Radau5State[] = [];
    for (let r = 0; r < rows; r++)
      next.push({
        cont: cont.slice(r * n3, (r + 1) * n3),
        hOld: h[r]!,
        jacAt: jacAt[r],
        jac: jacs[r],
        split: split[r],
        reduction: reductions[r],
        // scipy's rule: more than two iterations at a contraction above 1e−3 (or full Newton)
        jacRefresh: fullNewton[r] !== 0 || (iter[r]! > 2 && theta[r]! > REFRESH_THETA),
      });
    return {
      y: yOut,
      error,
      fieldEvals,
      jacobianEvals,
      states: next,
      iterations: iter,
      maxIterations: MAX_NEWTON,
    };
  },
};

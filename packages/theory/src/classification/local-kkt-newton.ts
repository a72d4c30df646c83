import { independentRows } from '../linalg/rank.js';
import { luSolve } from '../linalg/dense.js';
import { nnls } from '../certificates/nnls.js';
import type { SolveStatus } from '../prediction.js';

/**
 * `min Σ_g c_g ‖x_g‖^p s.t. (Zy x)_i ≥ 1` with `0 < p < 1`, over coordinate groups `g`
 * (`[first, size]`, size 1 or 2); rows of `Zy` (n×m, row-major) are `y_i z_i`.
 * @internal
 */
export interface GroupedMarginProblem {
  readonly Zy: Float64Array;
  readonly n: number;
  readonly m: number;
  readonly groups: readonly (readonly [number, number])[];
  /** Objective weights `c_g > 0`. */
  readonly coef: ArrayLike<number>;
  readonly p: number;
}

/** Tolerances of {@link localKktNewton}. @internal */
export interface LocalKktOptions {
  /** Groups with `‖x_g‖ > this · max_g ‖x_g‖` at the start form the support. */
  readonly supportTolerance: number;
  /** Samples whose margin at the start (scaled to margin 1) is ≤ 1 + this are active. */
  readonly activeTolerance: number;
  /** Newton steps allowed (active-set changes included). */
  readonly maxIterations: number;
}

/** Result of {@link localKktNewton}. @internal */
export interface LocalKktResult {
  /** The KKT point (zero off the support), margins ≥ 1. */
  readonly x: Float64Array;
  /** Multipliers μ ≥ 0, length n (zero off the active set). */
  readonly mu: Float64Array;
  /** Group indices of the support. */
  readonly support: number[];
  /** Samples whose constraints hold with equality. */
  readonly activeSet: number[];
  /** Newton steps taken. */
  readonly iterations: number;
  readonly status: SolveStatus;
}

const EPS = 2.220446049250313e-16;

/**
 * Newton's method on the KKT equations of the problem restricted to the support S and active
 * set A read off the start `x0` (any positive scale; it must separate):
 * `∇_S Σ c_g‖x_g‖^p = Zy_{A,S}ᵀ μ_A` and `Zy_{A,S} x_S = 1`. Away from zero the objective is smooth on
 * S, and the Jacobian `[[H, −Bᵀ], [B, 0]]` (B = Zy_{A,S}, H the objective's Hessian) is regular
 * whenever B has full row rank and H is regular on its null space, so Newton converges
 * quadratically from a start near the KKT point and never leaves S (steps are damped so that no
 * group of S shrinks below half its norm or flips sign). A is first reduced to rows independent on
 * S (tightest margins first); a negative multiplier drops its row and a violated constraint off A
 * joins it, and Newton resumes.
 * @internal
 */
export function localKktNewton(
  prob: GroupedMarginProblem,
  x0: ArrayLike<number>,
  opts: LocalKktOptions,
): LocalKktResult {
  const { Zy, n, m, groups, coef, p } = prob;
  const margin = (x: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += Zy[i * m + j]! * x[j]!;
      out[i] = s;
    }
    return out;
  };
  const gamma = Math.min(...margin(x0));
  const x = Float64Array.from(x0, (v) => v / gamma);
  const gNorm = (g: readonly [number, number], v: ArrayLike<number>): number =>
    g[1] === 2 ? Math.hypot(v[g[0]]!, v[g[0] + 1]!) : Math.abs(v[g[0]]!);
  const norms = groups.map((g) => gNorm(g, x));
  const top = Math.max(...norms);
  const support = groups.map((_, k) => k).filter((k) => norms[k]! > opts.supportTolerance * top);
  const vars = support.flatMap((k) => {
    const [s, size] = groups[k]!;
    return size === 2 ? [s, s + 1] : [s];
  });
  const inVars = new Set(vars);
  for (let j = 0; j < m; j++) if (!inVars.has(j)) x[j] = 0;
  const k = vars.length;
  const rowOn = (i: number): Float64Array => Float64Array.from(vars, (j) => Zy[i * m + j]!);
  // the tightest rows first, keeping those independent on the support
  const m0 = margin(x);
  const low = Math.min(...m0);
  const candidates = Array.from({ length: n }, (_, i) => i)
    .filter((i) => m0[i]! <= low * (1 + opts.activeTolerance))
    .sort((a, b) => m0[a]! - m0[b]!);
  const independent = (rows: number[]): number[] => {
    const data = new Float64Array(rows.length * k);
    rows.forEach((i, r) => data.set(rowOn(i), r * k));
    return independentRows({ rows: rows.length, cols: k, data }).kept.map((r) => rows[r]!);
  };
  let A = independent(candidates);
  const rescale = Math.min(...A.map((i) => m0[i]!));
  for (const j of vars) x[j]! /= rescale;
  const grad = (): { g: Float64Array; H: Float64Array } => {
    const g = new Float64Array(k);
    const H = new Float64Array(k * k);
    let o = 0;
    for (const kk of support) {
      const [s, size] = groups[kk]!;
      const c = coef[kk]!;
      if (size === 1) {
        const a = Math.abs(x[s]!);
        g[o] = c * p * Math.sign(x[s]!) * Math.pow(a, p - 1);
        H[o * k + o] = c * p * (p - 1) * Math.pow(a, p - 2);
        o += 1;
      } else {
        const r = Math.hypot(x[s]!, x[s + 1]!);
        const f = c * p * Math.pow(r, p - 2);
        const u = [x[s]! / r, x[s + 1]! / r];
        for (let a = 0; a < 2; a++) {
          g[o + a] = f * x[s + a]!;
          for (let b = 0; b < 2; b++)
            H[(o + a) * k + o + b] = f * ((a === b ? 1 : 0) + (p - 2) * u[a]! * u[b]!);
        }
        o += 2;
      }
    }
    return { g, H };
  };
  const multipliers = (rows: number[]): Float64Array => {
    const B = new Float64Array(k * rows.length);
    rows.forEach((i, b) => rowOn(i).forEach((v, a) => (B[a * rows.length + b] = v)));
    return nnls(B, k, rows.length, grad().g).x;
  };
  let mu = multipliers(A);
  const residual = (xs: Float64Array, mus: Float64Array): { F: Float64Array; norm: number } => {
    const saved = vars.map((j) => x[j]!);
    vars.forEach((j, a) => (x[j] = xs[a]!));
    const { g } = grad();
    vars.forEach((j, a) => (x[j] = saved[a]!));
    const F = new Float64Array(k + A.length);
    for (let a = 0; a < k; a++) {
      let s = g[a]!;
      A.forEach((i, b) => (s -= Zy[i * m + vars[a]!]! * mus[b]!));
      F[a] = s;
    }
    A.forEach((i, b) => {
      let s = -1;
      vars.forEach((j, a) => (s += Zy[i * m + j]! * xs[a]!));
      F[k + b] = s;
    });
    let gn = 0;
    for (const v of g) gn += v * v;
    let s1 = 0;
    let s2 = 0;
    for (let a = 0; a < k; a++) s1 += F[a]! ** 2;
    for (let b = k; b < F.length; b++) s2 += F[b]! ** 2;
    return { F, norm: Math.sqrt(s1 / gn) + Math.sqrt(s2) };
  };
  const groupOk = (xs: Float64Array, ref: Float64Array): boolean => {
    let o = 0;
    for (const kk of support) {
      const size = groups[kk]![1];
      if (size === 1) {
        if (!(
          Math.sign(xs[o]!) === Math.sign(ref[o]!) && Math.abs(xs[o]!) >= 0.5 * Math.abs(ref[o]!)
        ))
          return false;
      } else if (Math.hypot(xs[o]!, xs[o + 1]!) < 0.5 * Math.hypot(ref[o]!, ref[o + 1]!))
        return false;
      o += size;
    }
    return true;
  };
  let status: SolveStatus = 'max-steps';
  let it = 0;
  for (; it < opts.maxIterations; it++) {
    const xs = Float64Array.from(vars, (j) => x[j]!);
    const { F, norm } = residual(xs, mu);
    const { H } = grad();
    const size = k + A.length;
    const J = new Float64Array(size * size);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) J[a * size + b] = H[a * k + b]!;
    A.forEach((i, r) =>
      vars.forEach((j, a) => {
        J[a * size + k + r] = -Zy[i * m + j]!;
        J[(k + r) * size + a] = Zy[i * m + j]!;
      }),
    );
    const step = luSolve(
      J,
      size,
      F.map((v) => -v),
    );
    if (step === null || !step.every(Number.isFinite)) {
      status = 'stalled';
      break;
    }
    let t = 1;
    let next = xs;
    let nextMu = mu;
    let accepted = false;
    for (let tries = 0; tries < 60 && !accepted; tries++) {
      next = xs.map((v, a) => v + t * step[a]!);
      nextMu = mu.map((v, b) => v + t * step[k + b]!);
      const ok = groupOk(next, xs);
      // near the solution the residual sits at rounding level: accept a full step there
      accepted = ok && (residual(next, nextMu).norm <= (1 - 1e-4 * t) * norm || norm <= 1e-12);
      if (!accepted) t /= 2;
    }
    if (!accepted) {
      status = 'stalled';
      break;
    }
    vars.forEach((j, a) => (x[j] = next[a]!));
    mu = nextMu;
    let dx = 0;
    let xm = 0;
    for (let a = 0; a < k; a++) {
      dx = Math.max(dx, Math.abs(t * step[a]!));
      xm = Math.max(xm, Math.abs(next[a]!));
    }
    if (dx > 16 * EPS * k * xm && residual(next, mu).norm > 64 * EPS * size) continue;
    // the equations hold: check the multipliers' signs and the other constraints
    let worst = -1;
    mu.forEach((v, b) => {
      if (v < -1e-12 * Math.max(...mu.map(Math.abs)) && (worst < 0 || v < mu[worst]!)) worst = b;
    });
    if (worst >= 0) {
      A = A.filter((_, b) => b !== worst);
      mu = mu.filter((_, b) => b !== worst);
      continue;
    }
    const mg = margin(x);
    let violated = -1;
    mg.forEach((v, i) => {
      if (v < 1 - 1e-12 && !A.includes(i) && (violated < 0 || v < mg[violated]!)) violated = i;
    });
    if (violated >= 0) {
      A = [...A, violated];
      mu = Float64Array.from([...mu, 0]);
      continue;
    }
    status = 'converged';
    it++;
    break;
  }
  const muFull = new Float64Array(n);
  A.forEach((i, b) => (muFull[i] = Math.max(0, mu[b]!)));
  return {
    x,
    mu: muFull,
    support,
    activeSet: [...A].sort((a, b) => a - b),
    iterations: it,
    status,
  };
}

import type { HostMatrix } from '@implicit-bias/core';
import { leastSquares, luSolve, matTVec, matVec } from '../linalg/dense.js';
import { CL, phiLInverse } from '../scalar/phi-l.js';
import { phiLTail, phiLTailInverse } from '../scalar/phi-tail.js';
import { hL, hLInverse } from '../scalar/h-l.js';

/**
 * Boundary phase of the Q-potential solve for `L ≥ 3` at small α, where the dual optimum has
 * `|s_j| = C_L − ε_j` with ε_j below float64 resolution of `s_j`. With the support S (n coordinates,
 * signs σ) fixed, the dual is parametrized by `e = log ε_S`: `μ = (K_S A_Sᵀ)^{−T}`-solve of
 * `σ∘(C_L − ε)`, `ρ_S = σ c^L h_L(Ψ_L^{−1}(ε))` through the accurate tail `Ψ_L = C_L − Φ_L`, and
 * off the support `ρ_j = c_j^L h_L(Φ_L^{−1}(κ_j[Aᵀμ]_j))`. Newton on `Aρ(e) = y` (n equations,
 * n unknowns), backtracking on the residual, from the dual point `e = log(C_L − σ s0)` and, failing
 * that, from the vertex guess `A_S ρ_S = y`. Coordinates of S need not be at the boundary
 * (`ε ≥ C_L` puts `s_j` on the other side of 0): when fewer than n are, the Jacobian columns of the
 * others are of order c^L, so columns are equilibrated and a least-squares step on the strong
 * columns is tried alongside the full step.
 * Returns null when no start gives a valid point (singular, off-support out of domain).
 * @internal
 */
export function boundaryNewton(
  A: HostMatrix,
  y: ArrayLike<number>,
  L: number,
  c: Float64Array,
  kappa: Float64Array,
  s0: Float64Array,
): { rho: Float64Array; residual: number; iterations: number } | null {
  const n = A.rows;
  const m = A.cols;
  const C = CL(L);
  const order = Array.from({ length: m }, (_, j) => j).sort(
    (a, b) => Math.abs(s0[b]!) - Math.abs(s0[a]!),
  );
  const S = order.slice(0, n);
  const inS = new Array<boolean>(m).fill(false);
  S.forEach((j) => (inS[j] = true));
  const sigma = S.map((j) => Math.sign(s0[j]!) || 1);
  const AS = new Float64Array(n * n); // A_S (n×n), columns in S order
  const BT = new Float64Array(n * n); // (K_S A_Sᵀ): row k = κ_{S_k} A[:, S_k]ᵀ
  for (let i = 0; i < n; i++)
    S.forEach((j, k) => {
      AS[i * n + k] = A.data[i * m + j]!;
      BT[k * n + i] = kappa[j]! * A.data[i * m + j]!;
    });
  const cL = Array.from(c, (v) => Math.pow(v, L));
  // start from the dual point itself, e = log(C_L − σ s0) (the dual phase leaves it close to the
  // optimum even when fewer than n coordinates sit at the boundary); the vertex guess `A_S ρ_S = y`
  // is the fallback
  const starts: number[][] = [S.map((j, k) => Math.log(Math.max(C - sigma[k]! * s0[j]!, 1e-300)))];
  const rhoS0 = luSolve(AS, n, y);
  if (rhoS0 !== null && S.every((_, k) => Math.sign(rhoS0[k]!) === sigma[k]))
    starts.push(S.map((j, k) => Math.log(phiLTail(L, hLInverse(L, Math.abs(rhoS0[k]!) / cL[j]!)))));
  const evaluate = (ee: number[]) => {
    const eps = ee.map((v) => Math.exp(v));
    const mu = luSolve(
      BT,
      n,
      sigma.map((sg, k) => sg * (C - eps[k]!)),
    );
    if (mu === null) return null;
    const s = matTVec(A, mu);
    const rho = new Float64Array(m);
    const D = new Float64Array(m); // dρ/ds off S; c^L (1+T²)^{L−2}(1+LT²) on S
    for (let j = 0; j < m; j++) {
      if (inS[j]) continue;
      const sj = kappa[j]! * s[j]!;
      if (!(Math.abs(sj) < C)) return null;
      const T = phiLInverse(L, sj);
      rho[j] = cL[j]! * hL(L, T);
      D[j] = cL[j]! * Math.pow(1 + T * T, L - 2) * (1 + L * T * T);
    }
    for (let k = 0; k < n; k++) if (!(eps[k]! < 2 * C)) return null;
    S.forEach((j, k) => {
      // ε ≥ C_L: the coordinate is on the other side of 0 from σ (s = σ(C_L − ε))
      const T = eps[k]! < C ? phiLTailInverse(L, eps[k]!) : phiLInverse(L, C - eps[k]!);
      rho[j] = sigma[k]! * cL[j]! * hL(L, T);
      D[j] = cL[j]! * Math.pow(1 + T * T, L - 2) * (1 + L * T * T);
    });
    const r = matVec(A, rho).map((v, i) => y[i]! - v);
    const norm = Math.sqrt(r.reduce((acc, v) => acc + v * v, 0));
    return Number.isFinite(norm) ? { eps, rho, D, r, norm } : null;
  };
  const yNorm = Math.sqrt(Array.from(y).reduce((acc, v) => acc + v * v, 0));
  const solveFrom = (e0: number[]) => {
    let e = e0;
    let cur = evaluate(e);
    if (cur === null) return null;
    let it = 0;
    for (; it < 100 && cur.norm > 1e-15 * yNorm; it++) {
      // J = A · dρ/de: on S, dρ_j/de_k = −σ_k D_j ε_k δ_jk; off S, dρ_j/de = D_j κ_j A_jᵀ dμ/de,
      // dμ/de_k = −σ_k ε_k (K_S A_Sᵀ)^{−1} e_k
      const dmu: Float64Array[] = [];
      for (let k = 0; k < n; k++) {
        const rhs = new Float64Array(n);
        rhs[k] = -sigma[k]! * cur.eps[k]!;
        const col = luSolve(BT, n, rhs);
        if (col === null) return null;
        dmu.push(col);
      }
      const J = new Float64Array(n * n);
      for (let k = 0; k < n; k++) {
        const ds = matTVec(A, dmu[k]!);
        const drho = new Float64Array(m);
        for (let j = 0; j < m; j++) if (!inS[j]) drho[j] = cur.D[j]! * kappa[j]! * ds[j]!;
        const jk = S[k]!;
        drho[jk] = -sigma[k]! * cur.D[jk]! * cur.eps[k]!;
        const col = matVec(A, drho);
        for (let i = 0; i < n; i++) J[i * n + k] = col[i]!;
      }
      // equilibrate the columns: a coordinate of S away from the boundary (fewer than n coordinates
      // at the boundary, e.g. a sparse minimum-ℓ1 interpolant) moves Aρ only at the scale c^L, so
      // its column can be ~1e−20 of the others and would read as singular
      const colScale = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        let q = 0;
        for (let i = 0; i < n; i++) q += J[i * n + k]! ** 2;
        colScale[k] = Math.sqrt(q) || 1;
        for (let i = 0; i < n; i++) J[i * n + k]! /= colScale[k]!;
      }
      // candidate directions: the full Newton step, and (when some columns are weak, i.e. those
      // coordinates sit at the scale c^L and cannot be resolved against rounding in r) the least
      // squares step on the strong columns with the weak ones held — otherwise the huge weak
      // components of the full step, capped below, freeze the whole step
      const steps: Float64Array[] = [];
      const full = luSolve(J, n, cur.r);
      if (full !== null) steps.push(full.map((v, k) => v / colScale[k]!));
      const maxScale = colScale.reduce((acc, v) => Math.max(acc, v), 0);
      const strong = Array.from({ length: n }, (_, k) => k).filter(
        (k) => colScale[k]! >= 1e-8 * maxScale,
      );
      if (strong.length < n) {
        const Js = new Float64Array(n * strong.length);
        for (let i = 0; i < n; i++)
          strong.forEach((k, q) => (Js[i * strong.length + q] = J[i * n + k]!));
        const xs = leastSquares(Js, n, strong.length, cur.r);
        if (xs !== null) {
          const st = new Float64Array(n);
          strong.forEach((k, q) => (st[k] = xs[q]! / colScale[k]!));
          steps.push(st);
        }
      }
      let bestNext: { e: number[]; val: NonNullable<ReturnType<typeof evaluate>> } | null = null;
      for (const step of steps) {
        let t = 1;
        const biggest = step.reduce((acc, v) => Math.max(acc, Math.abs(v)), 0);
        if (biggest > 5) t = 5 / biggest;
        for (let k = 0; k < 40; k++, t /= 2) {
          const trial = e.map((v, q) => v + t * step[q]!);
          const next = evaluate(trial);
          if (next !== null && next.norm < cur.norm) {
            if (bestNext === null || next.norm < bestNext.val.norm)
              bestNext = { e: trial, val: next };
            break;
          }
        }
      }
      if (bestNext === null) break;
      e = bestNext.e;
      cur = bestNext.val;
    }
    return { rho: cur.rho, residual: cur.norm / yNorm, iterations: it };
  };
  let best: { rho: Float64Array; residual: number; iterations: number } | null = null;
  let total = 0;
  for (const e0 of starts) {
    const r = solveFrom(e0);
    if (r === null) continue;
    total += r.iterations;
    if (best === null || r.residual < best.residual) best = r;
    if (best.residual <= 1e-15) break;
  }
  return best === null ? null : { ...best, iterations: total };
}

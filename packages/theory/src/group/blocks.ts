import { hermitianEigen } from '@implicit-bias/networks';
import type { ComplexMatrix, Irrep } from '@implicit-bias/networks';

/** A square complex block (d×d, row-major real and imaginary parts). @internal */
export type Block = ComplexMatrix;

const zeros = (d: number): Block => ({
  rows: d,
  cols: d,
  re: new Float64Array(d * d),
  im: new Float64Array(d * d),
});

/** `A B`, or `A^* B` when `adjointA`. @internal */
export function mul(A: Block, B: Block, adjointA = false): Block {
  const d = A.rows;
  const C = zeros(d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const [ar, ai] = adjointA
        ? [A.re[k * d + i]!, -A.im[k * d + i]!]
        : [A.re[i * d + k]!, A.im[i * d + k]!];
      for (let j = 0; j < d; j++) {
        C.re[i * d + j]! += ar * B.re[k * d + j]! - ai * B.im[k * d + j]!;
        C.im[i * d + j]! += ar * B.im[k * d + j]! + ai * B.re[k * d + j]!;
      }
    }
  return C;
}

/** `B B^*`. @internal */
export function gram(B: Block): Block {
  const d = B.rows;
  const Bh: Block = zeros(d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      Bh.re[i * d + j] = B.re[j * d + i]!;
      Bh.im[i * d + j] = -B.im[j * d + i]!;
    }
  return mul(B, Bh);
}

/**
 * `f(A)` for a Hermitian positive semi-definite A by its eigen-decomposition, with `f` applied to
 * each eigenvalue (clamped at 0). @internal
 */
export function hermitianFunction(A: Block, f: (lambda: number) => number): Block {
  const d = A.rows;
  const { values, vre, vim } = hermitianEigen(d, A.re, A.im);
  const C = zeros(d);
  for (let k = 0; k < d; k++) {
    const fk = f(Math.max(0, values[k]!));
    if (fk === 0) continue;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        // V_ik conj(V_jk)
        const [a, b, c, e] = [vre[i * d + k]!, vim[i * d + k]!, vre[j * d + k]!, vim[j * d + k]!];
        C.re[i * d + j]! += fk * (a * c + b * e);
        C.im[i * d + j]! += fk * (b * c - a * e);
      }
  }
  return C;
}

/** Singular values of B (unsorted): `√λ(B B^*)`. @internal */
export function singularValues(B: Block): Float64Array {
  const G = gram(B);
  return hermitianEigen(B.rows, G.re, G.im).values.map((v) => Math.sqrt(Math.max(0, v)));
}

/** `Σ_ρ d_ρ ‖B_ρ‖_{S_p}^p` (p = 1: the weighted nuclear norm). @internal */
export function schattenObjective(
  blocks: readonly Block[],
  reps: readonly Irrep[],
  p: number,
): number {
  let s = 0;
  blocks.forEach((B, k) => {
    for (const sv of singularValues(B)) if (sv > 0) s += reps[k]!.dim * Math.pow(sv, p);
  });
  return s;
}

/**
 * The symmetric n×n matrix of the quadratic form `βᵀQβ = Σ_ρ d_ρ Re tr(β̂(ρ)^* H_ρ β̂(ρ))`:
 * `Q_{gh} = Σ_ρ d_ρ Re tr(ρ(g)^* H_ρ ρ(h))`. @internal
 */
export function quadraticForm(
  reps: readonly Irrep[],
  H: readonly Block[],
  n: number,
): Float64Array {
  const Q = new Float64Array(n * n);
  reps.forEach((r, k) => {
    const d = r.dim;
    const dd = d * d;
    const rho = (g: number): Block => ({
      rows: d,
      cols: d,
      re: r.re.subarray(g * dd, (g + 1) * dd),
      im: r.im.subarray(g * dd, (g + 1) * dd),
    });
    for (let h = 0; h < n; h++) {
      const T = mul(H[k]!, rho(h));
      for (let g = 0; g < n; g++) {
        let s = 0;
        for (let e = 0; e < dd; e++)
          s += r.re[g * dd + e]! * T.re[e]! + r.im[g * dd + e]! * T.im[e]!;
        Q[g * n + h]! += d * s;
      }
    }
  });
  // symmetrize the rounding
  for (let g = 0; g < n; g++)
    for (let h = 0; h < g; h++) {
      const v = (Q[g * n + h]! + Q[h * n + g]!) / 2;
      Q[g * n + h] = v;
      Q[h * n + g] = v;
    }
  return Q;
}

/**
 * The pieces of the Schatten-p stationarity condition at a block B of numerical rank r (singular
 * values above `relTol·σ_max`, σ_max over all blocks): the gradient direction
 * `U Σ^{p−1} V^* = (BB^*)_+^{(p−2)/2} B` and the projectors `P_U = U U^*`, `P_V = V V^*` with
 * `V = B^* U Σ^{−1}`. @internal
 */
export function stationarityPieces(
  B: Block,
  p: number,
  floor: number,
): { G: Block; PU: Block; PV: Block } {
  const BB = gram(B);
  const PU = hermitianFunction(BB, (l) => (Math.sqrt(l) > floor ? 1 : 0));
  const Pow = hermitianFunction(BB, (l) => (Math.sqrt(l) > floor ? Math.pow(l, (p - 2) / 2) : 0));
  const Inv = hermitianFunction(BB, (l) => (Math.sqrt(l) > floor ? 1 / l : 0));
  const G = mul(Pow, B);
  const PV = mul(B, mul(Inv, B), true); // B^* (BB^*)^+ B
  return { G, PU, PV };
}

/** The tangent projection `P_U A + A P_V − P_U A P_V` of the fixed-rank manifold. @internal */
export function tangent(A: Block, PU: Block, PV: Block): Block {
  const UA = mul(PU, A);
  const AV = mul(A, PV);
  const UAV = mul(UA, PV);
  const d = A.rows;
  const C = zeros(d);
  for (let e = 0; e < d * d; e++) {
    C.re[e] = UA.re[e]! + AV.re[e]! - UAV.re[e]!;
    C.im[e] = UA.im[e]! + AV.im[e]! - UAV.im[e]!;
  }
  return C;
}

/** Largest singular value of B. @internal */
export function opNorm(B: Block): number {
  return Math.max(0, ...singularValues(B));
}

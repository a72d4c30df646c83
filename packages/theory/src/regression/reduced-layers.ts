import { ImplicitBiasError } from '@implicit-bias/core';
import type { OdecoMatrix } from '@implicit-bias/networks';

/** `Uᵀv` (length m) for a `k×m` odeco matrix (implicit identity: v itself). */
function project(U: OdecoMatrix, v: Float64Array, m: number): Float64Array {
  if (U.identity === true) return Float64Array.from(v);
  const out = new Float64Array(m);
  for (let a = 0; a < U.rows; a++) {
    const va = v[a]!;
    if (va === 0) continue;
    for (let j = 0; j < m; j++) out[j] = out[j]! + U.data[a * m + j]! * va;
  }
  return out;
}

/** `U u` (length k) for a `k×m` odeco matrix (implicit identity: u itself). */
function lift(U: OdecoMatrix, u: Float64Array, m: number): Float64Array {
  if (U.identity === true) return Float64Array.from(u);
  const out = new Float64Array(U.rows);
  for (let a = 0; a < U.rows; a++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += U.data[a * m + j]! * u[j]!;
    out[a] = s;
  }
  return out;
}

/**
 * The layer signs `s_{l,j} = sign([U_lᵀv_l(0)]_j)` (l < L, row-major `[L−1, m]`) of an odeco
 * initialization, after checking that `init` is one: `|[U_lᵀv_l(0)]_j| = c_j` for every l < L
 * (relative 1e−9), `v_l(0)` in the span of `U_l`, and the last layer zero. Throws `INVALID_CONFIG`
 * (path `init`) otherwise.
 */
export function odecoSigns(
  U: readonly OdecoMatrix[],
  m: number,
  c: Float64Array,
  init: readonly Float64Array[],
): Int8Array {
  const L = U.length;
  const refuse = (why: string): never => {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `is not the odeco initialization of this problem (${why}); the exact reduced flow needs |U_lᵀv_l(0)| = α|η| for l < L and a zero last layer: use init.scheme 'odeco'`,
      { path: 'init' },
    );
  };
  if (init.length !== L) refuse(`${init.length} layers for a depth-${L} network`);
  const last = init[L - 1]!;
  if (last.length !== U[L - 1]!.rows || last.some((v) => v !== 0))
    refuse('the last layer is not 0');
  const signs = new Int8Array((L - 1) * m);
  for (let l = 0; l < L - 1; l++) {
    const v = init[l]!;
    if (v.length !== U[l]!.rows) refuse(`layer ${l} has ${v.length} entries, not ${U[l]!.rows}`);
    const p = project(U[l]!, v, m);
    let vv = 0;
    let pp = 0;
    for (const x of v) vv += x * x;
    for (let j = 0; j < m; j++) {
      const pj = p[j]!;
      pp += pj * pj;
      if (!(Math.abs(Math.abs(pj) - c[j]!) <= 1e-9 * c[j]!))
        refuse(`|[U_${l + 1}ᵀv_${l + 1}(0)]_${j}| = ${Math.abs(pj)}, not α|η_${j}| = ${c[j]}`);
      signs[l * m + j] = pj > 0 ? 1 : -1;
    }
    // orthonormal columns: ‖Uᵀv‖ = ‖v‖ exactly when v lies in their span
    if (!(Math.abs(vv - pp) <= 1e-9 * vv)) refuse(`layer ${l} leaves the span of U_${l + 1}`);
  }
  return signs;
}

/**
 * The full network's layers on the reduced trajectory (docs/theory/q-potential.md): with
 * `T_j = Φ_L^{−1}(…)`, `[U_lᵀv_l]_j = s_{l,j} c_j √(1+T_j²)` for l < L and
 * `[U_Lᵀv_L]_j = (Π_{l<L} s_{l,j}) c_j T_j`, so that `ρ_j = c_j^L h_L(T_j)` and the odeco
 * invariants `[U_lᵀv_l]_j² − [U_Lᵀv_L]_j² = c_j²` hold exactly.
 */
export function odecoLayers(
  U: readonly OdecoMatrix[],
  m: number,
  c: Float64Array,
  signs: Int8Array,
  T: Float64Array,
): Float64Array[] {
  const L = U.length;
  const sigma = new Float64Array(m).fill(1);
  const out: Float64Array[] = [];
  const u = new Float64Array(m);
  for (let l = 0; l < L - 1; l++) {
    for (let j = 0; j < m; j++) {
      const s = signs[l * m + j]!;
      sigma[j] = sigma[j]! * s;
      u[j] = s * c[j]! * Math.hypot(1, T[j]!);
    }
    out.push(lift(U[l]!, u, m));
  }
  for (let j = 0; j < m; j++) u[j] = sigma[j]! * c[j]! * T[j]!;
  out.push(lift(U[L - 1]!, u, m));
  return out;
}

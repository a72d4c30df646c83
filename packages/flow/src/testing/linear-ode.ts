import type { VectorField } from '../vector-field.js';

/**
 * Test fixture: the linear ODE `dv/dt = −A v` with `A = Q·blockdiag(a_k I + b_k J)·Qᵀ`, where
 * `Q = I − 2uuᵀ/‖u‖²` is a Householder reflection and `J` a 2×2 rotation generator, so that
 * `exp(−tA)` is known in closed form (decaying rotations in a rotated basis).
 */
export interface LinearOde {
  readonly field: VectorField;
  /** `exp(−tA)·v0`, the exact solution. */
  exact(v0: Float64Array, t: number): Float64Array;
}

export function linearOde(blocks: readonly (readonly [number, number])[]): LinearOde {
  const dim = 2 * blocks.length;
  const u = Float64Array.from({ length: dim }, (_, i) => 1 + 0.3 * i - 0.05 * i * i);
  const uu = u.reduce((s, x) => s + x * x, 0);
  const q = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < dim; j++) q[i * dim + j] = (i === j ? 1 : 0) - (2 * u[i]! * u[j]!) / uu;
  const applyQ = (v: Float64Array): Float64Array => {
    const out = new Float64Array(dim);
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += q[i * dim + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
  // A in the original basis
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let s = 0;
      blocks.forEach(([ak, bk], k) => {
        const p = 2 * k;
        const m = [
          [ak, -bk],
          [bk, ak],
        ] as const;
        for (let x = 0; x < 2; x++)
          for (let y = 0; y < 2; y++) s += q[i * dim + p + x]! * m[x]![y]! * q[(p + y) * dim + j]!;
      });
      a[i * dim + j] = s;
    }
  }
  const field: VectorField = {
    dim,
    evaluate(y, rows) {
      const out = new Float64Array(rows * dim);
      for (let r = 0; r < rows; r++)
        for (let i = 0; i < dim; i++) {
          let s = 0;
          for (let j = 0; j < dim; j++) s -= a[i * dim + j]! * y[r * dim + j]!;
          out[r * dim + i] = s;
        }
      return out;
    },
  };
  return {
    field,
    exact(v0, t) {
      const w = applyQ(v0);
      const z = new Float64Array(dim);
      blocks.forEach(([ak, bk], k) => {
        const e = Math.exp(-ak * t);
        const c = Math.cos(bk * t);
        const s = Math.sin(bk * t);
        const x = w[2 * k]!;
        const y = w[2 * k + 1]!;
        // exp(−t(aI + bJ)) with J = [[0,−1],[1,0]]: e^{−at}·[[cos bt, sin bt], [−sin bt, cos bt]]
        z[2 * k] = e * (c * x + s * y);
        z[2 * k + 1] = e * (-s * x + c * y);
      });
      return applyQ(z);
    },
  };
}

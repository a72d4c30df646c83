import { checkMemory } from '@implicit-bias/networks';

/**
 * The orthogonal real form of the unitary DFT (`F_{jk} = e^{−2πijk/d}/√d`) used by the Fourier
 * ℓ1 problem: `γ = Rβ` stacks, per frequency group, `Re(Fβ)_0`; for each pair `(k, d−k)` with
 * `0 < k < d/2` the rows `√2·Re(Fβ)_k`, `√2·Im(Fβ)_k`; and `Re(Fβ)_{d/2}` when d is even. Since β is
 * real, `(Fβ)_{d−k} = conj((Fβ)_k)`, so `Σ_k |(Fβ)_k| = Σ_g w_g ‖γ_g‖` with `w = 1` for the one-
 * dimensional groups and `w = √2` for the pairs, and R is orthogonal (`β = Rᵀγ`).
 * @internal
 */
export interface RealFourier {
  /** R, row-major d×d. */
  readonly R: Float64Array;
  /** Groups of rows of R: `[start, size]` with size 1 or 2. */
  readonly groups: readonly (readonly [number, number])[];
  /** Group weights (1 or √2). */
  readonly weights: Float64Array;
}

/**
 * Build {@link RealFourier} for dimension d. The Fourier predictors of convolutional networks
 * hold R and a d×d Hessian, so d beyond the memory budget (networks' `memoryBudget`) is refused
 * with `INVALID_CONFIG` at path `X` (its d columns) before anything is allocated.
 * @internal
 */
export function realFourier(d: number): RealFourier {
  checkMemory({
    bytes: 3 * 8 * d * d,
    path: 'X',
    what: `the Fourier prediction for a convolutional network of d = ${d} features`,
    how: 'three dense d×d float64 matrices: the real Fourier basis, a Hessian and a product',
    fix: 'use fewer features (d)',
  });
  const R = new Float64Array(d * d);
  const groups: [number, number][] = [];
  const weights: number[] = [];
  const s = 1 / Math.sqrt(d);
  let row = 0;
  const put = (k: number, kind: 'cos' | 'sin', scale: number): void => {
    for (let j = 0; j < d; j++) {
      const theta = (2 * Math.PI * ((j * k) % d)) / d;
      R[row * d + j] = kind === 'cos' ? scale * Math.cos(theta) : -scale * Math.sin(theta);
    }
    row++;
  };
  groups.push([row, 1]);
  weights.push(1);
  put(0, 'cos', s);
  for (let k = 1; 2 * k < d; k++) {
    groups.push([row, 2]);
    weights.push(Math.SQRT2);
    put(k, 'cos', Math.SQRT2 * s);
    put(k, 'sin', Math.SQRT2 * s);
  }
  if (d % 2 === 0) {
    groups.push([row, 1]);
    weights.push(1);
    put(d / 2, 'cos', s);
  }
  return { R, groups, weights: Float64Array.from(weights) };
}

import type { HostMatrix } from '@implicit-bias/core';
import { predictRegressionQ, qObjective } from './q-potential.js';
import {
  minNormInterpolant,
  weightedL1Interpolant,
  weightedL2Interpolant,
} from './interpolants.js';
import { HLPrime, HLSecond } from '../scalar/h-l.js';
import { qOptimalityResidual } from '../certificates/residuals.js';
import {
  nullSpace,
  particularSolution,
  randomMatrix,
  randomVector,
  relErr,
} from '../oracles.test.helpers.js';

/**
 * Independent generic solver: primal Newton on ρ = ρ0 + N z (N an orthonormal null-space basis from
 * ml-matrix's SVD) minimizing Q with gradient c^{2−L}H_L' and Hessian c^{2−2L}H_L'' (both checked
 * against finite differences elsewhere), with backtracking on Q.
 */
function primalNewton(
  A: HostMatrix,
  y: Float64Array,
  L: number,
  alpha: number,
  eta: Float64Array,
): Float64Array {
  const N = nullSpace(A);
  const k = N.columns;
  const m = A.cols;
  const c = Array.from(eta, (e) => alpha * Math.abs(e));
  let rho = particularSolution(A, y);
  const Q = (r: Float64Array): number => qObjective(r, L, alpha, eta);
  for (let it = 0; it < 200; it++) {
    const g = rho.map((r, j) => c[j]! ** (2 - L) * HLPrime(L, r / c[j]! ** L));
    const h = rho.map((r, j) => c[j]! ** (2 - 2 * L) * HLSecond(L, r / c[j]! ** L));
    const gz = new Float64Array(k);
    const Hz: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let a = 0; a < k; a++) {
      for (let j = 0; j < m; j++) gz[a]! += N.get(j, a) * g[j]!;
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = 0; j < m; j++) s += N.get(j, a) * h[j]! * N.get(j, b);
        Hz[a]![b] = s;
        Hz[b]![a] = s;
      }
    }
    // solve Hz dz = −gz by Gaussian elimination (small, SPD)
    const M = Hz.map((row, a) => [...row, -gz[a]!]);
    for (let p = 0; p < k; p++)
      for (let r = p + 1; r < k; r++) {
        const f = M[r]![p]! / M[p]![p]!;
        for (let q = p; q <= k; q++) M[r]![q]! -= f * M[p]![q]!;
      }
    const dz = new Float64Array(k);
    for (let p = k - 1; p >= 0; p--) {
      let s = M[p]![k]!;
      for (let q = p + 1; q < k; q++) s -= M[p]![q]! * dz[q]!;
      dz[p] = s / M[p]![p]!;
    }
    const dir = new Float64Array(m);
    for (let j = 0; j < m; j++) for (let a = 0; a < k; a++) dir[j]! += N.get(j, a) * dz[a]!;
    let t = 1;
    const q0 = Q(rho);
    let next = rho.map((r, j) => r + dir[j]!);
    while (Q(next) > q0 && t > 1e-12) {
      t /= 2;
      next = rho.map((r, j) => r + t * dir[j]!);
    }
    const moved = relErr(next, rho);
    rho = next;
    if (moved < 1e-15) break;
  }
  return rho;
}

const n = 3;
const m = 7;
const A = randomMatrix(11, n, m);
const y = randomVector(12, n, -2, 2);
const eta = randomVector(13, m, 0.5, 1.5);

describe('predictRegressionQ', () => {
  test.each([
    [2, 0.5],
    [2, 0.05],
    [3, 0.5],
    [3, 1.3],
    [4, 0.7],
    [5, 0.8],
    [6, 0.1],
    [8, 0.3],
  ])(
    'L=%i, α=%f: equals an independent primal Newton solver in the null space of A',
    (L, alpha) => {
      const pred = predictRegressionQ({ A, y, L, alpha, eta });
      expect(pred.status).toBe('converged');
      const oracle = primalNewton(A, y, L, alpha, eta);
      expect(relErr(pred.rho, oracle)).toBeLessThan(1e-8);
      expect(pred.certificate.interpolationResidual).toBeLessThan(1e-12);
      expect(pred.certificate.stationarityResidual).toBeLessThan(1e-10);
      expect(pred.objective).toBeCloseTo(qObjective(oracle, L, alpha, eta), 10);
    },
  );

  test('L = 1 equals the minimum-norm interpolant Aᵀ(AAᵀ)^{-1}y for every α (closed form)', () => {
    const ref = minNormInterpolant(A, y).beta;
    for (const alpha of [1e-3, 1, 100]) {
      const pred = predictRegressionQ({ A, y, L: 1, alpha, eta });
      expect(relErr(pred.rho, ref)).toBeLessThan(1e-12);
    }
  });

  test.each([2, 3, 4])(
    'L=%i: α → ∞ approaches the weighted-ℓ2 closed form D Aᵀ(ADAᵀ)^{-1}y, D = |η|^{2L−2}',
    (L) => {
      const D = eta.map((e) => Math.abs(e) ** (2 * L - 2));
      const ref = weightedL2Interpolant({ A, y, weights: D }).rho;
      const far = predictRegressionQ({ A, y, L, alpha: 1e3, eta });
      expect(far.status).toBe('converged');
      expect(relErr(far.rho, ref)).toBeLessThan(1e-8);
      const mid = predictRegressionQ({ A, y, L, alpha: 3, eta });
      expect(relErr(mid.rho, ref)).toBeGreaterThan(relErr(far.rho, ref));
    },
  );

  test.each([
    [3, [1e-2, 1e-4, 1e-6]],
    [4, [1e-2, 1e-4, 1e-6]],
    [6, [0.3, 1e-2, 1e-6]],
  ])(
    'L=%i: α → 0 approaches the weighted-ℓ1 LP solution, w = 1/|η|^{L−2} (HiGHS LP)',
    async (L, alphas) => {
      const w = eta.map((e) => 1 / Math.abs(e) ** (L - 2));
      const ref = (await weightedL1Interpolant({ A, y, weights: w })).rho;
      const errs = alphas.map((alpha) => {
        const pred = predictRegressionQ({ A, y, L, alpha, eta });
        expect(pred.status).toBe('converged');
        expect(pred.certificate.interpolationResidual).toBeLessThan(1e-12);
        return relErr(pred.rho, ref);
      });
      // decreasing with α until it reaches rounding level
      expect(errs[1]!).toBeLessThan(errs[0]! + 1e-13);
      expect(errs[2]!).toBeLessThan(errs[1]! + 1e-13);
      expect(errs[0]!).toBeGreaterThan(errs[2]!);
      expect(errs[2]!).toBeLessThan(1e-3);
    },
  );

  test('L = 2: α → 0 approaches plain ℓ1 (logarithmically) and converges at α = 1e-6', async () => {
    const ref = (await weightedL1Interpolant({ A, y })).rho;
    const e1 = relErr(predictRegressionQ({ A, y, L: 2, alpha: 1e-2, eta }).rho, ref);
    const pred = predictRegressionQ({ A, y, L: 2, alpha: 1e-6, eta });
    expect(pred.status).toBe('converged');
    expect(relErr(pred.rho, ref)).toBeLessThan(e1);
    expect(relErr(pred.rho, ref)).toBeLessThan(0.1);
  });

  test.each([2, 3, 4, 6])(
    'L=%i: converges over α = 1e-6 … 1e3 with certificates at rounding level (stationarity: independent qOptimalityResidual)',
    (L) => {
      for (const alpha of [1e-6, 1e-4, 1e-2, 1, 1e3]) {
        const pred = predictRegressionQ({ A, y, L, alpha, eta });
        expect(pred.status).toBe('converged');
        expect(pred.certificate.interpolationResidual).toBeLessThan(1e-12);
        expect(pred.certificate.stationarityResidual).toBeLessThan(1e-12);
      }
    },
  );

  test('stationarity certificate is ≈ 0 at the optimum and clearly non-zero at a perturbed feasible point', () => {
    const pred = predictRegressionQ({ A, y, L: 3, alpha: 0.5, eta });
    expect(pred.certificate.stationarityResidual).toBeLessThan(1e-12);
    const N = nullSpace(A);
    const perturbed = pred.rho.map((r, j) => r + 1e-3 * N.get(j, 0));
    expect(qOptimalityResidual({ A, rho: perturbed, L: 3, alpha: 0.5, eta })).toBeGreaterThan(1e-5);
  });

  test('invalid α and η are rejected naming the field', () => {
    expect(() => predictRegressionQ({ A, y, L: 2, alpha: 0 })).toThrow(/alpha/);
    expect(() => predictRegressionQ({ A, y, L: 2, alpha: 1, eta: new Float64Array(m) })).toThrow(
      /eta/,
    );
    expect(() => predictRegressionQ({ A, y: [1], L: 2, alpha: 1 })).toThrow(/y/);
  });
});

// gaussianRegression({ n: 5, d: 12, seed: 0, sparsity: 3 }) of @implicit-bias/datasets, copied as
// literals (theory may not depend on datasets): y lies in the span of 3 columns, so the α → 0 limit
// (minimum-ℓ1 interpolant) has only 3 < n coordinates at the dual boundary |s_j| = C_L
const sparseA: HostMatrix = {
  rows: 5,
  cols: 12,
  data: Float64Array.from(
    [
      [
        0.2812602432759481, 1.1491602694817646, 2.1834923087990026, -0.6142684591900898,
        0.7177357197434711, 1.1765111519575264, 0.3282653755900288, -0.648578446121388,
        2.3690569916647726, 1.4729002676060299, -1.441922742059297, -0.2604932611407181,
      ],
      [
        -0.46683092731148523, 0.40022618297141754, 1.4226954938509826, 0.9040609888510269,
        0.2868884270709441, -0.7187933040756919, -0.28689479560030223, 1.0932374705063925,
        1.0603788685791897, -0.21885650946357807, 0.5535447513433525, 0.4993374098796253,
      ],
      [
        -0.017645853414688988, -1.7148864428369852, 0.526590776298315, -0.7796798391397818,
        -0.14030231834683957, -0.08898669447153675, -1.1115186769537806, 0.9646404101238057,
        0.6134666565842273, -0.6024193092927916, 0.07880441266356233, 0.48366915870574667,
      ],
      [
        0.6365531730139851, -2.208953715713549, -0.8017454091195142, 0.8093732227915478,
        0.6337220296500248, 0.9563454441163355, 1.7010923494976353, 0.1341235732333333,
        -1.1951132575525971, -0.795957680474859, 0.4196388409398552, -0.38907857340137725,
      ],
      [
        -0.10610048653369093, 0.5771915979704471, 0.7801430304034193, -0.6348913027114952,
        0.1523894160988311, 1.0138847063156795, 0.22838262390380318, 2.039283728269336,
        -1.591317448690893, -0.7658574241293084, -0.0947171333926888, -1.341684028301944,
      ],
    ].flat(),
  ),
};
const sparseY = Float64Array.from([
  1.779833900525782, -0.42875236252034016, 0.007758873357469165, 0.7095188659261218,
  0.5685040227566978,
]);

describe('predictRegressionQ on a sparse target (fewer than n coordinates at the boundary)', () => {
  const ones = new Float64Array(12).fill(1);

  test.each([
    [3, 0.1],
    [3, 0.03],
    [3, 0.01],
    [3, 0.003],
    [4, 0.03],
    [4, 0.01],
  ])('L=%i, α=%f: converges and equals the independent primal Newton solver', (L, alpha) => {
    const pred = predictRegressionQ({ A: sparseA, y: sparseY, L, alpha });
    expect(pred.status).toBe('converged');
    expect(pred.certificate.interpolationResidual).toBeLessThan(1e-10);
    expect(pred.certificate.stationarityResidual).toBeLessThan(1e-10);
    const oracle = primalNewton(sparseA, sparseY, L, alpha, ones);
    expect(relErr(pred.rho, oracle)).toBeLessThan(1e-8);
  });

  test.each([3, 4])(
    'L=%i: converges for α = 1e-6 … 1e3 and approaches the minimum-ℓ1 interpolant',
    async (L) => {
      const l1 = (await weightedL1Interpolant({ A: sparseA, y: sparseY })).rho;
      for (const alpha of [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1, 10, 1e3]) {
        const pred = predictRegressionQ({ A: sparseA, y: sparseY, L, alpha });
        expect(pred.status).toBe('converged');
        expect(pred.certificate.interpolationResidual).toBeLessThan(1e-10);
        expect(pred.certificate.stationarityResidual).toBeLessThan(1e-10);
        if (alpha <= 1e-4) expect(relErr(pred.rho, l1)).toBeLessThan(1e-3);
      }
    },
  );

  test('a result that is not at its certificates is never reported as converged', () => {
    for (const L of [2, 3, 4])
      for (const alpha of [1e-4, 0.01, 1])
        for (const maxIterations of [1, 2, 3, 5, 8]) {
          const pred = predictRegressionQ({ A: sparseA, y: sparseY, L, alpha, maxIterations });
          if (pred.status === 'converged') {
            expect(pred.certificate.interpolationResidual).toBeLessThan(1e-11);
            expect(pred.certificate.stationarityResidual).toBeLessThan(1e-8);
          }
        }
    // L = 2 has no boundary phase to finish a truncated dual solve
    const cut = predictRegressionQ({ A: sparseA, y: sparseY, L: 2, alpha: 0.01, maxIterations: 2 });
    expect(cut.status).not.toBe('converged');
    expect(cut.certificate.interpolationResidual).toBeGreaterThan(1e-6);
  });
});

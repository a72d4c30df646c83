import { key, normal, relativeDistance } from '@implicit-bias/core';
import { groupFourier, groupNetwork } from '@implicit-bias/networks';
import { groupCharacterL1Margin } from './predict-group.js';
import { groupNuclearMargin } from './nuclear-margin.js';
import { groupSchattenMaxMargin } from './schatten-margin.js';
import { basisObjective, realBlockBasis } from './real-basis.js';
import { schattenObjective } from './blocks.js';
import { groupData, polarCutLp, svdNuclear } from './group.test.helpers.js';

describe('real 2×2 nuclear norm = max(‖(a+d, c−b)‖, ‖(a−d, b+c)‖)', () => {
  it('matches the SVD (ml-matrix) on 200 random matrices to 1e−14 relative', () => {
    const z = normal(key(5), 800);
    for (let k = 0; k < 200; k++) {
      const [a, b, c, d] = [z[4 * k]!, z[4 * k + 1]!, z[4 * k + 2]!, z[4 * k + 3]!];
      const formula = Math.max(Math.hypot(a + d, c - b), Math.hypot(a - d, b + c));
      const svd = svdNuclear(2, [a, b, c, d]);
      expect(Math.abs(formula - svd)).toBeLessThanOrEqual(1e-14 * svd);
    }
  });

  it.each([3, 4, 5])('D_%i: the real block basis is orthogonal and gives Σ d_ρ‖β̂(ρ)‖_*', (m) => {
    const net = groupNetwork({ group: { kind: 'dihedral', n: m }, depth: 2 });
    const n = 2 * m;
    const basis = realBlockBasis(net.irreps(), n)!;
    expect(basis).not.toBeNull();
    // R Rᵀ = I (oracle: Schur orthogonality of real orthogonal irreps)
    for (let a = 0; a < n; a++)
      for (let b = 0; b < n; b++) {
        let s = 0;
        for (let g = 0; g < n; g++) s += basis.R[a * n + g]! * basis.R[b * n + g]!;
        expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-12);
      }
    const beta = normal(key(m), n);
    const gamma = Array.from({ length: n }, (_, a) =>
      beta.reduce((s, v, g) => s + basis.R[a * n + g]! * v, 0),
    );
    const blocks = groupFourier(net.group, net.irreps(), beta);
    const viaSvd = blocks.reduce((s, B) => s + B.rows * svdNuclear(B.rows, B.re), 0);
    expect(Math.abs(basisObjective(basis, gamma, 1) - viaSvd)).toBeLessThanOrEqual(1e-12 * viaSvd);
    // and the Schatten-2/3 objective against the Hermitian eigen-solver of blocks.ts
    const s23 = schattenObjective(blocks, net.irreps(), 2 / 3);
    expect(Math.abs(basisObjective(basis, gamma, 2 / 3) - s23)).toBeLessThanOrEqual(1e-12 * s23);
  });
});

describe('groupNuclearMargin: exact L = 2 max margin for D_n (SOCP by cutting planes + Newton)', () => {
  it.each([
    [3, 5, 3],
    [4, 6, 7],
    [5, 7, 2],
    [3, 8, 11],
  ])(
    'D_%i with %i samples (seed %i): duality gap ≤ 1e−10; = the polar-cut LP oracle',
    async (m, s, seed) => {
      const net = groupNetwork({ group: { kind: 'dihedral', n: m }, depth: 2 });
      const d = groupData(2 * m, s, seed);
      const got = await groupNuclearMargin(net, d);
      expect(got.status).toBe('converged');
      expect(got.certificate['dualityGap']).toBeLessThanOrEqual(1e-10);
      expect(got.certificate['primalInfeasibility']).toBeLessThanOrEqual(1e-12);
      // oracle 1: Kelley LP over orthogonal matrices Q with the SVD polar factor as separation
      const lp = await polarCutLp(net, d.X, d.y);
      // (its bounds sandwich the optimum; ours must lie between them, and they are close)
      expect(got.objective).toBeGreaterThanOrEqual(lp.lower * (1 - 1e-12));
      expect(got.objective).toBeLessThanOrEqual(lp.upper * (1 + 1e-12));
      expect((lp.upper - lp.lower) / lp.upper).toBeLessThanOrEqual(1e-7);
      expect(relativeDistance(got.beta, lp.beta)).toBeLessThanOrEqual(1e-4);
      // oracle 2: the IRLS solver agrees in objective to within its own certified gap
      const irls = await groupSchattenMaxMargin({ net, ...d });
      const gap = irls.certificate['dualityGap']!;
      expect(irls.objective).toBeGreaterThanOrEqual(got.objective * (1 - 1e-12));
      expect(irls.objective).toBeLessThanOrEqual(got.objective * (1 + gap + 1e-12));
    },
  );

  it('D_3, one sample δ_g: the objective is |G| (hand solution: ⟨δ_g, β⟩ ≤ Σ d_ρ‖β̂‖_*/|G|)', async () => {
    // β(g) = (1/|G|) Σ_ρ d_ρ tr(ρ(g)ᵀβ̂(ρ)) ≤ (1/|G|) Σ_ρ d_ρ‖β̂(ρ)‖_*, with equality at β = δ_g
    const net = groupNetwork({ group: { kind: 'dihedral', n: 3 }, depth: 2 });
    for (const g of [0, 2, 4]) {
      const x = new Float64Array(6);
      x[g] = 1;
      const got = await groupNuclearMargin(net, { X: { rows: 1, cols: 6, data: x }, y: [1] });
      expect(got.status).toBe('converged');
      expect(Math.abs(got.objective - 6)).toBeLessThanOrEqual(1e-12 * 6);
    }
  });

  it.each([5, 6])(
    'C_%i via the block path = the abelian character-ℓ1 prediction to 1e−10',
    async (m) => {
      const net = groupNetwork({ group: { kind: 'cyclic', n: m }, depth: 2 });
      const d = groupData(m, 3, 17 + m);
      const got = await groupNuclearMargin(net, d);
      const abelian = await groupCharacterL1Margin(net, d);
      expect(got.status).toBe('converged');
      expect(relativeDistance(got.beta, abelian.beta)).toBeLessThanOrEqual(1e-10);
    },
  );

  it('refuses a group with complex 2-dimensional irreps (Q_8 by table): INVALID_CONFIG', async () => {
    // quaternions ±1, ±i, ±j, ±k: its 2-dim irrep is quaternionic (not real)
    const units = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    const qmul = (a: number[], b: number[]): number[] => [
      a[0]! * b[0]! - a[1]! * b[1]! - a[2]! * b[2]! - a[3]! * b[3]!,
      a[0]! * b[1]! + a[1]! * b[0]! + a[2]! * b[3]! - a[3]! * b[2]!,
      a[0]! * b[2]! - a[1]! * b[3]! + a[2]! * b[0]! + a[3]! * b[1]!,
      a[0]! * b[3]! + a[1]! * b[2]! - a[2]! * b[1]! + a[3]! * b[0]!,
    ];
    const el = [...units, ...units.map((u) => u.map((v) => -v))];
    const idx = (q: number[]): number => el.findIndex((e) => e.every((v, i) => v === q[i]));
    const table = el.map((a) => el.map((b) => idx(qmul(a, b))));
    const net = groupNetwork({ group: { kind: 'table', table }, depth: 2 });
    await expect(groupNuclearMargin(net, groupData(8, 3, 1))).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
    });
  });
});

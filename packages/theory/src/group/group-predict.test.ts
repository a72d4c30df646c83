import { norm2, relativeDistance } from '@implicit-bias/core';
import { convolutional, groupFourier, groupNetwork, network } from '@implicit-bias/networks';
import type { GroupNetwork } from '@implicit-bias/networks';
import { predictClassification, predictRegression } from '../network/predict.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { matVec } from '../linalg/dense.js';
import { groupCharacterL1Margin, predictGroupClassification } from './predict-group.js';
import { groupSchattenMaxMargin } from './schatten-margin.js';
import { groupKkt } from './group-kkt.js';
import { schattenObjective } from './blocks.js';
import { groupNuclearMargin } from './nuclear-margin.js';
import { groupStationaryPoint } from './stationary-point.js';
import { groupData, svdSchatten } from './group.test.helpers.js';

/** `Σ_ρ d_ρ ‖b̂(ρ)‖_{S_p}^p` of a point already at min margin 1. */
const schatten = (net: GroupNetwork, b: Float64Array, p: number): number =>
  schattenObjective(groupFourier(net.group, net.irreps(), b), net.irreps(), p);

const beta = (p: object): Float64Array => (p as { beta: Float64Array }).beta;

describe('cyclic group ≡ convolutional kind (predictions)', () => {
  it.each([2, 3])(
    'C_6, L=%i: same β to 1e−12 (oracle: the convolutional prediction)',
    async (L) => {
      const d = groupData(6, 4, 1);
      const g = await predictGroupClassification(
        groupNetwork({ group: { kind: 'cyclic', n: 6 }, depth: L }),
        d,
      );
      const c = await predictClassification(convolutional({ dim: 6, depth: L }), d);
      expect(relativeDistance(beta(g), beta(c))).toBeLessThanOrEqual(1e-12);
    },
  );
});

describe('IRLS solver vs exact abelian solvers (complex 1×1 blocks)', () => {
  it('C_5 L=2: groupSchattenMaxMargin = maxMarginFourierL1 (oracle: cutting-plane SOCP + Newton)', async () => {
    const net = groupNetwork({ group: { kind: 'cyclic', n: 5 }, depth: 2 });
    const d = groupData(5, 3, 11);
    const got = await groupSchattenMaxMargin({ net, ...d });
    const want = await maxMarginFourierL1(d);
    expect(got.status).toBe('converged');
    expect(relativeDistance(got.beta, want.beta)).toBeLessThanOrEqual(1e-3);
  });

  it('C_2×C_3 table L=2: character ℓ1 (exact) = IRLS', async () => {
    const table = Array.from({ length: 6 }, (_, a) =>
      Array.from(
        { length: 6 },
        (_, b) => ((a % 2) ^ (b % 2)) + 2 * ((Math.floor(a / 2) + Math.floor(b / 2)) % 3),
      ),
    );
    const net = groupNetwork({ group: { kind: 'table', table }, depth: 2 });
    const d = groupData(6, 4, 13);
    const exact = await groupCharacterL1Margin(net, d);
    expect(exact.status).toBe('converged');
    const irls = await groupSchattenMaxMargin({ net, ...d });
    expect(irls.status).toBe('converged');
    expect(relativeDistance(irls.beta, exact.beta)).toBeLessThanOrEqual(1e-3);
  });
});

describe('L ≥ 3: Schatten-2/L stationary points with a KKT certificate', () => {
  it.each([
    [4, 3, 5, 21],
    [3, 3, 5, 4],
    [3, 4, 6, 9],
  ])(
    'D_%i, L=%i (%i samples, seed %i): Newton finish certified by groupKkt to 1e−9; descends from the L=2 start',
    async (m, L, s, seed) => {
      const net = groupNetwork({ group: { kind: 'dihedral', n: m }, depth: L });
      const d = groupData(2 * m, s, seed);
      const l2 = await groupNuclearMargin(net, d);
      const got = await groupStationaryPoint({ net, ...d, L });
      expect(got.status).toBe('converged');
      // oracle: groupKkt (complex blocks, Hermitian eigen-decompositions, NNLS multipliers) is
      // independent of the real-block Newton system that produced the point
      expect(groupKkt(net, d.X, d.y, got.beta, 2 / L).residual).toBeLessThanOrEqual(1e-9);
      expect(got.certificate['primalInfeasibility']).toBeLessThanOrEqual(1e-10);
      // objectives by ml-matrix's SVD (the eigenvalues of ββ^* lose rank-1 blocks' σ₂ ~ 1e−8σ₁)
      // (an SVD leaves σ₂ ~ 1e−16σ₁ on rank-1 blocks: an error ~ (1e−16)^p relative)
      const tol = 10 * Math.pow(1e-15, 2 / L);
      expect(got.objective).toBeLessThanOrEqual(svdSchatten(net, l2.beta, 2 / L) * (1 + tol));
      expect(Math.abs(got.objective - svdSchatten(net, got.beta, 2 / L))).toBeLessThanOrEqual(
        tol * got.objective,
      );
      // warm start: Newton from a perturbation of the point returns to it
      const near = Float64Array.from(got.beta, (v, i) => v * (1 + 1e-4 * Math.sin(3 * i + 1)));
      const back = await groupStationaryPoint({ net, ...d, L, start: near });
      expect(back.status).toBe('converged');
      expect(relativeDistance(back.beta, got.beta)).toBeLessThanOrEqual(1e-10);
    },
  );

  it('the KKT certificate rejects a non-stationary point (D_4, L=3)', async () => {
    const net = groupNetwork({ group: { kind: 'dihedral', n: 4 }, depth: 3 });
    const d = groupData(8, 5, 21);
    const got = await groupStationaryPoint({ net, ...d, L: 3 });
    const other = Float64Array.from(
      got.beta,
      (v, i) => v + 0.05 * norm2(got.beta) * Math.sin(i + 1),
    );
    expect(Math.min(...matVec(d.X, other).map((v, i) => v * d.y[i]!))).toBeGreaterThan(0);
    expect(groupKkt(net, d.X, d.y, other, 2 / 3).residual).toBeGreaterThan(1e-3);
    expect(groupFourier(net.group, net.irreps(), got.beta)).toHaveLength(5);
  });

  it('IRLS alone on D_4, L=3 is honest: not converged when its KKT residual stays large', async () => {
    const net = groupNetwork({ group: { kind: 'dihedral', n: 4 }, depth: 3 });
    const d = groupData(8, 5, 21);
    const l2 = await groupNuclearMargin(net, d);
    const irls = await groupSchattenMaxMargin({ net, ...d, L: 3, start: l2.beta });
    expect(irls.objective).toBeLessThanOrEqual(schatten(net, l2.beta, 2 / 3));
    if (irls.certificate['kktResidual']! > 1e-3) expect(irls.status).not.toBe('converged');
  });
});

describe('predictClassification / predictRegression dispatch the group kind', () => {
  it('D_3, L=2: predictClassification = groupNuclearMargin; regression is notSupported', async () => {
    const net = groupNetwork({ group: { kind: 'dihedral', n: 3 }, depth: 2 });
    const d = groupData(6, 4, 5);
    const viaGeneric = await predictClassification(net, d);
    const direct = await groupNuclearMargin(net, d);
    expect(relativeDistance(beta(viaGeneric), direct.beta)).toBe(0);
    expect(predictRegression(net, d, { alpha: 0.1 })).toHaveProperty('notSupported');
  });

  it('C_5, L=2 given as a plain network from its spec: the group prediction', async () => {
    const net = network({ kind: 'group', group: { kind: 'cyclic', n: 5 }, depth: 2 });
    const d = groupData(5, 3, 8);
    const got = await predictClassification(net, d);
    const want = await maxMarginFourierL1(d);
    expect(relativeDistance(beta(got), want.beta)).toBeLessThanOrEqual(1e-10);
  });
});

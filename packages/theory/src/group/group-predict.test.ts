import { key, normal, norm2, relativeDistance } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import { convolutional, groupFourier, groupNetwork } from '@implicit-bias/networks';
import type { GroupNetwork } from '@implicit-bias/networks';
import { predictClassification } from '../network/predict.js';
import { maxMarginFourierL1 } from '../classification/max-margin-fourier-l1.js';
import { solveDense } from '../solvers/highs.js';
import { matVec } from '../linalg/dense.js';
import { groupCharacterL1Margin, predictGroupClassification } from './predict-group.js';
import { groupSchattenMaxMargin } from './schatten-margin.js';
import { groupKkt } from './group-kkt.js';
import { schattenObjective } from './blocks.js';

/** `Σ_ρ d_ρ ‖b̂(ρ)‖_{S_p}^p` of a point already at min margin 1. */
const schatten = (net: GroupNetwork, b: Float64Array, p: number): number =>
  schattenObjective(groupFourier(net.group, net.irreps(), b), net.irreps(), p);

/** Separable data: labels of a random teacher, n samples on G. */
function data(nG: number, n: number, seed: number): { X: HostMatrix; y: Float64Array } {
  const X = normal(key(seed), n * nG);
  const w = normal(key(seed + 1), nG);
  const y = Float64Array.from({ length: n }, (_, i) =>
    X.subarray(i * nG, (i + 1) * nG).reduce((s, v, j) => s + v * w[j]!, 0) >= 0 ? 1 : -1,
  );
  return { X: { rows: n, cols: nG, data: X }, y };
}

const beta = (p: object): Float64Array => (p as { beta: Float64Array }).beta;

describe('cyclic group ≡ convolutional kind (predictions)', () => {
  it.each([2, 3])(
    'C_6, L=%i: same β to 1e−12 (oracle: the convolutional prediction)',
    async (L) => {
      const d = data(6, 4, 1);
      const g = await predictGroupClassification(
        groupNetwork({ group: { kind: 'cyclic', n: 6 }, depth: L }),
        d,
      );
      const c = await predictClassification(convolutional({ dim: 6, depth: L }), d);
      expect(relativeDistance(beta(g), beta(c))).toBeLessThanOrEqual(1e-12);
    },
  );
});

/**
 * Independent oracle for D_n, L = 2: Kelley cutting planes (HiGHS LPs) on a different
 * formulation — for a real 2×2 block [[a, b], [c, e]], ‖·‖_* = max(‖(a+e, c−b)‖, ‖(a−e, b+c)‖).
 */
async function dihedralNuclearLp(
  net: GroupNetwork,
  X: HostMatrix,
  y: ArrayLike<number>,
): Promise<{ objective: number; beta: Float64Array }> {
  const n = net.inputDim;
  const reps = net.irreps();
  // linear maps β ↦ block entries
  const lin = reps.map((r) => {
    const dd = r.dim * r.dim;
    return Array.from({ length: dd }, (_, e) =>
      Float64Array.from({ length: n }, (_, g) => r.re[g * dd + e]!),
    );
  });
  // cones: each a pair of linear forms (u, v) with t_ρ ≥ ‖(u·β, v·β)‖, or one form with t ≥ |u·β|
  const cones: { rep: number; u: Float64Array; v?: Float64Array }[] = [];
  reps.forEach((r, k) => {
    const m = lin[k]!;
    if (r.dim === 1) cones.push({ rep: k, u: m[0]! });
    else {
      const comb = (s: number[]): Float64Array =>
        Float64Array.from({ length: n }, (_, g) => s.reduce((acc, c, e) => acc + c * m[e]![g]!, 0));
      cones.push({ rep: k, u: comb([1, 0, 0, 1]), v: comb([0, -1, 1, 0]) });
      cones.push({ rep: k, u: comb([1, 0, 0, -1]), v: comb([0, 1, 1, 0]) });
    }
  });
  const angles = cones.map((c) =>
    c.v === undefined ? [0, Math.PI] : Array.from({ length: 16 }, (_, a) => (a * Math.PI) / 8),
  );
  const K = reps.length;
  let out = { objective: NaN, beta: new Float64Array(n) };
  for (let it = 0; it < 300; it++) {
    const cuts = angles.reduce((s, a) => s + a.length, 0);
    const numCols = n + K;
    const numRows = X.rows + cuts;
    const rows = new Float64Array(numRows * numCols);
    for (let i = 0; i < X.rows; i++)
      for (let g = 0; g < n; g++) rows[i * numCols + g] = y[i]! * X.data[i * n + g]!;
    let r = X.rows;
    cones.forEach((c, ci) => {
      for (const phi of angles[ci]!) {
        for (let g = 0; g < n; g++)
          rows[r * numCols + g] = -(Math.cos(phi) * c.u[g]! + (c.v ? Math.sin(phi) * c.v[g]! : 0));
        rows[r * numCols + n + c.rep] = 1;
        r++;
      }
    });
    const sol = await solveDense({
      numCols,
      cost: [...new Array<number>(n).fill(0), ...reps.map((rp) => rp.dim)],
      colLower: [...new Array<number>(n).fill(-Infinity), ...new Array<number>(K).fill(0)],
      colUpper: new Float64Array(numCols).fill(Infinity),
      numRows,
      rows,
      rowLower: [...new Array<number>(X.rows).fill(1), ...new Array<number>(cuts).fill(0)],
      rowUpper: new Float64Array(numRows).fill(Infinity),
    });
    const b = sol.x.slice(0, n);
    out = { objective: sol.objective, beta: b };
    let worst = 0;
    cones.forEach((c, ci) => {
      if (c.v === undefined) return;
      const [a, e] = [
        matVec({ rows: 1, cols: n, data: c.u }, b)[0]!,
        matVec({ rows: 1, cols: n, data: c.v }, b)[0]!,
      ];
      const gap = Math.hypot(a, e) - sol.x[n + c.rep]!;
      worst = Math.max(worst, gap / sol.objective);
      if (gap > 1e-13 * sol.objective) angles[ci]!.push(Math.atan2(e, a));
    });
    if (worst <= 1e-11) break;
  }
  return out;
}

describe('D_n, L = 2: nuclear-norm max margin (IRLS + duality gap)', () => {
  it.each([
    [3, 5, 3],
    [4, 6, 7],
  ])(
    'D_%i with %i samples: matches an independent cutting-plane LP (seed %i)',
    async (m, n, seed) => {
      const net = groupNetwork({ group: { kind: 'dihedral', n: m }, depth: 2 });
      const d = data(2 * m, n, seed);
      const got = await groupSchattenMaxMargin({ net, ...d });
      // IRLS reaches the optimum's objective closely but certifies it only to ~1e−4 on some
      // cases (vanishing singular values shrink linearly), so the status may honestly stay
      // 'max-steps'; the independent LP is the oracle here
      expect(got.certificate['dualityGap']).toBeLessThanOrEqual(1e-4);
      const lp = await dihedralNuclearLp(net, d.X, d.y);
      // the LP objective Σ d_ρ t_ρ is a lower bound equal to ours at the optimum: scale both by |G|
      // (our objective uses β̂(ρ) = Σ_g β(g)ρ(g) too, so the two objectives are the same number)
      expect(Math.abs(got.objective - lp.objective) / lp.objective).toBeLessThanOrEqual(1e-5);
      expect(relativeDistance(got.beta, lp.beta)).toBeLessThanOrEqual(1e-2);
    },
  );
});

describe('IRLS solver vs exact abelian solvers (complex 1×1 blocks)', () => {
  it('C_5 L=2: groupSchattenMaxMargin = maxMarginFourierL1 (oracle: cutting-plane SOCP + Newton)', async () => {
    const net = groupNetwork({ group: { kind: 'cyclic', n: 5 }, depth: 2 });
    const d = data(5, 3, 11);
    const got = await groupSchattenMaxMargin({ net, ...d });
    const want = await maxMarginFourierL1(d);
    expect(got.status).toBe('converged');
    expect(relativeDistance(got.beta, want.beta)).toBeLessThanOrEqual(1e-3);
  });

  it('C_2×C_3 table L=2: character ℓ1 (exact) = IRLS; = C_6 up to relabelling', async () => {
    const table = Array.from({ length: 6 }, (_, a) =>
      Array.from(
        { length: 6 },
        (_, b) => ((a % 2) ^ (b % 2)) + 2 * ((Math.floor(a / 2) + Math.floor(b / 2)) % 3),
      ),
    );
    const net = groupNetwork({ group: { kind: 'table', table }, depth: 2 });
    const d = data(6, 4, 13);
    const exact = await groupCharacterL1Margin(net, d);
    expect(exact.status).toBe('converged');
    const irls = await groupSchattenMaxMargin({ net, ...d });
    expect(irls.status).toBe('converged');
    expect(relativeDistance(irls.beta, exact.beta)).toBeLessThanOrEqual(1e-3);
  });
});

describe('L ≥ 3: Schatten-2/L stationary points with a KKT certificate', () => {
  it('D_4, L=3: the reweighting descends from the L=2 start; the KKT certificate rejects a non-stationary point', async () => {
    const net = groupNetwork({ group: { kind: 'dihedral', n: 4 }, depth: 3 });
    const d = data(8, 5, 21);
    const l2 = await groupSchattenMaxMargin({ net, ...d, L: 2 });
    const got = await groupSchattenMaxMargin({ net, ...d, L: 3, start: l2.beta });
    // not yet certified: the reweighting decreases the objective (majorize-minimize) but its KKT
    // residual stays ~5e−2 on this case, so the status is honestly not 'converged' (report #22)
    expect(got.objective).toBeLessThanOrEqual(schatten(net, l2.beta, 2 / 3));
    expect(got.status).not.toBe('converged');
    // the certificate can fail: a generic feasible point is not stationary
    const other = Float64Array.from(
      got.beta,
      (v, i) => v + 0.3 * norm2(got.beta) * Math.sin(i + 1),
    );
    if (Math.min(...matVec(d.X, other).map((v, i) => v * d.y[i]!)) > 0) {
      expect(groupKkt(net, d.X, d.y, other, 2 / 3).residual).toBeGreaterThan(1e-3);
    }
    const blocks = groupFourier(net.group, net.irreps(), got.beta);
    expect(blocks).toHaveLength(5);
  });
});

import { ImplicitBiasError, key, normal } from '@implicit-bias/core';
import { finiteGroup } from './group.js';
import { character, irreps } from './group-irreps.js';
import { groupFourier, groupFourierMatrix, inverseGroupFourier } from './group-fourier.js';
import { hermitianEigen } from './group-hermitian.js';
import { permutationTable, symmetric, testGroups } from './group.fixture.js';

const TOL = 1e-12;

describe.each(testGroups())('$name', ({ spec }) => {
  const G = finiteGroup(spec);
  const n = G.order;
  const R = irreps(G);

  it('irreps are unitary homomorphisms: ρ(g)ρ(h) = ρ(gh), ρ(g)ρ(g)^* = I (oracle: the table)', () => {
    for (const r of R) {
      const d = r.dim;
      const at = (g: number, i: number, j: number): [number, number] => [
        r.re[(g * d + i) * d + j]!,
        r.im[(g * d + i) * d + j]!,
      ];
      for (let g = 0; g < n; g++)
        for (let h = 0; h < n; h++) {
          const gh = G.mul[g * n + h]!;
          for (let i = 0; i < d; i++)
            for (let j = 0; j < d; j++) {
              let sr = 0;
              let si = 0;
              let ur = 0; // (ρ(g)ρ(g)^*)_{ij}
              let ui = 0;
              for (let k = 0; k < d; k++) {
                const [ar, ai] = at(g, i, k);
                const [br, bi] = at(h, k, j);
                sr += ar * br - ai * bi;
                si += ar * bi + ai * br;
                const [cr, ci] = at(g, j, k);
                ur += ar * cr + ai * ci;
                ui += ai * cr - ar * ci;
              }
              const [pr, pi] = at(gh, i, j);
              expect(Math.abs(sr - pr) + Math.abs(si - pi)).toBeLessThanOrEqual(TOL);
              expect(Math.abs(ur - (i === j ? 1 : 0)) + Math.abs(ui)).toBeLessThanOrEqual(TOL);
            }
        }
    }
  });

  it('Σ d_ρ² = |G| and Schur orthogonality (1/|G|)Σ_g ρ_ij(g) conj σ_kl(g) = δ_ρσ δ_ik δ_jl / d_ρ', () => {
    expect(R.reduce((s, r) => s + r.dim * r.dim, 0)).toBe(n);
    R.forEach((r, a) =>
      R.forEach((s, b) => {
        for (let i = 0; i < r.dim; i++)
          for (let j = 0; j < r.dim; j++)
            for (let k = 0; k < s.dim; k++)
              for (let l = 0; l < s.dim; l++) {
                let re = 0;
                let im = 0;
                for (let g = 0; g < n; g++) {
                  const p = (g * r.dim + i) * r.dim + j;
                  const q = (g * s.dim + k) * s.dim + l;
                  re += r.re[p]! * s.re[q]! + r.im[p]! * s.im[q]!;
                  im += r.im[p]! * s.re[q]! - r.re[p]! * s.im[q]!;
                }
                const want = a === b && i === k && j === l ? 1 / r.dim : 0;
                expect(Math.abs(re / n - want) + Math.abs(im / n)).toBeLessThanOrEqual(TOL);
              }
      }),
    );
  });

  it('conjugate marks the irrep with character conj χ (oracle: characters)', () => {
    R.forEach((r) => {
      const [cr, ci] = character(r, n);
      const [dr, di] = character(R[r.conjugate]!, n);
      for (let g = 0; g < n; g++) {
        expect(Math.abs(cr[g]! - dr[g]!) + Math.abs(ci[g]! + di[g]!)).toBeLessThanOrEqual(1e-10);
      }
    });
  });

  it('unitary Fourier matrix √(d_ρ/|G|) ρ(g)_ij: U^*U = UU^* = I to 1e−12', () => {
    const U = groupFourierMatrix(G, R);
    expect([U.rows, U.cols]).toEqual([n, n]);
    for (const side of ['UtU', 'UUt'] as const)
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          let re = 0;
          let im = 0;
          for (let k = 0; k < n; k++) {
            const [p, q] = side === 'UtU' ? [k * n + a, k * n + b] : [a * n + k, b * n + k];
            // side UtU: Σ_k conj U_ka U_kb; side UUt: Σ_k U_ak conj U_bk
            const [xr, xi, yr, yi] =
              side === 'UtU'
                ? [U.re[p]!, -U.im[p]!, U.re[q]!, U.im[q]!]
                : [U.re[p]!, U.im[p]!, U.re[q]!, -U.im[q]!];
            re += xr * yr - xi * yi;
            im += xr * yi + xi * yr;
          }
          expect(Math.abs(re - (a === b ? 1 : 0)) + Math.abs(im)).toBeLessThanOrEqual(TOL);
        }
  });

  it('inverse transform recovers f; convolution theorem (a ∗ b)^ = â b̂ (oracle: the table)', () => {
    const a = normal(key(3), n);
    const b = normal(key(4), n);
    const back = inverseGroupFourier(G, R, groupFourier(G, R, a));
    back.forEach((v, g) => expect(Math.abs(v - a[g]!)).toBeLessThanOrEqual(TOL));
    const conv = new Float64Array(n);
    for (let g = 0; g < n; g++)
      for (let h = 0; h < n; h++) conv[G.mul[g * n + h]!]! += a[g]! * b[h]!;
    const [A, B, C] = [a, b, conv].map((f) => groupFourier(G, R, f));
    C!.forEach((c, k) => {
      const d = c.rows;
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) {
          let re = 0;
          let im = 0;
          for (let m = 0; m < d; m++) {
            const [x, y] = [A![k]!, B![k]!];
            re += x.re[i * d + m]! * y.re[m * d + j]! - x.im[i * d + m]! * y.im[m * d + j]!;
            im += x.re[i * d + m]! * y.im[m * d + j]! + x.im[i * d + m]! * y.re[m * d + j]!;
          }
          expect(
            Math.abs(re - c.re[i * d + j]!) + Math.abs(im - c.im[i * d + j]!),
          ).toBeLessThanOrEqual(1e-11);
        }
    });
  });
});

describe('group structure', () => {
  it('D_n is non-abelian for n ≥ 3 with irreps of dimensions 1 and 2; C_n abelian', () => {
    const D4 = finiteGroup({ kind: 'dihedral', n: 4 });
    expect(D4.abelian).toBe(false);
    expect(irreps(D4).map((r) => r.dim)).toEqual([1, 1, 1, 1, 2]);
    expect(irreps(finiteGroup({ kind: 'dihedral', n: 5 })).map((r) => r.dim)).toEqual([1, 1, 2, 2]);
    expect(finiteGroup({ kind: 'cyclic', n: 6 }).abelian).toBe(true);
  });

  it('numerical irreps of the D_4 table have the closed-form characters (oracle: closed form)', () => {
    const D4 = finiteGroup({ kind: 'dihedral', n: 4 });
    const table = Array.from({ length: 8 }, (_, a) =>
      Array.from(D4.mul.subarray(a * 8, a * 8 + 8)),
    );
    const T = finiteGroup({ kind: 'table', table });
    const round = (v: number): number => Math.round(v * 1e9) / 1e9 + 0;
    const want = irreps(D4).map((r) => Array.from(character(r, 8)[0], round));
    const got = irreps(T).map((r) => Array.from(character(r, 8)[0], round));
    expect(got.map((c) => JSON.stringify(c)).sort()).toEqual(
      want.map((c) => JSON.stringify(c)).sort(),
    );
  });

  it('S_4 has irreps of dimensions 1, 1, 2, 3, 3 (oracle: character table)', () => {
    const T = finiteGroup({ kind: 'table', table: permutationTable(symmetric(4)) });
    expect(
      irreps(T)
        .map((r) => r.dim)
        .sort(),
    ).toEqual([1, 1, 2, 3, 3]);
  });

  it('Hermitian Jacobi: A V = V Λ and V^*V = I (oracle: the definition)', () => {
    const m = 7;
    const z = normal(key(11), 2 * m * m);
    const re = new Float64Array(m * m);
    const im = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        re[i * m + j] = z[i * m + j]! + z[j * m + i]!;
        im[i * m + j] = z[m * m + i * m + j]! - z[m * m + j * m + i]!;
      }
    const { values, vre, vim } = hermitianEigen(m, re, im);
    for (let i = 0; i < m; i++)
      for (let k = 0; k < m; k++) {
        let ar = 0;
        let ai = 0;
        let gr = 0;
        let gi = 0;
        for (let j = 0; j < m; j++) {
          ar += re[i * m + j]! * vre[j * m + k]! - im[i * m + j]! * vim[j * m + k]!;
          ai += re[i * m + j]! * vim[j * m + k]! + im[i * m + j]! * vre[j * m + k]!;
          gr += vre[j * m + i]! * vre[j * m + k]! + vim[j * m + i]! * vim[j * m + k]!;
          gi += vre[j * m + i]! * vim[j * m + k]! - vim[j * m + i]! * vre[j * m + k]!;
        }
        expect(Math.abs(ar - values[k]! * vre[i * m + k]!)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(ai - values[k]! * vim[i * m + k]!)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(gr - (i === k ? 1 : 0)) + Math.abs(gi)).toBeLessThanOrEqual(1e-13);
      }
  });
});

describe('group validation (ImplicitBiasError naming the field)', () => {
  const bad = (table: unknown, path: string, message: RegExp): void => {
    let caught: unknown;
    try {
      finiteGroup({ kind: 'table', table } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ImplicitBiasError);
    expect((caught as ImplicitBiasError).path).toBe(path);
    expect((caught as ImplicitBiasError).message).toMatch(message);
  };
  it('closure, shape, identity, inverses, associativity', () => {
    bad(
      [
        [0, 2],
        [1, 0],
      ],
      'group.table[0][1]',
      /not closed/,
    );
    bad([[0, 1], [1]], 'group.table[1]', /2 indices/);
    bad([], 'group.table', /non-empty/);
    bad(
      [
        [1, 1],
        [1, 1],
      ],
      'group.table',
      /no identity/,
    );
    bad(
      [
        [0, 0],
        [0, 1],
      ],
      'group.table[0]',
      /no inverse/,
    );
    // identity 0, every element its own inverse, but (1·1)·2 = 2 ≠ 1·(1·2) = 1·0 = 1
    bad(
      [
        [0, 1, 2],
        [1, 0, 0],
        [2, 0, 0],
      ],
      'group.table',
      /not associative/,
    );
  });
  it('kind and n', () => {
    expect(() => finiteGroup({ kind: 'cyclic', n: 0 })).toThrow(/group\.n/);
    expect(() => finiteGroup({ kind: 'free' } as never)).toThrow(/group\.kind/);
  });
});

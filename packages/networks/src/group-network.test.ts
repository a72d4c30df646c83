import type { Arr, Backend } from '@implicit-bias/backend';
import { key, normal, split } from '@implicit-bias/core';
import { describeEachBackend } from '@implicit-bias/testing';
import { convolutional } from './convolutional.js';
import { contractDense } from './dense.js';
import { groupFourier } from './group-fourier.js';
import { groupNetwork } from './group-network.js';
import type { GroupNetwork } from './group-network.js';
import { network } from './network.js';
import { testGroups } from './group.fixture.js';

const B = 2;
const N = 3;

const params = (net: GroupNetwork, seed: number): Float64Array[] =>
  split(key(seed), net.depth).map((k, l) => normal(k, net.paramSizes[l]!));

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const nets = testGroups()
  .filter((g) => !g.name.startsWith('S_4'))
  .flatMap(({ name, spec }) =>
    [1, 2, 3].map((L) => ({
      name: `${name} L=${L}`,
      net: groupNetwork({ group: spec, depth: L }),
    })),
  );

describe.each(nets)('$name (host float64)', ({ net }) => {
  const n = net.inputDim;
  it('contractHost = contraction of the dense M(u)[g_1..g_L] = u(g_1⋯g_L), every open slot', () => {
    const u = normal(key(5), n);
    const p = params(net, 6);
    const M = net.dataTensor(u);
    for (let open = -1; open < net.depth; open++) {
      expect(maxDiff(net.contractHost(u, p, open), contractDense(M, p, open))).toBeLessThanOrEqual(
        1e-12,
      );
    }
  });

  it('blocks: β̂(ρ) = v̂_1(ρ)⋯v̂_L(ρ) equals the transform of β (convolution theorem)', () => {
    const p = params(net, 7);
    const { beta, layers } = net.blocks(p);
    expect(layers).toHaveLength(net.depth);
    const direct = groupFourier(net.group, net.irreps(), net.endToEndHost(p));
    direct.forEach((b, k) => {
      expect(maxDiff(beta[k]!.re, b.re)).toBeLessThanOrEqual(1e-12);
      expect(maxDiff(beta[k]!.im, b.im)).toBeLessThanOrEqual(1e-12);
    });
  });
});

describe('cyclic group ≡ convolutional kind (host)', () => {
  it.each([1, 2, 3, 4])('L=%i: dense tensor, β and every contraction agree to 1e−12', (L) => {
    const g = groupNetwork({ group: { kind: 'cyclic', n: 5 }, depth: L });
    const c = convolutional({ dim: 5, depth: L });
    const u = normal(key(8), 5);
    const p = params(g, 9);
    expect(Array.from(g.dataTensor(u).data)).toEqual(Array.from(c.dataTensor(u).data));
    expect(maxDiff(g.endToEndHost(p), c.endToEndHost(p))).toBeLessThanOrEqual(1e-12);
    for (let open = -1; open < L; open++) {
      expect(maxDiff(g.contractHost(u, p, open), c.contractHost(u, p, open))).toBeLessThanOrEqual(
        1e-12,
      );
    }
  });
});

function upload(be: Backend, ps: readonly Float64Array[][]): Arr[] {
  return ps[0]!.map((v, l) => {
    const data = new Float64Array(ps.length * v.length);
    ps.forEach((p, b) => data.set(p[l]!, b * v.length));
    return be.fromHost(data, [ps.length, v.length]);
  });
}

describeEachBackend('group network on a backend', ({ backend, plugin, tol }) => {
  const float64 = plugin.precision === 'float64';
  const cases = [...nets.filter((c) => /^(D_4|S_3|C_5)/.test(c.name))];
  describe.each(cases)('$name', ({ net }) => {
    it('forward, gradient and β on the backend = host contractions (per run)', async () => {
      const be = await backend();
      const n = net.inputDim;
      const ps = [params(net, 11), params(net, 12)];
      const X = normal(key(13), N * n);
      const r = normal(key(14), B * N);
      const P = upload(be, ps);
      const Xa = be.fromHost(X, [N, n]);
      const ra = be.fromHost(r, [B, N]);
      const f = be.toHostSync(net.forward(be, P, Xa));
      const grads = net.gradient(be, P, Xa, ra).map((a) => be.toHostSync(a));
      const beta = be.toHostSync(net.endToEnd(be, P));
      const atol = float64 ? 1e-12 : tol(64).rtol;
      for (let b = 0; b < B; b++) {
        const betaHost = net.endToEndHost(ps[b]!);
        expect(maxDiff(beta.subarray(b * n, (b + 1) * n), betaHost)).toBeLessThanOrEqual(atol);
        const u = new Float64Array(n);
        for (let i = 0; i < N; i++) {
          const x = X.subarray(i * n, (i + 1) * n);
          expect(Math.abs(f[b * N + i]! - net.contractHost(x, ps[b]!, -1)[0]!)).toBeLessThanOrEqual(
            atol * 10,
          );
          for (let j = 0; j < n; j++) u[j]! += r[b * N + i]! * x[j]!;
        }
        for (let l = 0; l < net.depth; l++) {
          const want = net.contractHost(u, ps[b]!, l);
          expect(maxDiff(grads[l]!.subarray(b * n, (b + 1) * n), want)).toBeLessThanOrEqual(
            atol * 10,
          );
        }
      }
    });
  });

  const itFloat64 = float64 ? it : it.skip;
  itFloat64('cyclic group ≡ convolutional kind: forward, gradient, β to 1e−12', async () => {
    const be = await backend();
    for (const L of [1, 2, 3]) {
      const g = groupNetwork({ group: { kind: 'cyclic', n: 4 }, depth: L });
      const c = convolutional({ dim: 4, depth: L });
      const P = upload(be, [params(g, 21), params(g, 22)]);
      const X = be.fromHost(normal(key(23), N * 4), [N, 4]);
      const r = be.fromHost(normal(key(24), B * N), [B, N]);
      const host = (a: Arr): Float64Array => be.toHostSync(a);
      expect(maxDiff(host(g.forward(be, P, X)), host(c.forward(be, P, X)))).toBeLessThanOrEqual(
        1e-12,
      );
      expect(maxDiff(host(g.endToEnd(be, P)), host(c.endToEnd(be, P)))).toBeLessThanOrEqual(1e-12);
      const gg = g.gradient(be, P, X, r);
      const cg = c.gradient(be, P, X, r);
      gg.forEach((a, l) => expect(maxDiff(host(a), host(cg[l]!))).toBeLessThanOrEqual(1e-12));
    }
  });
});

describe('network({ kind: "group" })', () => {
  it('builds from plain data and names bad fields', () => {
    const net = network({ kind: 'group', group: { kind: 'dihedral', n: 3 }, depth: 2 });
    expect(net.inputDim).toBe(6);
    expect(net.paramSizes).toEqual([6, 6]);
    expect(net.spec).toEqual({ kind: 'group', group: { kind: 'dihedral', n: 3 }, depth: 2 });
    expect(() => network({ kind: 'group', group: { kind: 'dihedral', n: 3 }, depth: 0 })).toThrow(
      /^depth/,
    );
    expect(() => network({ kind: 'group', group: { kind: 'x' } as never, depth: 2 })).toThrow(
      /^group\.kind/,
    );
    const od = net.odeco();
    expect('notOdeco' in od && od.notOdeco).toMatch(/non-abelian/);
  });
});

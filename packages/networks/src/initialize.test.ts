import { EPSILON, isImplicitBiasError, key, normal, split } from '@implicit-bias/core';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { initialize } from './initialize.js';
import { layerNormInvariants, odecoInvariants } from './invariants.js';
import type { OdecoDecomposition } from './types.js';

function complexProjection(
  dec: OdecoDecomposition,
  l: number,
  v: Float64Array,
): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0; j < dec.m; j++) {
    let re = 0;
    let im = 0;
    v.forEach((x, a) => {
      if (dec.complex) {
        re += dec.U[l]!.re[a * dec.m + j]! * x;
        im += dec.U[l]!.im[a * dec.m + j]! * x;
      } else re += dec.U[l]!.data[a * dec.m + j]! * x;
    });
    out.push([re, im]);
  }
  return out;
}

describe('initialize', () => {
  const tightly = 64 * EPSILON.float64;

  it('odeco (real): |[U_lᵀv_l]_j| = α|η_j| for l < L, v_L = 0, so β = 0 (docs/theory/q-potential.md)', () => {
    const net = diagonal({ dim: 6, depth: 3 });
    const eta = [0.5, -1, 1.5, 2, -0.25, 1];
    const runs = initialize(net, { scheme: 'odeco', scale: 0.3, shape: eta, seed: 4 }, 3);
    expect(runs).toHaveLength(3);
    const dec = net.odeco();
    if ('notOdeco' in dec) throw new Error('diagonal must be odeco');
    for (const params of runs) {
      for (let l = 0; l < 2; l++) {
        complexProjection(dec, l, params[l]!).forEach(([re], j) =>
          expect(Math.abs(Math.abs(re) - 0.3 * Math.abs(eta[j]!))).toBeLessThanOrEqual(tightly),
        );
      }
      expect(Array.from(params[2]!)).toEqual(new Array<number>(6).fill(0));
      expect(net.endToEndHost(params).every((v) => v === 0)).toBe(true);
      // odeco invariants are exactly |α η_j|² at the start (closed form)
      const inv = odecoInvariants(net, params)!;
      expect(inv).toHaveLength(2 * 6);
      inv.forEach((v, i) =>
        expect(Math.abs(v - (0.3 * eta[i % 6]!) ** 2)).toBeLessThanOrEqual(tightly),
      );
    }
    // runs differ (signs drawn from split keys) but are reproducible
    expect(runs[0]).not.toEqual(runs[1]);
    expect(initialize(net, { scheme: 'odeco', scale: 0.3, shape: eta, seed: 4 }, 3)).toEqual(runs);
  });

  it("odeco (complex, full convolution): real parameters with |[U_lᵀv_l]_j| = α (shape 'ones'), β = 0", () => {
    const net = convolutional({ dim: 5, depth: 3 });
    const dec = net.odeco();
    if ('notOdeco' in dec) throw new Error('full convolution must be odeco');
    const [params] = initialize(net, { scheme: 'odeco', scale: 0.7, shape: 'ones', seed: 1 });
    for (let l = 0; l < 2; l++) {
      for (const [re, im] of complexProjection(dec, l, params![l]!)) {
        expect(Math.abs(Math.hypot(re, im) - 0.7)).toBeLessThanOrEqual(tightly);
      }
    }
    expect(net.endToEndHost(params!).every((v) => v === 0)).toBe(true);
    expect(odecoInvariants(net, params!)).toBeUndefined();
    // an even shape η_j = η_{(d−j) mod d} keeps the parameters real with the stated moduli
    const eta = [1, 2, -3, 3, 2];
    const [even] = initialize(net, { scheme: 'odeco', scale: 0.7, shape: eta, seed: 5 });
    complexProjection(dec, 1, even![1]!).forEach(([re, im], j) =>
      expect(Math.abs(Math.hypot(re, im) - 0.7 * Math.abs(eta[j]!))).toBeLessThanOrEqual(
        4 * tightly,
      ),
    );
  });

  it('gaussian draws scale·N(0,1) from split(split(key(seed), B)[b], L)[l] exactly', () => {
    const net = fullyConnected({ inputDim: 3, hidden: [2, 4] });
    const runs = initialize(net, { scheme: 'gaussian', scale: 0.1, seed: 9 }, 2);
    split(key(9), 2).forEach((runKey, b) => {
      split(runKey, 3).forEach((k, l) => {
        expect(runs[b]![l]).toEqual(normal(k, net.paramSizes[l]!, 0.1));
      });
    });
  });

  it('balanced: every ‖v_l‖ = scale, so layer-norm invariants vanish (closed form)', () => {
    const net = convolutional({ dim: 6, depth: 3, filters: [2, 4] });
    for (const params of initialize(net, { scheme: 'balanced', scale: 2.5, seed: 2 }, 4)) {
      for (const v of params) {
        expect(Math.abs(Math.hypot(...v) - 2.5)).toBeLessThanOrEqual(2.5 * tightly);
      }
      for (const v of layerNormInvariants(params))
        expect(Math.abs(v)).toBeLessThanOrEqual(6.25 * tightly);
    }
  });

  it('explicit copies the given parameters into every run', () => {
    const net = diagonal({ dim: 2, depth: 2 });
    const runs = initialize(
      net,
      {
        scheme: 'explicit',
        params: [
          [1, 2],
          [3, -4],
        ],
      },
      2,
    );
    expect(runs.map((r) => r.map((v) => Array.from(v)))).toEqual([
      [
        [1, 2],
        [3, -4],
      ],
      [
        [1, 2],
        [3, -4],
      ],
    ]);
    runs[0]![0]![0] = 7;
    expect(runs[1]![0]![0]).toBe(1);
  });

  it('layerNormInvariants = ‖v_l‖² − ‖v_L‖² (closed form)', () => {
    const inv = layerNormInvariants([
      Float64Array.of(3, 4),
      Float64Array.of(1),
      Float64Array.of(2, 0, 0),
    ]);
    expect(Array.from(inv)).toEqual([21, -3]);
    expect(layerNormInvariants([Float64Array.of(1)])).toHaveLength(0);
  });

  it.each([
    [
      'explicit with a wrong layer length',
      { scheme: 'explicit', params: [[1, 2], [3]] },
      'SHAPE_MISMATCH',
      'params[1]',
    ],
    [
      'explicit with a wrong layer count',
      { scheme: 'explicit', params: [[1, 2]] },
      'SHAPE_MISMATCH',
      'params',
    ],
    [
      'explicit with NaN',
      {
        scheme: 'explicit',
        params: [
          [1, 2],
          [3, Number.NaN],
        ],
      },
      'NON_FINITE',
      'params[1]',
    ],
    [
      'odeco with a wrong η length',
      { scheme: 'odeco', scale: 1, shape: [1, 2, 3], seed: 0 },
      'SHAPE_MISMATCH',
      'shape',
    ],
    [
      'odeco with η_j = 0',
      { scheme: 'odeco', scale: 1, shape: [1, 0], seed: 0 },
      'INVALID_CONFIG',
      'shape[1]',
    ],
    ['a negative scale', { scheme: 'gaussian', scale: -1, seed: 0 }, 'INVALID_CONFIG', 'scale'],
    ['a bad seed', { scheme: 'balanced', scale: 1, seed: -3 }, 'INVALID_CONFIG', 'seed'],
    ['an unknown scheme', { scheme: 'xavier', scale: 1, seed: 0 }, 'INVALID_CONFIG', 'scheme'],
  ])('rejects %s naming the field', (_, init, code, path) => {
    const net = diagonal({ dim: 2, depth: 2 });
    try {
      initialize(net, init as never);
      throw new Error('expected an error');
    } catch (e) {
      expect(isImplicitBiasError(e, code as never)).toBe(true);
      expect((e as { path?: string }).path).toBe(path);
    }
  });

  it('rejects the odeco scheme on a non-odeco network and asymmetric η on convolution', () => {
    const fc = fullyConnected({ inputDim: 3, hidden: [2] });
    expect(() => initialize(fc, { scheme: 'odeco', scale: 1, shape: 'ones', seed: 0 })).toThrow(
      /^scheme: .*not odeco/,
    );
    const conv = convolutional({ dim: 4, depth: 2 });
    expect(() =>
      initialize(conv, { scheme: 'odeco', scale: 1, shape: [1, 2, 3, 4], seed: 0 }),
    ).toThrow(/^shape\[1\]:/);
    expect(() => initialize(conv, { scheme: 'gaussian', scale: 1, seed: 0 }, 0)).toThrow(/^batch:/);
  });
});

import { key, maxViolation, normal, split, tolerance } from '@implicit-bias/core';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';

const f = (net: ReturnType<typeof diagonal>, x: number[], params: number[][]): number =>
  net.contractHost(
    Float64Array.from(x),
    params.map((p) => Float64Array.from(p)),
    -1,
  )[0]!;

describe('documented conventions (README worked examples, docs/theory/tensor-formulation.md)', () => {
  it('fully-connected: layer 0 is W_1 (touches x), stored as its row-major vec (hand computation)', () => {
    const net = fullyConnected({ inputDim: 2, hidden: [3] });
    expect(net.paramSizes).toEqual([6, 3]);
    // W_1 = [[1, 2, 3], [4, 5, 6]], w_2 = (1, 0, −1), x = (1, 2): xᵀW_1 = (9, 12, 15), f = −6
    const params = [
      [1, 2, 3, 4, 5, 6],
      [1, 0, -1],
    ];
    expect(f(net, [1, 2], params)).toBe(-6);
    expect(Array.from(net.endToEndHost(params.map((p) => Float64Array.from(p))))).toEqual([-2, -2]);
  });

  it('convolutional: cross-correlation (x ⋆ v)_i = Σ_j x_{(i+j) mod d} v_j, β = v_1 ∗ v_2 (hand computation)', () => {
    const net = convolutional({ dim: 4, depth: 2, filters: [2] });
    // x ⋆ (1, −1) = (−1, −1, −1, 3); with v_2 = e_3, f = 3; β = (1, −1, 0, 0) ∗ e_3 = (−1, 0, 0, 1)
    const params = [
      [1, -1],
      [0, 0, 0, 1],
    ];
    expect(f(net, [1, 2, 3, 4], params)).toBe(3);
    expect(Array.from(net.endToEndHost(params.map((p) => Float64Array.from(p))))).toEqual([
      -1, 0, 0, 1,
    ]);
  });

  it('diagonal: f(x) = Σ_j x_j Π_l v_{l,j} (hand computation)', () => {
    const net = diagonal({ dim: 2, depth: 3 });
    expect(
      f(
        net,
        [1, 2],
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ),
    ).toBe(15 + 96);
  });

  it('convolutional f = ((x ⋆ v_1) ⋆ v_2 ⋯ ⋆ v_{L−1})ᵀ v_L layer by layer (definition as oracle)', () => {
    const d = 7;
    const net = convolutional({ dim: d, depth: 4, filters: [3, 7, 2] });
    const keys = split(key(31), 5);
    const x = normal(keys[4]!, d);
    const params = net.paramSizes.map((k, l) => normal(keys[l]!, k));
    let a = Array.from(x);
    for (let l = 0; l < 3; l++) {
      const v = params[l]!;
      a = a.map((_, i) => v.reduce((s, vj, j) => s + a[(i + j) % d]! * vj, 0));
    }
    const want = a.reduce((s, ai, i) => s + ai * params[3]![i]!, 0);
    const got = net.contractHost(x, params, -1)[0]!;
    expect(maxViolation([got], [want], tolerance('float64', 4 * d * d))).toBeLessThanOrEqual(1);
  });
});

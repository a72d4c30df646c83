import { key, maxViolation, normal, relativeDistance, tolerance } from '@implicit-bias/core';
import { allCases, basis, randomParams } from './architectures.fixture.js';
import { contractDense } from './dense.js';

const cases = allCases();

describe.each(cases)('$name (host float64)', ({ net }) => {
  const K = net.paramSizes.reduce((p, k) => p * k, 1);
  const tol = tolerance('float64', 4 * K * net.depth);

  it('dense data tensor = polarization f(e_j; e_{i_1},…,e_{i_L}) (docs/theory/tensor-formulation.md)', () => {
    const idx = new Array<number>(net.depth).fill(0);
    for (let j = 0; j < net.inputDim; j++) {
      const M = net.dataTensor(basis(net.inputDim, j));
      expect(M.shape).toEqual(net.paramSizes);
      const polar = new Float64Array(K);
      for (let flat = 0; flat < K; flat++) {
        const vs = net.paramSizes.map((k, l) => basis(k, idx[l]!));
        polar[flat] = net.endToEndHost(vs)[j]!;
        for (let l = net.depth - 1; l >= 0; l--) {
          idx[l]! += 1;
          if (idx[l]! < net.paramSizes[l]!) break;
          idx[l] = 0;
        }
      }
      expect(Array.from(M.data)).toEqual(Array.from(polar));
    }
  });

  it('structured contractHost = dense data-tensor contraction, every open slot (docs/theory/tensor-formulation.md)', () => {
    const u = normal(key(17), net.inputDim);
    const params = randomParams(net, 5);
    const M = net.dataTensor(u);
    for (let open = -1; open < net.depth; open++) {
      const got = net.contractHost(u, params, open);
      const want = contractDense(M, params, open);
      expect(maxViolation(got, want, tol)).toBeLessThanOrEqual(1);
    }
  });

  it('endToEndHost: uᵀβ = M(u)·(v_1..v_L) (linearity in x, docs/theory/tensor-formulation.md)', () => {
    const u = normal(key(23), net.inputDim);
    const params = randomParams(net, 6);
    const beta = net.endToEndHost(params);
    let f = 0;
    for (let j = 0; j < net.inputDim; j++) f += u[j]! * beta[j]!;
    const want = contractDense(net.dataTensor(u), params, -1)[0]!;
    expect(maxViolation([f], [want], tol)).toBeLessThanOrEqual(1);
  });

  it('contractHost(open = l) = central finite differences of f in v_l (rel ≤ 1e-7)', () => {
    const u = normal(key(29), net.inputDim);
    const params = randomParams(net, 7);
    const h = 1e-3;
    for (let l = 0; l < net.depth; l++) {
      const g = net.contractHost(u, params, l);
      const fd = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) {
        const plus = params.map((p) => Float64Array.from(p));
        const minus = params.map((p) => Float64Array.from(p));
        plus[l]![i]! += h;
        minus[l]![i]! -= h;
        fd[i] = (net.contractHost(u, plus, -1)[0]! - net.contractHost(u, minus, -1)[0]!) / (2 * h);
      }
      expect(relativeDistance(g, fd)).toBeLessThanOrEqual(1e-7);
    }
  });
});

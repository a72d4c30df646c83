import { key, normal, split, tolerance, maxViolation } from '@implicit-bias/core';
import type { HostTensor } from '@implicit-bias/core';
import type { LinearTensorNetwork, OdecoDecomposition } from './types.js';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { tensorNetwork } from './tensor-network.js';
import { randomParams } from './architectures.fixture.js';

/** Complex entry (re, im) of a decomposition matrix. */
function entry(
  dec: OdecoDecomposition,
  which: 'S' | number,
  i: number,
  j: number,
): [number, number] {
  if (dec.complex) {
    const A = which === 'S' ? dec.S : dec.U[which]!;
    return [A.re[i * A.cols + j]!, A.im[i * A.cols + j]!];
  }
  const A = which === 'S' ? dec.S : dec.U[which]!;
  return [A.data[i * A.cols + j]!, 0];
}

function cols(dec: OdecoDecomposition, which: 'S' | number): number {
  return which === 'S' ? dec.S.cols : dec.U[which]!.rows;
}

/** Σ_j [Sx]_j · (U_1[:,j] ⊗ … ⊗ U_L[:,j]) in complex arithmetic: [re, im] of every entry. */
function reconstruct(
  dec: OdecoDecomposition,
  x: Float64Array,
  shape: readonly number[],
): [Float64Array, Float64Array] {
  const K = shape.reduce((p, k) => p * k, 1);
  const re = new Float64Array(K);
  const im = new Float64Array(K);
  const L = shape.length;
  for (let j = 0; j < dec.m; j++) {
    let sr = 0;
    let si = 0;
    for (let s = 0; s < x.length; s++) {
      const [a, b] = entry(dec, 'S', j, s);
      sr += a * x[s]!;
      si += b * x[s]!;
    }
    const idx = new Array<number>(L).fill(0);
    for (let flat = 0; flat < K; flat++) {
      let pr = sr;
      let pi = si;
      for (let l = 0; l < L; l++) {
        const [a, b] = entry(dec, l, idx[l]!, j);
        [pr, pi] = [pr * a - pi * b, pr * b + pi * a];
      }
      re[flat]! += pr;
      im[flat]! += pi;
      for (let l = L - 1; l >= 0; l--) {
        idx[l]! += 1;
        if (idx[l]! < shape[l]!) break;
        idx[l] = 0;
      }
    }
  }
  return [re, im];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function superdiagonalTensors(d: number, k: number, L: number, seed: number): HostTensor[] {
  const A = normal(key(seed), k * d);
  let stride = 0;
  for (let l = 0, p = 1; l < L; l++, p *= k) stride += p;
  return Array.from({ length: d }, (_, j) => {
    const data = new Float64Array(Math.pow(k, L));
    for (let i = 0; i < k; i++) data[i * stride] = A[i * d + j]!;
    return { shape: new Array<number>(L).fill(k), data };
  });
}

const odecoCases: { name: string; net: LinearTensorNetwork; complex: boolean }[] = [];
for (let L = 1; L <= 4; L++) {
  odecoCases.push({
    name: `diagonal d=5 L=${L}`,
    net: diagonal({ dim: 5, depth: L }),
    complex: false,
  });
  for (const d of [4, 5]) {
    odecoCases.push({
      name: `full-filter convolution d=${d} L=${L}`,
      net: convolutional({ dim: d, depth: L }),
      complex: L > 1,
    });
  }
}
odecoCases.push({
  name: 'fully-connected L=1 (linear model)',
  net: fullyConnected({ inputDim: 4, hidden: [] }),
  complex: false,
});
odecoCases.push({
  name: 'fully-connected d=1 L=2',
  net: fullyConnected({ inputDim: 1, hidden: [3] }),
  complex: false,
});
odecoCases.push({
  name: 'tensor L=1 (any A)',
  net: tensorNetwork({
    dataTensors: superdiagonalTensors(3, 4, 1, 8).map((t, j) => ({
      shape: t.shape,
      data: normal(key(40 + j), 4),
    })),
  }),
  complex: false,
});
odecoCases.push({
  name: 'superdiagonal tensor L=3',
  net: tensorNetwork({ dataTensors: superdiagonalTensors(3, 4, 3, 9) }),
  complex: false,
});

describe.each(odecoCases)('odeco: $name', ({ net, complex }) => {
  const dec = net.odeco();
  if ('notOdeco' in dec) throw new Error(`expected odeco, got ${dec.notOdeco}`);

  it('reports the stated kind (docs/theory/odeco.md table)', () => {
    expect(dec.complex).toBe(complex);
    expect(dec.U).toHaveLength(net.depth);
  });

  it('reconstructs the dense data tensor M(x) to ≤ 1e-12 (oracle: dataTensor)', () => {
    for (const [i, k] of split(key(3), 3).entries()) {
      const x = normal(k, net.inputDim, 1 + i);
      const M = net.dataTensor(x);
      const [re, im] = reconstruct(dec, x, M.shape);
      expect(maxAbsDiff(re, M.data)).toBeLessThanOrEqual(1e-12);
      expect(maxAbsDiff(im, new Float64Array(im.length))).toBeLessThanOrEqual(1e-12);
    }
  });

  it('U_l has orthonormal columns: U_lᴴU_l = I (closed form)', () => {
    for (let l = 0; l < net.depth; l++) {
      for (let a = 0; a < dec.m; a++) {
        for (let b = 0; b < dec.m; b++) {
          let re = 0;
          let im = 0;
          for (let i = 0; i < cols(dec, l); i++) {
            const [ar, ai] = entry(dec, l, i, a);
            const [br, bi] = entry(dec, l, i, b);
            re += ar * br + ai * bi;
            im += ar * bi - ai * br;
          }
          expect(Math.abs(re - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-14);
          expect(Math.abs(im)).toBeLessThanOrEqual(1e-14);
        }
      }
    }
  });

  it('β = Sᵀρ with ρ = ⊙_l U_lᵀv_l (plain transpose) equals endToEndHost (docs/theory/odeco.md)', () => {
    const params = randomParams(net, 12);
    const rho: [number, number][] = [];
    for (let j = 0; j < dec.m; j++) {
      let pr = 1;
      let pi = 0;
      for (let l = 0; l < net.depth; l++) {
        let zr = 0;
        let zi = 0;
        params[l]!.forEach((v, i) => {
          const [a, b] = entry(dec, l, i, j);
          zr += a * v;
          zi += b * v;
        });
        [pr, pi] = [pr * zr - pi * zi, pr * zi + pi * zr];
      }
      rho.push([pr, pi]);
    }
    const beta = net.endToEndHost(params);
    const re = new Float64Array(net.inputDim);
    const im = new Float64Array(net.inputDim);
    for (let s = 0; s < net.inputDim; s++) {
      for (let j = 0; j < dec.m; j++) {
        const [a, b] = entry(dec, 'S', j, s);
        re[s]! += a * rho[j]![0] - b * rho[j]![1];
        im[s]! += a * rho[j]![1] + b * rho[j]![0];
      }
    }
    const tol = tolerance('float64', 64 * dec.m * net.depth);
    expect(maxViolation(re, beta, tol)).toBeLessThanOrEqual(1);
    expect(maxAbsDiff(im, new Float64Array(im.length))).toBeLessThanOrEqual(tol.atol);
  });
});

describe('not odeco (docs/theory/odeco.md table)', () => {
  it.each([
    ['fully-connected d=3 L=2', fullyConnected({ inputDim: 3, hidden: [2] }), /fully-connected/],
    ['fully-connected d=2 L=3', fullyConnected({ inputDim: 2, hidden: [2, 2] }), /fully-connected/],
    [
      'small-filter convolution',
      convolutional({ dim: 6, depth: 3, filters: [6, 3] }),
      /filters\[1\] = 3 < dim = 6/,
    ],
    [
      'general user tensor',
      tensorNetwork({ dataTensors: [{ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) }] }),
      /general data tensor/,
    ],
    [
      'rectangular user tensor',
      tensorNetwork({ dataTensors: [{ shape: [2, 3], data: new Float64Array(6) }] }),
      /general data tensor/,
    ],
  ])('%s reports notOdeco with a reason', (_, net, reason) => {
    const dec = net.odeco();
    expect('notOdeco' in dec).toBe(true);
    if ('notOdeco' in dec) expect(dec.notOdeco).toMatch(reason);
  });
});

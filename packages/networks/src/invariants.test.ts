import { key, normal, tolerance, maxViolation } from '@implicit-bias/core';
import { allCases, randomParams } from './architectures.fixture.js';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { layerNormInvariants, odecoInvariants } from './invariants.js';
import { tensorNetwork } from './tensor-network.js';
import type { LinearTensorNetwork } from './types.js';

/** params + s·g, layer by layer. */
const along = (p: readonly Float64Array[], g: readonly Float64Array[], s: number): Float64Array[] =>
  p.map((v, l) => v.map((x, i) => x + s * g[l]![i]!));

/** The gradient-flow field −∇𝓛 = M(u)·(v_{−l}) for a fixed u (docs/theory/tensor-formulation.md). */
const field = (
  net: LinearTensorNetwork,
  u: Float64Array,
  p: readonly Float64Array[],
): Float64Array[] => p.map((_, l) => net.contractHost(u, p, l));

/** Central difference along the field; exact up to rounding for quadratic invariants. */
function driftRate(
  inv: (p: readonly Float64Array[]) => Float64Array,
  p: readonly Float64Array[],
  g: readonly Float64Array[],
): Float64Array {
  const h = 1e-3;
  const plus = inv(along(p, g, h));
  const minus = inv(along(p, g, -h));
  return plus.map((v, i) => (v - minus[i]!) / (2 * h));
}

describe('invariants (docs/theory/tensor-formulation.md)', () => {
  it.each(allCases())(
    '$name: ‖v_l‖² − ‖v_L‖² has zero rate along the flow field (Euler identity)',
    ({ net }) => {
      const u = normal(key(51), net.inputDim);
      const p = randomParams(net, 52);
      const rate = driftRate(layerNormInvariants, p, field(net, u, p));
      const scale = Math.abs(net.contractHost(u, p, -1)[0]!) + 1;
      for (const r of rate) expect(Math.abs(r)).toBeLessThanOrEqual(1e-9 * scale);
    },
  );

  it.each([
    ['diagonal L=3', diagonal({ dim: 5, depth: 3 })],
    ['diagonal L=2', diagonal({ dim: 3, depth: 2 })],
    ['fully-connected d=1 L=2', fullyConnected({ inputDim: 1, hidden: [3] })],
    [
      'superdiagonal tensor L=2',
      tensorNetwork({
        dataTensors: [
          { shape: [2, 2], data: Float64Array.of(1, 0, 0, 2) },
          { shape: [2, 2], data: Float64Array.of(-1, 0, 0, 3) },
          { shape: [2, 2], data: Float64Array.of(0.5, 0, 0, 0) },
        ],
      }),
    ],
  ])('%s: |[U_lᵀv_l]_j|² − |[U_Lᵀv_L]_j|² has zero rate along the flow field', (_, net) => {
    const u = normal(key(61), net.inputDim);
    const p = randomParams(net, 62);
    const inv = (q: readonly Float64Array[]) => odecoInvariants(net, q)!;
    expect(inv(p).length).toBe((net.depth - 1) * (net.odeco() as { m: number }).m);
    for (const r of driftRate(inv, p, field(net, u, p)))
      expect(Math.abs(r)).toBeLessThanOrEqual(1e-9);
    // while a generic direction changes them (the check can fail)
    const generic = p.map((v, l) => normal(key(70 + l), v.length));
    expect(Math.max(...driftRate(inv, p, generic).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('diagonal odeco invariants are v_{l,j}² − v_{L,j}² (closed form)', () => {
    const net = diagonal({ dim: 2, depth: 3 });
    const p = [Float64Array.of(1, 2), Float64Array.of(3, -1), Float64Array.of(0.5, 4)];
    const got = odecoInvariants(net, p)!;
    expect(maxViolation(got, [0.75, -12, 8.75, -15], tolerance('float64', 4))).toBeLessThanOrEqual(
      1,
    );
  });

  it('odecoInvariants is undefined for complex odeco and non-odeco networks', () => {
    const conv = convolutional({ dim: 4, depth: 2 });
    expect(odecoInvariants(conv, randomParams(conv, 1))).toBeUndefined();
    const fc = fullyConnected({ inputDim: 2, hidden: [2] });
    expect(odecoInvariants(fc, randomParams(fc, 1))).toBeUndefined();
  });
});

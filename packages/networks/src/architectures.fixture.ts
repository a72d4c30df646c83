// Shared test fixtures (not exported from the package): every architecture at small sizes.
import { key, normal, split } from '@implicit-bias/core';
import type { HostTensor } from '@implicit-bias/core';
import type { LinearTensorNetwork } from './types.js';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { tensorNetwork } from './tensor-network.js';
import { groupNetwork } from './group-network.js';

/** A named network for table-driven tests. */
export interface Case {
  readonly name: string;
  readonly net: LinearTensorNetwork;
}

function randomTensors(d: number, shape: readonly number[], seed: number): HostTensor[] {
  const size = shape.reduce((p, k) => p * k, 1);
  return split(key(seed), d).map((k) => ({ shape: [...shape], data: normal(k, size) }));
}

/** Every architecture, including small- and full-filter convolution, for L ∈ {1, 2, 3, 4}, and group networks. */
export function allCases(): Case[] {
  const cases: Case[] = [];
  const hidden = [[], [3], [2, 3], [2, 2, 3]];
  for (let L = 1; L <= 4; L++) {
    cases.push({
      name: `fully-connected L=${L}`,
      net: fullyConnected({ inputDim: 3, hidden: hidden[L - 1]! }),
    });
    cases.push({ name: `diagonal L=${L}`, net: diagonal({ dim: 4, depth: L }) });
    cases.push({
      name: `full-filter convolution L=${L}`,
      net: convolutional({ dim: 4, depth: L }),
    });
  }
  cases.push({
    name: 'small-filter convolution L=2',
    net: convolutional({ dim: 5, depth: 2, filters: [2] }),
  });
  cases.push({
    name: 'small-filter convolution L=3',
    net: convolutional({ dim: 5, depth: 3, filters: [3, 2] }),
  });
  cases.push({
    name: 'small-filter convolution L=4',
    net: convolutional({ dim: 4, depth: 4, filters: [1, 3, 2] }),
  });
  // group-equivariant: non-abelian (D_3, |G| = 6) and a non-cyclic abelian table (C_2 × C_2)
  cases.push({
    name: 'group D_3 L=2',
    net: groupNetwork({ group: { kind: 'dihedral', n: 3 }, depth: 2 }),
  });
  cases.push({
    name: 'group D_3 L=3',
    net: groupNetwork({ group: { kind: 'dihedral', n: 3 }, depth: 3 }),
  });
  cases.push({
    name: 'group C_2×C_2 table L=2',
    net: groupNetwork({
      group: {
        kind: 'table',
        table: [
          [0, 1, 2, 3],
          [1, 0, 3, 2],
          [2, 3, 0, 1],
          [3, 2, 1, 0],
        ],
      },
      depth: 2,
    }),
  });
  cases.push({ name: 'tensor L=1', net: tensorNetwork({ dataTensors: randomTensors(3, [4], 1) }) });
  cases.push({
    name: 'tensor L=2',
    net: tensorNetwork({ dataTensors: randomTensors(3, [2, 4], 2) }),
  });
  cases.push({
    name: 'tensor L=3',
    net: tensorNetwork({ dataTensors: randomTensors(4, [2, 3, 2], 3) }),
  });
  cases.push({
    name: 'tensor L=4',
    net: tensorNetwork({ dataTensors: randomTensors(2, [2, 1, 3, 2], 4) }),
  });
  return cases;
}

/** Random float64 parameters for one run. */
export function randomParams(net: LinearTensorNetwork, seed: number): Float64Array[] {
  const keys = split(key(seed), net.depth);
  return net.paramSizes.map((k, l) => normal(keys[l]!, k));
}

/** The i-th standard basis vector of length n. */
export function basis(n: number, i: number): Float64Array {
  const e = new Float64Array(n);
  e[i] = 1;
  return e;
}

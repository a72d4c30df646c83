import type { Arr, Backend } from '@implicit-bias/backend';
import { isImplicitBiasError } from '@implicit-bias/core';
import type { ErrorCode } from '@implicit-bias/core';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { network } from './network.js';
import { tensorNetwork } from './tensor-network.js';
import type { NetworkSpec } from './types.js';

function expectError(fn: () => unknown, code: ErrorCode, path: string): void {
  try {
    fn();
  } catch (e) {
    expect(isImplicitBiasError(e, code)).toBe(true);
    expect((e as { path?: string }).path).toBe(path);
    expect((e as Error).message.startsWith(`${path}: `)).toBe(true);
    return;
  }
  throw new Error(`expected ${code} at ${path}`);
}

const arr = (...shape: number[]): Arr => ({ shape });
/** Validation runs before any backend op, so no backend is needed to reach it. */
const noBackend = null as unknown as Backend;

describe('bad input raises ImplicitBiasError naming the field', () => {
  it('specs', () => {
    expectError(
      () => convolutional({ dim: 4, depth: 3, filters: [2, 5] }),
      'INVALID_CONFIG',
      'filters[1]',
    );
    expectError(
      () => convolutional({ dim: 4, depth: 3, filters: [2] }),
      'INVALID_CONFIG',
      'filters',
    );
    expectError(
      () => convolutional({ dim: 4, depth: 2, filters: [0] }),
      'INVALID_CONFIG',
      'filters[0]',
    );
    expectError(() => diagonal({ dim: 3, depth: 0 }), 'INVALID_CONFIG', 'depth');
    expectError(() => diagonal({ dim: 2.5, depth: 2 }), 'INVALID_CONFIG', 'dim');
    expectError(() => convolutional({ dim: 3, depth: -1 }), 'INVALID_CONFIG', 'depth');
    expectError(() => fullyConnected({ inputDim: 0, hidden: [] }), 'INVALID_CONFIG', 'inputDim');
    expectError(
      () => fullyConnected({ inputDim: 3, hidden: [2, 0] }),
      'INVALID_CONFIG',
      'hidden[1]',
    );
    expectError(() => tensorNetwork({ dataTensors: [] }), 'INVALID_CONFIG', 'dataTensors');
    expectError(
      () =>
        tensorNetwork({
          dataTensors: [
            { shape: [2, 2], data: new Float64Array(4) },
            { shape: [2, 3], data: new Float64Array(6) },
          ],
        }),
      'SHAPE_MISMATCH',
      'dataTensors[1].shape',
    );
    expectError(
      () => tensorNetwork({ dataTensors: [{ shape: [2, 2], data: new Float64Array(3) }] }),
      'SHAPE_MISMATCH',
      'dataTensors[0].data',
    );
    expectError(
      () => tensorNetwork({ dataTensors: [{ shape: [2], data: Float64Array.of(1, Number.NaN) }] }),
      'NON_FINITE',
      'dataTensors[0].data',
    );
  });

  it('plain-data specs through network() (e.g. parsed JSON)', () => {
    expectError(
      () => network(JSON.parse('{"kind":"dense","dim":3}') as NetworkSpec),
      'INVALID_CONFIG',
      'kind',
    );
    expectError(
      () => network(JSON.parse('{"kind":"diagonal","dim":3,"depth":"2"}') as NetworkSpec),
      'INVALID_CONFIG',
      'depth',
    );
    expectError(
      () => network(JSON.parse('{"kind":"fully-connected","inputDim":3}') as NetworkSpec),
      'INVALID_CONFIG',
      'hidden',
    );
    expectError(() => network(null as unknown as NetworkSpec), 'INVALID_CONFIG', 'spec');
    const fromJson = network(
      JSON.parse(
        '{"kind":"tensor","dataTensors":[{"shape":[2],"data":[1,0]},{"shape":[2],"data":[0,1]}]}',
      ) as NetworkSpec,
    );
    expect(fromJson.paramSizes).toEqual([2]);
    expect(Array.from(fromJson.endToEndHost([Float64Array.of(3, 4)]))).toEqual([3, 4]);
    const conv = network({ kind: 'convolutional', dim: 5, depth: 3, filters: [2, 3] });
    expect(conv.paramSizes).toEqual([2, 3, 5]);
    expect(network(conv.spec).spec).toEqual(conv.spec);
  });

  it('host parameters and inputs', () => {
    const net = convolutional({ dim: 4, depth: 3, filters: [2, 3] });
    const ok = [new Float64Array(2), new Float64Array(3), new Float64Array(4)];
    const x = new Float64Array(4);
    expectError(() => net.endToEndHost(ok.slice(0, 2)), 'SHAPE_MISMATCH', 'params');
    expectError(
      () => net.endToEndHost([ok[0]!, new Float64Array(4), ok[2]!]),
      'SHAPE_MISMATCH',
      'params[1]',
    );
    expectError(
      () => net.endToEndHost([ok[0]!, ok[1]!, Float64Array.of(0, 0, Infinity, 0)]),
      'NON_FINITE',
      'params[2]',
    );
    expectError(() => net.dataTensor(new Float64Array(3)), 'SHAPE_MISMATCH', 'x');
    expectError(() => net.dataTensor(Float64Array.of(0, Number.NaN, 0, 0)), 'NON_FINITE', 'x');
    expectError(() => net.contractHost(x, ok, 3), 'INVALID_CONFIG', 'open');
    expectError(() => net.contractHost(new Float64Array(5), ok, 0), 'SHAPE_MISMATCH', 'u');
    const huge = fullyConnected({ inputDim: 64, hidden: [64, 64] }); // K = 4096² · 64 = 2^30
    expectError(() => huge.dataTensor(new Float64Array(64)), 'INVALID_CONFIG', 'paramSizes');
    const zeros = huge.paramSizes.map((k) => new Float64Array(k));
    expect(huge.contractHost(new Float64Array(64), zeros, 1)).toHaveLength(4096); // never dense
  });

  it('backend parameter, data and residual shapes', () => {
    const net = fullyConnected({ inputDim: 3, hidden: [2] });
    const params = [arr(4, 6), arr(4, 2)];
    expectError(() => net.forward(noBackend, [arr(4, 6)], arr(5, 3)), 'SHAPE_MISMATCH', 'params');
    expectError(
      () => net.forward(noBackend, [arr(4, 6), arr(3, 2)], arr(5, 3)),
      'SHAPE_MISMATCH',
      'params[1]',
    );
    expectError(
      () => net.forward(noBackend, [arr(4, 5), arr(4, 2)], arr(5, 3)),
      'SHAPE_MISMATCH',
      'params[0]',
    );
    expectError(
      () => net.forward(noBackend, [arr(24), arr(4, 2)], arr(5, 3)),
      'SHAPE_MISMATCH',
      'params[0]',
    );
    expectError(() => net.forward(noBackend, params, arr(5, 4)), 'SHAPE_MISMATCH', 'X');
    expectError(() => net.forward(noBackend, params, arr(2, 5, 3)), 'SHAPE_MISMATCH', 'X');
    expectError(() => net.gradient(noBackend, params, arr(5, 3), arr(4, 6)), 'SHAPE_MISMATCH', 'r');
    expectError(
      () => net.endToEnd(noBackend, [arr(4, 6), arr(4, 3)]),
      'SHAPE_MISMATCH',
      'params[1]',
    );
  });
});

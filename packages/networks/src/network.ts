import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostTensor } from '@implicit-bias/core';
import type { LinearTensorNetwork, NetworkSpec } from './types.js';
import { convolutional } from './convolutional.js';
import { diagonal } from './diagonal.js';
import { fullyConnected } from './fully-connected.js';
import { tensorNetwork } from './tensor-network.js';
import { groupNetwork } from './group-network.js';
import type { GroupSpec } from './group.js';

const KINDS = ['fully-connected', 'diagonal', 'convolutional', 'group', 'tensor'] as const;

/**
 * Build a network from a plain-data spec (for example parsed from JSON), validating every field;
 * errors name the field (`'kind'`, `'depth'`, `'filters[1]'`, `'dataTensors[2].shape'`, …).
 *
 * @param spec a {@link NetworkSpec}
 * @param options.memoryBudget bytes a training run may use (default: `memoryBudget()`); larger
 *   networks are refused before any allocation
 */
export function network(
  spec: NetworkSpec,
  options: { readonly memoryBudget?: number } = {},
): LinearTensorNetwork {
  const budget = options.memoryBudget !== undefined ? { memoryBudget: options.memoryBudget } : {};
  if (typeof spec !== 'object' || spec === null) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'a network spec must be an object', {
      path: 'spec',
    });
  }
  const raw = spec as unknown as Record<string, unknown>;
  switch (raw['kind']) {
    case 'fully-connected':
      return fullyConnected({
        inputDim: raw['inputDim'] as number,
        hidden: raw['hidden'] as readonly number[],
        ...budget,
      });
    case 'diagonal':
      return diagonal({ dim: raw['dim'] as number, depth: raw['depth'] as number, ...budget });
    case 'convolutional': {
      const filters = raw['filters'] as readonly number[] | undefined;
      return convolutional({
        dim: raw['dim'] as number,
        depth: raw['depth'] as number,
        ...(filters !== undefined ? { filters } : {}),
        ...budget,
      });
    }
    case 'group':
      return groupNetwork({
        group: raw['group'] as GroupSpec,
        depth: raw['depth'] as number,
        ...budget,
      });
    case 'tensor':
      return tensorNetwork({
        dataTensors: raw['dataTensors'] as readonly HostTensor[],
        ...budget,
      });
    default:
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `must be one of ${KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(raw['kind']) ?? 'undefined'}`,
        { path: 'kind' },
      );
  }
}

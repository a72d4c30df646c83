import { isImplicitBiasError } from '@implicit-bias/core';
import { parseRunConfig } from './run-config.js';
import { prepareRun } from './resolve.js';

const config = (network: unknown): Record<string, unknown> => ({
  task: 'classification',
  data: {
    generator: 'separable-classification',
    seed: 0,
    n: 6,
    d: 6,
    separator: 'dense',
    margin: 0.1,
  },
  network,
  init: { scheme: 'gaussian', scale: 0.1, seed: 0 },
  loss: 'exponential',
  flow: { method: 'dopri5', until: { margin: 10 } },
});

function errorOf(cfg: unknown): { path: string | undefined; message: string } {
  try {
    parseRunConfig(cfg);
  } catch (e) {
    if (!isImplicitBiasError(e, 'INVALID_CONFIG')) throw e;
    return { path: e.path, message: e.message };
  }
  throw new Error('expected INVALID_CONFIG');
}

describe("run config: network { kind: 'group' }", () => {
  it.each([
    { kind: 'cyclic', n: 6 },
    { kind: 'dihedral', n: 3 },
    {
      kind: 'table',
      table: [
        [0, 1],
        [1, 0],
      ],
    },
  ])('accepts %j and builds the group network', async (group) => {
    const cfg = config({ kind: 'group', depth: 2, group });
    expect(parseRunConfig(cfg).network).toEqual({ kind: 'group', depth: 2, group });
    if (group.kind !== 'table') {
      const run = await prepareRun(cfg);
      expect(run.network.spec).toEqual({ kind: 'group', group, depth: 2 });
      expect(run.network.inputDim).toBe(6);
    }
  });

  it.each([
    [{ kind: 'group', depth: 2 }, 'network.group', 'group must be'],
    [
      { kind: 'group', depth: 0, group: { kind: 'cyclic', n: 6 } },
      'network.depth',
      'depth must be ≥ 1',
    ],
    [
      { kind: 'group', depth: 2, group: { kind: 'dihedral', n: 1.5 } },
      'network.group.n',
      'group.n must be an integer',
    ],
    [
      { kind: 'group', depth: 2, group: { kind: 'icosahedral' } },
      'network.group.kind',
      "group must be { kind: 'cyclic'",
    ],
    [
      { kind: 'group', depth: 2, group: { kind: 'table', table: 3 } },
      'network.group.table',
      'group.table must be an array',
    ],
    [{ kind: 'groups', depth: 2 }, 'network.kind', "'group'"],
  ])('%j: INVALID_CONFIG at %s', (network, path, text) => {
    const e = errorOf(config(network));
    expect(e.path).toBe(path);
    expect(e.message).toContain(text);
  });

  it('the data must be functions on the group: d ≠ |G| is a SHAPE_MISMATCH naming network.group', async () => {
    const cfg = config({ kind: 'group', depth: 2, group: { kind: 'dihedral', n: 4 } });
    await expect(prepareRun(cfg)).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
      path: 'network.group',
    });
  });
});

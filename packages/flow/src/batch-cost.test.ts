import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal } from '@implicit-bias/core';
import {
  convolutional,
  diagonal,
  fullyConnected,
  initialize,
  layerNormInvariants,
  odecoInvariants,
  packedInvariants,
  tensorNetwork,
  type LinearTensorNetwork,
} from '@implicit-bias/networks';
import { solveFlow } from './solve-flow.js';

// The per-row cost of a batch (docs/adr/0009-resumable-flow-run.md): the engine's per-run work
// at every step (drift check, saving) must not change what it reports.
const be = createCpuBackend();

describe('packedInvariants', () => {
  const superdiagonal = tensorNetwork({
    dataTensors: [
      { shape: [2, 2], data: Float64Array.of(1, 0, 0, 2) },
      { shape: [2, 2], data: Float64Array.of(-1, 0, 0, 3) },
      { shape: [2, 2], data: Float64Array.of(0.5, 0, 0, 0) },
    ],
  });
  it.each([
    ['diagonal L=3', diagonal({ dim: 5, depth: 3 })],
    ['fully-connected d=1 L=2 (dense U)', fullyConnected({ inputDim: 1, hidden: [3] })],
    ['superdiagonal tensor L=2', superdiagonal],
    ['fully-connected L=3 (not odeco)', fullyConnected({ inputDim: 4, hidden: [3, 2] })],
    ['convolutional (complex odeco)', convolutional({ dim: 6, depth: 2 })],
  ])('%s: equal bit for bit to layerNormInvariants / odecoInvariants', (_, net) => {
    // oracle: the allocating per-layer functions, on each row of a packed batch
    const offsets = [0];
    for (const k of net.paramSizes) offsets.push(offsets[offsets.length - 1]! + k);
    const dim = offsets[net.depth]!;
    const rows = 3;
    const y = normal(key(90), rows * dim);
    const inv = packedInvariants(net, offsets);
    const layer = new Float64Array(inv.layerCount);
    const odeco = inv.odecoCount === undefined ? undefined : new Float64Array(inv.odecoCount);
    for (let r = 0; r < rows; r++) {
      const layers = net.paramSizes.map((_, l) =>
        y.slice(r * dim + offsets[l]!, r * dim + offsets[l + 1]!),
      );
      inv.evaluate(y, r * dim, layer, odeco);
      expect(Array.from(layer)).toEqual(Array.from(layerNormInvariants(layers)));
      const want = odecoInvariants(net, layers);
      expect(odeco === undefined).toBe(want === undefined);
      if (odeco !== undefined) expect(Array.from(odeco)).toEqual(Array.from(want!));
    }
  });

  it('refuses offsets that do not match the layer sizes', () => {
    expect(() => packedInvariants(diagonal({ dim: 3, depth: 2 }), [0, 3, 5])).toThrow(
      /offsets \[0, 3, 5\] do not match the layer sizes \[3, 3\]/,
    );
  });
});

describe('saving with count ≤ 2', () => {
  /** A network that counts its end-to-end products (one per snapshot). */
  function counting(net: LinearTensorNetwork): { net: LinearTensorNetwork; calls: () => number } {
    let calls = 0;
    const counted = Object.create(net) as LinearTensorNetwork;
    Object.defineProperty(counted, 'endToEndHost', {
      value: (p: readonly Float64Array[]) => {
        calls += 1;
        return net.endToEndHost(p);
      },
    });
    return { net: counted, calls: () => calls };
  }

  it('takes no snapshot that the schedule drops at once (the start and the end only)', async () => {
    const n = 6;
    const d = 4;
    const base = diagonal({ dim: d, depth: 2 });
    const X = Array.from({ length: n }, (_, i) => Array.from(normal(key(100 + i), d)));
    const y = Array.from(normal(key(99), n));
    const init = initialize(base, { scheme: 'gaussian', scale: 0.3, seed: 5 }, 2);
    const opts = { method: 'gd' as const, stepSize: 1e-2, until: { steps: 30 } };
    const { net, calls } = counting(base);
    const two = await solveFlow(
      { network: net, X, y, loss: 'squared', init, backend: be },
      { ...opts, save: { count: 2 } },
    );
    // before: a snapshot at every step, dropped by the same save (30 per run)
    expect(calls()).toBe(2 * 2);
    two.saved.forEach((saved, r) => {
      expect(saved.map((s) => s.time)).toEqual([0, two.runs[r]!.time]);
      expect(two.runs[r]!.steps).toBe(30);
    });
    // the kept snapshots are those of the full schedule's (count 3 keeps the start as well)
    const three = await solveFlow(
      { network: base, X, y, loss: 'squared', init, backend: be },
      { ...opts, save: { count: 3 } },
    );
    two.saved.forEach((saved, r) => {
      const full = three.saved[r]!;
      expect(saved[0]).toEqual(full[0]);
      expect(saved[1]).toEqual(full[full.length - 1]);
    });
  });
});

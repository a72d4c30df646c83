import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import { diagonal, fullyConnected, type LinearTensorNetwork } from '@implicit-bias/networks';
import type { LossName } from './losses.js';
import { networkField, type DataSet, type TimeScale } from './network-field.js';
import { evaluateObservedOf, observationRows } from './observed-evaluate.js';

// Oracle: the field's own evaluate and observe of the same rows; evaluateObserved must return
// both bit for bit (the same products, rounded the same way), NaN rows included.
const be = createCpuBackend();
const bits = (a: Float64Array): string[] =>
  Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

function data(n: number, d: number, loss: LossName, seed: number): DataSet {
  const [kx, ky] = split(key(seed), 2);
  const yr = normal(ky!, n);
  const labels = loss === 'squared' ? yr : yr.map((v) => (v >= 0 ? 1 : -1));
  return { X: be.fromHost(normal(kx!, n * d), [n, d]), y: be.fromHost(labels, [n]), labels };
}

describe('evaluateObserved', () => {
  const nets: [string, LinearTensorNetwork][] = [
    ['diagonal L=2', diagonal({ dim: 12, depth: 2 })],
    ['diagonal L=3', diagonal({ dim: 12, depth: 3 })],
    ['fully-connected', fullyConnected({ inputDim: 12, hidden: [5] })],
  ];
  const cases: [LossName, TimeScale][] = [
    ['squared', 'physical'],
    ['squared', 'loss-normalized'],
    ['logistic', 'physical'],
    ['logistic', 'loss-normalized'],
    ['exponential', 'loss-normalized'],
  ];
  for (const [name, network] of nets) {
    it.each(cases)(`${name}: %s loss, %s time: evaluate and observe bit for bit`, (loss, time) => {
      const sets = [data(7, 12, loss, 1), data(7, 12, loss, 2)];
      for (const perRun of [false, true]) {
        const field = networkField({
          network,
          backend: be,
          ...sets[0]!,
          loss,
          time,
          ...(perRun ? { perRun: sets } : {}),
        });
        const byProduct = evaluateObservedOf(field)!;
        expect(byProduct).toBeDefined();
        const rows = 4;
        const y = normal(key(5), rows * field.dim).map((v) => 0.5 * v);
        y[field.dim + 3] = Number.NaN; // row 1 is not finite
        const runs = perRun ? [1, 0, 1, 0] : undefined;
        const obs = observationRows(rows);
        const f = byProduct(y, rows, runs, obs);
        expect(bits(f)).toEqual(bits(field.evaluate(y, rows, runs)));
        const want = field.observe(y, rows, runs);
        expect(bits(obs.loss)).toEqual(bits(want.loss));
        expect(bits(obs.logLoss)).toEqual(bits(want.logLoss));
        expect(bits(obs.margin)).toEqual(bits(want.margin));
        expect(Number.isNaN(obs.loss[1]!)).toBe(true);
        field.dispose();
      }
    });
  }
});

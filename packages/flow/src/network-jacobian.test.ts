import { createCpuBackend } from '@implicit-bias/backend-cpu';
import { key, normal, split } from '@implicit-bias/core';
import {
  convolutional,
  diagonal,
  fullyConnected,
  initialize,
  type LinearTensorNetwork,
} from '@implicit-bias/networks';
import { centralDifferenceJacobian } from './jacobian.js';
import type { LossName } from './losses.js';
import { networkField, type TimeScale } from './network-field.js';

const be = createCpuBackend();
const n = 4;

function setup(net: LinearTensorNetwork, loss: LossName, time: TimeScale, scale: number) {
  const d = net.inputDim;
  const [kx, ky] = split(key(11), 2);
  const X = normal(kx!, n * d);
  const yr = normal(ky!, n);
  const labels = loss === 'squared' ? yr : yr.map((v) => (v >= 0 ? 1 : -1));
  const field = networkField({
    network: net,
    backend: be,
    X: be.fromHost(X, [n, d]),
    y: be.fromHost(labels, [n]),
    labels,
    loss,
    time,
  });
  const init = initialize(net, { scheme: 'gaussian', scale, seed: 4 }, 2);
  const state = new Float64Array(2 * field.dim);
  init.forEach((run, b) => {
    let off = b * field.dim;
    for (const v of run) {
      state.set(v, off);
      off += v.length;
    }
  });
  return { field, state };
}

describe('exact Jacobian of the flow field against central differences (finite-difference oracle)', () => {
  const nets: [string, LinearTensorNetwork][] = [
    ['diagonal L=1', diagonal({ dim: 3, depth: 1 })],
    ['diagonal L=2', diagonal({ dim: 3, depth: 2 })],
    ['diagonal L=3', diagonal({ dim: 3, depth: 3 })],
    ['fully connected 3-2-2', fullyConnected({ inputDim: 3, hidden: [2, 2] })],
    ['convolutional d=4 L=2', convolutional({ dim: 4, depth: 2, filters: [2] })],
  ];
  const cases: [LossName, TimeScale][] = [
    ['squared', 'physical'],
    ['exponential', 'physical'],
    ['exponential', 'loss-normalized'],
    ['logistic', 'physical'],
    ['logistic', 'loss-normalized'],
  ];
  for (const [name, net] of nets) {
    it.each(cases)(`${name}: %s loss, %s time`, (loss, time) => {
      const { field, state } = setup(net, loss, time, 0.8);
      const exact = field.jacobian!(state, 2);
      const fd = centralDifferenceJacobian(field, state, 2);
      let scale = 0;
      for (const v of exact) scale = Math.max(scale, Math.abs(v));
      let worst = 0;
      exact.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - fd[i]!))));
      expect(worst).toBeLessThan(1e-7 * Math.max(1, scale));
    });
  }
});

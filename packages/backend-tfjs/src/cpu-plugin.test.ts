import * as tf from '@tensorflow/tfjs-core';
import { tfjsCpuPlugin } from './index.js';

// Oracle: the plug-in contract in @implicit-bias/backend (plain value, probe never throws).

tf.env().set('IS_TEST', true);

describe('tfjsCpuPlugin', () => {
  it('is a plain value with the documented id, precision and priority', () => {
    expect(tfjsCpuPlugin).toMatchObject({ id: 'tfjs-cpu', precision: 'float32', priority: 10 });
  });
  it('probes ok here and creates a float32 backend on the tfjs cpu kernels', async () => {
    await expect(tfjsCpuPlugin.probe()).resolves.toEqual({ ok: true });
    const be = await tfjsCpuPlugin.create();
    expect(be.id).toBe('tfjs-cpu');
    expect(be.precision).toBe('float32');
    const x = be.fromHost([1, 2, 3], [3]);
    expect(Array.from(be.toHostSync(be.sum(x, 0)))).toEqual([6]);
    expect(tf.getBackend()).toBe('cpu');
    await be.close();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { key, maxViolation, normal, tolerance } from '@implicit-bias/core';
import type { Backend } from '@implicit-bias/backend';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { createWasmPlugin, wasmPlugin } from './index.js';

// Oracles: the plug-in contract of @implicit-bias/backend, and float64 host loops on the
// float32-rounded inputs for the numerical checks of the wasm kernels.

tf.env().set('IS_TEST', true);

const f32 = (x: ArrayLike<number>): Float64Array => Float64Array.from(x, (v) => Math.fround(v));

describe('wasmPlugin', () => {
  let be: Backend;
  beforeAll(async () => {
    be = await wasmPlugin.create();
  });
  afterAll(async () => {
    await be.close();
  });

  it('is a plain value with the documented id, precision and priority', () => {
    expect(wasmPlugin).toMatchObject({ id: 'wasm', precision: 'float32', priority: 20 });
    expect(be.id).toBe('wasm');
    expect(be.precision).toBe('float32');
  });

  it('probes ok in Node, loading the .wasm files from the package', async () => {
    await expect(wasmPlugin.probe()).resolves.toEqual({ ok: true });
  });

  it('batched matmul matches float64 loops', () => {
    const [B, m, k, n] = [3, 4, 6, 2];
    const a = f32(normal(key(1), B * m * k));
    const w = f32(normal(key(2), k * n));
    const got = be.toHostSync(be.matmul(be.fromHost(a, [B, m, k]), be.fromHost(w, [k, n])));
    const want = new Float64Array(B * m * n);
    for (let r = 0; r < B * m; r++)
      for (let j = 0; j < n; j++)
        for (let q = 0; q < k; q++) want[r * n + j]! += a[r * k + q]! * w[q * n + j]!;
    expect(maxViolation(got, want, tolerance('float32', 2 * k))).toBeLessThanOrEqual(1);
  });

  it('circularCorrelate and a stable logSumExp match float64 loops', () => {
    const d = 8;
    const a = f32(normal(key(3), 2 * d, 40));
    const b = f32(normal(key(4), d));
    const c = be.toHostSync(be.circularCorrelate(be.fromHost(a, [2, d]), be.fromHost(b, [d])));
    const lse = be.toHostSync(be.logSumExp(be.fromHost(a, [2, d]), -1));
    for (let r = 0; r < 2; r++) {
      const want = new Float64Array(d);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) want[i]! += a[r * d + ((i + j) % d)]! * b[j]!;
      const row = c.slice(r * d, r * d + d);
      expect(maxViolation(row, want, tolerance('float32', 2 * d))).toBeLessThanOrEqual(1);
      const xs = Array.from(a.slice(r * d, r * d + d));
      const mx = Math.max(...xs);
      const l = mx + Math.log(xs.reduce((s, x) => s + Math.exp(x - mx), 0));
      expect(maxViolation([lse[r]!], [l], tolerance('float32', 16))).toBeLessThanOrEqual(1);
    }
  });

  it('runs side by side with a tfjs-cpu backend in one process', async () => {
    const cpu = await tfjsCpuPlugin.create();
    const x = be.fromHost([1, 2, 3], [3]);
    const y = cpu.fromHost([4, 5, 6], [3]);
    expect(Array.from(be.toHostSync(be.mul(x, x)))).toEqual([1, 4, 9]);
    expect(Array.from(cpu.toHostSync(cpu.mul(y, y)))).toEqual([16, 25, 36]);
    expect(Array.from(be.toHostSync(be.add(x, x)))).toEqual([2, 4, 6]);
    expect(() => be.add(x, y)).toThrow(/not created by this wasm backend/);
    await cpu.close();
    expect(Array.from(be.toHostSync(x))).toEqual([1, 2, 3]);
  });
});

describe('probe explains what is missing', () => {
  it('without WebAssembly', async () => {
    const g = globalThis as { WebAssembly?: unknown };
    const saved = g.WebAssembly;
    delete g.WebAssembly;
    try {
      const r = await createWasmPlugin().probe();
      expect(r).toEqual({
        ok: false,
        reason: expect.stringMatching(/WebAssembly is not available/),
      });
      await expect(createWasmPlugin().create()).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
      });
    } finally {
      g.WebAssembly = saved;
    }
  });
  it('without @tensorflow/tfjs-backend-wasm', async () => {
    jest.resetModules();
    jest.doMock('@tensorflow/tfjs-backend-wasm', () => {
      throw new Error("Cannot find module '@tensorflow/tfjs-backend-wasm'");
    });
    try {
      const fresh = await import('./index.js');
      const r = await fresh.wasmPlugin.probe();
      expect(r).toEqual({
        ok: false,
        reason: expect.stringMatching(
          /npm install @tensorflow\/tfjs-core @tensorflow\/tfjs-backend-wasm/,
        ),
      });
      await expect(fresh.wasmPlugin.create()).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
      });
    } finally {
      jest.dontMock('@tensorflow/tfjs-backend-wasm');
    }
  });
});

import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from './index.js';
it('smoke', async () => {
  const p = await wasmPlugin.probe();
  expect(p).toEqual({ ok: true });
  const be = await wasmPlugin.create();
  const cpu = await tfjsCpuPlugin.create();
  const a = be.fromHost([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = be.fromHost([1, 0, 0, 1, 1, 1], [3, 2]);
  const c = cpu.fromHost([1, 0, 0, 1, 1, 1], [3, 2]);
  expect(Array.from(be.toHostSync(be.matmul(a, b)))).toEqual([4, 5, 10, 11]);
  expect(Array.from(cpu.toHostSync(cpu.add(c, c)))).toEqual([2, 0, 0, 2, 2, 2]);
  expect(Array.from(be.toHostSync(be.add(b, b)))).toEqual([2, 0, 0, 2, 2, 2]);
  expect(() => be.add(b, c)).toThrow(/not created by this wasm/);
  await be.close();
});

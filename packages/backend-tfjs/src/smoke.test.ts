import { tfjsCpuPlugin } from './index.js';
it('smoke', async () => {
  expect(await tfjsCpuPlugin.probe()).toEqual({ ok: true });
  const be = await tfjsCpuPlugin.create();
  const a = be.fromHost([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = be.fromHost([1, 0, 0, 1, 1, 1], [3, 2]);
  expect(Array.from(be.toHostSync(be.matmul(a, b)))).toEqual([4, 5, 10, 11]);
  const x = be.fromHost([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
  expect(be.matmul(x, b).shape).toEqual([2, 2, 2]);
  expect(be.matmul(b, x, { transposeA: true, transposeB: true }).shape).toEqual([2, 2, 2]);
  expect(be.matmul(a, x, { transposeB: true }).shape).toEqual([2, 2, 2]);
  const y = be.scope(() => ({ k: [be.add(a, a)] }));
  expect(Array.from(await be.toHost(y.k[0]!))).toEqual([2, 4, 6, 8, 10, 12]);
  await be.close();
});

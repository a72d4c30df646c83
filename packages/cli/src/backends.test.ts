import { availableParallelism } from 'node:os';
import { main } from './main.js';
import { captureIo } from './test-io.js';

describe('implicit-bias backends', () => {
  it('lists cpu (float64), tfjs-cpu and wasm available; webgl and cuda unavailable with reasons', async () => {
    const io = captureIo();
    expect(await main(['backends', '--json'], io)).toBe(0);
    const rows = JSON.parse(io.out()) as {
      id: string;
      available: boolean;
      precision?: string;
      reason?: string;
    }[];
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by['cpu']).toMatchObject({ available: true, precision: 'float64' });
    expect(by['tfjs-cpu']).toMatchObject({ available: true, precision: 'float32' });
    expect(by['wasm']).toMatchObject({ available: true, precision: 'float32' });
    expect(by['webgl']!.available).toBe(false);
    expect(by['webgl']!.reason).toMatch(/browsers/);
    expect(by['cuda']!.available).toBe(false);
    expect(by['cuda']!.reason).toMatch(/tfjs-node-gpu/);
    expect(by['tensorflow']!.available).toBe(false);
    expect(by['tensorflow']!.reason).toMatch(/tfjs-node/);
  });

  it('reports which kernels the cpu backend runs (WebAssembly SIMD here; js when asked)', async () => {
    const io = captureIo();
    expect(await main(['backends', '--json'], io)).toBe(0);
    const cpu = (JSON.parse(io.out()) as { id: string; kernels?: unknown }[]).find(
      (r) => r.id === 'cpu',
    );
    // Node 20 has WebAssembly SIMD; batched gradients take up to 4 threads
    expect(cpu?.kernels).toEqual({
      path: 'wasm-simd',
      threads: Math.min(4, availableParallelism()),
    });
    const saved = process.env['IMPLICIT_BIAS_CPU_KERNELS'];
    const savedThreads = process.env['IMPLICIT_BIAS_CPU_THREADS'];
    process.env['IMPLICIT_BIAS_CPU_THREADS'] = '1';
    try {
      const one = captureIo();
      expect(await main(['backends'], one)).toBe(0);
      expect(one.out()).toMatch(
        /^cpu kernels: wasm-simd \(float64 WebAssembly SIMD; 1 thread for batched runs\)$/m,
      );
      process.env['IMPLICIT_BIAS_CPU_KERNELS'] = 'js';
      const t = captureIo();
      expect(await main(['backends'], t)).toBe(0);
      expect(t.out()).toMatch(/^cpu kernels: js \(IMPLICIT_BIAS_CPU_KERNELS=js\)$/m);
    } finally {
      if (saved === undefined) delete process.env['IMPLICIT_BIAS_CPU_KERNELS'];
      else process.env['IMPLICIT_BIAS_CPU_KERNELS'] = saved;
      if (savedThreads === undefined) delete process.env['IMPLICIT_BIAS_CPU_THREADS'];
      else process.env['IMPLICIT_BIAS_CPU_THREADS'] = savedThreads;
    }
  });

  it('prints a table by default', async () => {
    const io = captureIo();
    expect(await main(['backends'], io)).toBe(0);
    expect(io.out().split('\n')[0]).toMatch(/^id\s+available\s+precision\s+priority\s+reason$/);
  });

  it('an unknown command exits with 2 and says how to get help', async () => {
    const io = captureIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toMatch(/unknown command 'frobnicate'/);
  });
});

import { discoverBackends, selectBackend } from '@implicit-bias/backend';
import { cpuPlugin } from '@implicit-bias/backend-cpu';
import { cudaPlugin, tensorflowPlugin } from '@implicit-bias/backend-cuda';
import { tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import { wasmPlugin } from '@implicit-bias/backend-wasm';

// Real discovery (dynamic import from @implicit-bias/backend's location) in this workspace, where
// every plug-in package this package depends on is installed and built.
describe('discoverBackends finds the installed plug-in packages (real imports)', () => {
  it('returns the very plug-in values those packages export', async () => {
    const found = await discoverBackends({
      ids: ['cpu', 'tfjs-cpu', 'wasm', 'tensorflow', 'cuda'],
    });
    expect(found.missing).toEqual([]);
    expect(found.plugins).toEqual([
      cpuPlugin,
      tfjsCpuPlugin,
      wasmPlugin,
      tensorflowPlugin,
      cudaPlugin,
    ]);
  });

  it('IMPLICIT_BIAS_BACKEND alone switches the backend, with no plug-in list passed', async () => {
    const cpu = await selectBackend(undefined, { env: { IMPLICIT_BIAS_BACKEND: 'cpu' } });
    expect(cpu.id).toBe('cpu');
    expect(cpu.precision).toBe('float64');
    const wasm = await selectBackend(undefined, { env: { IMPLICIT_BIAS_BACKEND: 'wasm' } });
    expect(wasm.id).toBe('wasm');
    expect(wasm.precision).toBe('float32');
  });
});

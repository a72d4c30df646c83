import { loadTfjsCore, tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import type { Tfjs } from '@implicit-bias/backend-tfjs';
import type { ProbeResult } from '@implicit-bias/backend';
import {
  createCudaPlugin,
  createTensorflowPlugin,
  cudaPlugin,
  detectNvidiaGpu,
  tensorflowPlugin,
} from './index.js';

// Oracle: the plug-in contract (probe never throws; reasons say what is missing and what to do).
// Neither tfjs-node package is installed here, so the default loaders must report that.

const missing = (pkg: string): Error =>
  Object.assign(new Error(`Cannot find module '${pkg}' from 'src/node-plugin.ts'`), {
    code: 'MODULE_NOT_FOUND',
  });
const gpuOk = (): Promise<ProbeResult> => Promise.resolve({ ok: true });
const noGpu = (): Promise<ProbeResult> =>
  Promise.resolve({ ok: false, reason: 'no NVIDIA GPU is visible' });

describe('plug-in values', () => {
  it('have the documented ids, precision and priorities', () => {
    expect(cudaPlugin).toMatchObject({ id: 'cuda', precision: 'float32', priority: 50 });
    expect(tensorflowPlugin).toMatchObject({
      id: 'tensorflow',
      precision: 'float32',
      priority: 40,
    });
  });
});

describe('probe says exactly what is missing', () => {
  it('the default loaders find neither package here', async () => {
    const cuda = await cudaPlugin.probe();
    expect(cuda).toEqual({
      ok: false,
      reason: expect.stringContaining('npm install @tensorflow/tfjs-node-gpu'),
    });
    expect(cuda.ok ? '' : cuda.reason).toMatch(/CUDA 11\.2 and cuDNN 8\.1/);
    const tfn = await tensorflowPlugin.probe();
    expect(tfn).toEqual({
      ok: false,
      reason: expect.stringContaining('npm install @tensorflow/tfjs-node'),
    });
    await expect(cudaPlugin.create()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  });
  it('a native binding that fails to load is reported with the loader message', async () => {
    const err = Object.assign(
      new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'),
      { code: 'ERR_DLOPEN_FAILED' },
    );
    const plugin = createCudaPlugin({ load: () => Promise.reject(err), detectGpu: gpuOk });
    const r = await plugin.probe();
    expect(r).toEqual({
      ok: false,
      reason: expect.stringContaining('native binding failed to load'),
    });
    expect(r.ok ? '' : r.reason).toContain('libcudart.so.11.0: cannot open shared object file');
  });
  it('a missing binding file inside the package is a binding failure, not a missing package', async () => {
    const plugin = createTensorflowPlugin({
      load: () =>
        Promise.reject(
          missing('/x/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node'),
        ),
    });
    const r = await plugin.probe();
    expect(r.ok ? '' : r.reason).toMatch(
      /native binding failed to load.*npm rebuild @tensorflow\/tfjs-node/,
    );
  });
  it('an injected loader that cannot find the package says to install it', async () => {
    const plugin = createCudaPlugin({
      load: () => Promise.reject(missing('@tensorflow/tfjs-node-gpu')),
    });
    const r = await plugin.probe();
    expect(r.ok ? '' : r.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed/);
  });
  it('a module without a tensorflow backend is rejected', async () => {
    const tf = await loadTfjsCore();
    const plugin = createTensorflowPlugin({ load: () => Promise.resolve(tf) });
    const r = await plugin.probe();
    expect(r.ok ? '' : r.reason).toMatch(/registered no 'tensorflow' backend/);
    const junk = createTensorflowPlugin({ load: () => Promise.resolve({}) });
    expect(await junk.probe()).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not look like/),
    });
  });
});

describe('with a stand-in tfjs-node module', () => {
  // A 'tensorflow' tfjs backend made of the tfjs cpu kernels stands in for libtensorflow, so
  // the wiring from probe to create to createTfjsBackend runs here without the native package.
  let tf: Tfjs;
  beforeAll(async () => {
    await (await tfjsCpuPlugin.create()).close(); // registers the tfjs 'cpu' backend
    tf = await loadTfjsCore();
    tf.env().set('IS_TEST', true);
    const Cpu = tf.findBackend('cpu').constructor as new () => ReturnType<Tfjs['findBackend']>;
    for (const k of tf.getKernelsForBackend('cpu'))
      tf.registerKernel({ ...k, backendName: 'tensorflow' });
    tf.registerBackend('tensorflow', () => new Cpu(), 0);
  });
  it('cuda needs a visible GPU even when the package loads', async () => {
    const plugin = createCudaPlugin({ load: () => Promise.resolve(tf), detectGpu: noGpu });
    expect(await plugin.probe()).toEqual({ ok: false, reason: 'no NVIDIA GPU is visible' });
  });
  it.each([
    ['cuda', createCudaPlugin({ load: () => Promise.resolve(tf), detectGpu: gpuOk })],
    ['tensorflow', createTensorflowPlugin({ load: () => Promise.resolve({ default: tf }) })],
  ])('%s creates a working float32 backend', async (id, plugin) => {
    expect(await plugin.probe()).toEqual({ ok: true });
    const be = await plugin.create();
    expect(be.id).toBe(id);
    const a = be.fromHost([1, 2, 3, 4], [2, 2]);
    expect(Array.from(be.toHostSync(be.matmul(a, a)))).toEqual([7, 10, 15, 22]);
    await be.close();
  });
});

describe('detectNvidiaGpu', () => {
  it('never throws and answers ok or a reason naming /dev/nvidia0 or nvidia-smi', async () => {
    const r = await detectNvidiaGpu();
    if (!r.ok) expect(r.reason).toMatch(/nvidia-smi/);
  });
});

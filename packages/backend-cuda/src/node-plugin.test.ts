import { loadTfjsCore, tfjsCpuPlugin } from '@implicit-bias/backend-tfjs';
import type { Tfjs } from '@implicit-bias/backend-tfjs';
import { listBackends } from '@implicit-bias/backend';
import type { ProbeResult } from '@implicit-bias/backend';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CUDA_LIBRARIES,
  createCudaPlugin,
  createTensorflowPlugin,
  cudaPlugin,
  cudaPluginFromEnv,
  detectCudaLibraries,
  detectNvidiaGpu,
  tensorflowPlugin,
  tensorflowPluginFromEnv,
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
const libsOk = gpuOk;
const noLibs = (): Promise<ProbeResult> =>
  Promise.resolve({ ok: false, reason: 'CUDA libraries not found: libcudart.so.11.0' });

// The default plug-ins must not read these; every test starts with them unset (CI sets the first).
const FOLDER_VARS = ['IMPLICIT_BIAS_TFJS_NODE', 'IMPLICIT_BIAS_TFJS_NODE_GPU'] as const;
const savedEnv = FOLDER_VARS.map((v) => process.env[v]);
beforeEach(() => {
  for (const v of FOLDER_VARS) delete process.env[v];
});
afterEach(() => {
  FOLDER_VARS.forEach((v, i) => {
    const value = savedEnv[i];
    if (value === undefined) delete process.env[v];
    else process.env[v] = value;
  });
});

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
    const plugin = createCudaPlugin({
      load: () => Promise.reject(err),
      detectGpu: gpuOk,
      detectLibraries: libsOk,
    });
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
      detectGpu: gpuOk,
      detectLibraries: libsOk,
    });
    const r = await plugin.probe();
    expect(r.ok ? '' : r.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed/);
  });
  it('cuda lists every missing piece at once: package, GPU, libraries', async () => {
    const plugin = createCudaPlugin({
      load: () => Promise.reject(missing('@tensorflow/tfjs-node-gpu')),
      detectGpu: noGpu,
      detectLibraries: noLibs,
    });
    const r = await plugin.probe();
    expect(r.ok ? '' : r.reason).toMatch(
      /^@tensorflow\/tfjs-node-gpu is not installed; .*; no NVIDIA GPU is visible; CUDA libraries not found: libcudart\.so\.11\.0$/,
    );
  });
  it('modulePath and the *FromEnv plug-ins name the folder to load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-tfjs-node-folder-'));
    try {
      const viaOption = await createTensorflowPlugin({ modulePath: dir }).probe();
      expect(viaOption.ok ? '' : viaOption.reason).toMatch(
        new RegExp(`^modulePath ${dir} is not a package folder \\(no package\\.json there\\)`),
      );
      const viaEnv = await cudaPluginFromEnv({ IMPLICIT_BIAS_TFJS_NODE_GPU: ` ${dir} ` }).probe();
      expect(viaEnv.ok ? '' : viaEnv.reason).toMatch(
        new RegExp(`^IMPLICIT_BIAS_TFJS_NODE_GPU ${dir} is not a package folder`),
      );
      const tfViaEnv = await tensorflowPluginFromEnv({ IMPLICIT_BIAS_TFJS_NODE: dir }).probe();
      expect(tfViaEnv.ok ? '' : tfViaEnv.reason).toMatch(
        new RegExp(`^IMPLICIT_BIAS_TFJS_NODE ${dir} is not a package folder`),
      );
      // a package folder whose main module is no tfjs: loaded, then rejected
      writeFileSync(join(dir, 'package.json'), '{ "name": "x", "main": "index.js" }');
      writeFileSync(join(dir, 'index.js'), 'module.exports = { answer: 42 };');
      const plugin = createCudaPlugin({
        modulePath: dir,
        detectGpu: gpuOk,
        detectLibraries: libsOk,
      });
      expect(await plugin.probe()).toEqual({
        ok: false,
        reason: '@tensorflow/tfjs-node-gpu loaded but does not look like a TensorFlow.js module',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('without the variables (or blank) the *FromEnv plug-ins are the default ones', () => {
    expect(tensorflowPluginFromEnv({})).toBe(tensorflowPlugin);
    expect(cudaPluginFromEnv({ IMPLICIT_BIAS_TFJS_NODE_GPU: '  ' })).toBe(cudaPlugin);
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
  it('cuda needs a visible GPU and the CUDA libraries even when the package loads', async () => {
    const noGpuPlugin = createCudaPlugin({
      load: () => Promise.resolve(tf),
      detectGpu: noGpu,
      detectLibraries: libsOk,
    });
    expect(await noGpuPlugin.probe()).toEqual({ ok: false, reason: 'no NVIDIA GPU is visible' });
    const noLibsPlugin = createCudaPlugin({
      load: () => Promise.resolve(tf),
      detectGpu: gpuOk,
      detectLibraries: noLibs,
    });
    expect(await noLibsPlugin.probe()).toEqual({
      ok: false,
      reason: 'CUDA libraries not found: libcudart.so.11.0',
    });
  });
  it('cuda refuses a TensorFlow that found no usable GPU (it would run on the CPU)', async () => {
    const plugin = createCudaPlugin({
      load: () => Promise.resolve(tf),
      detectGpu: gpuOk,
      detectLibraries: libsOk,
    });
    const backend = tf.findBackend('tensorflow') as unknown as { isUsingGpuDevice?: boolean };
    backend.isUsingGpuDevice = false;
    try {
      await expect(plugin.create()).rejects.toMatchObject({
        code: 'BACKEND_UNAVAILABLE',
        message: expect.stringContaining('found no usable GPU'),
      });
    } finally {
      delete backend.isUsingGpuDevice;
    }
  });
  it.each([
    [
      'cuda',
      createCudaPlugin({
        load: () => Promise.resolve(tf),
        detectGpu: gpuOk,
        detectLibraries: libsOk,
      }),
    ],
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

describe('listBackends (what `implicit-bias backends` prints)', () => {
  // Oracle: the independent detectors. Whatever they find missing on this machine must appear
  // in the cuda row's reason, after the package line; here (no tfjs-node-gpu) it is unavailable.
  it('lists cuda as unavailable with every missing prerequisite', async () => {
    const [row] = await listBackends({ plugins: [cudaPlugin] });
    expect(row).toMatchObject({ id: 'cuda', available: false, precision: 'float32' });
    const reason = row?.reason ?? '';
    expect(reason).toMatch(/^@tensorflow\/tfjs-node-gpu is not installed; install it with/);
    for (const r of [await detectNvidiaGpu(), await detectCudaLibraries()]) {
      if (!r.ok) expect(reason).toContain(r.reason);
    }
  });
});

describe('detectCudaLibraries', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ib-cuda-libs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the sonames in the given folders', async () => {
    for (const lib of CUDA_LIBRARIES) writeFileSync(join(dir, lib), '');
    expect(await detectCudaLibraries({ dirs: [dir], system: false })).toEqual({ ok: true });
  });
  it('names every missing soname and what provides it', async () => {
    writeFileSync(join(dir, 'libcuda.so.1'), '');
    writeFileSync(join(dir, 'libcudart.so.12'), ''); // a newer CUDA major does not count
    const r = await detectCudaLibraries({ dirs: [dir], system: false });
    expect(r.ok ? '' : r.reason).toBe(
      'CUDA libraries not found: libcudart.so.11.0 (the CUDA 11.2 toolkit), libcublas.so.11 ' +
        '(the CUDA 11.2 toolkit), libcudnn.so.8 (cuDNN 8.1); install CUDA 11.2 and cuDNN 8.1 ' +
        'and put their lib64 folders on LD_LIBRARY_PATH (tfjs-node-gpu 4.22 links libtensorflow ' +
        '2.9.1; newer CUDA majors are not picked up)',
    );
  });
  it('never throws with the default search', async () => {
    const r = await detectCudaLibraries();
    if (!r.ok) expect(r.reason).toMatch(/^CUDA libraries not found: /);
  });
});

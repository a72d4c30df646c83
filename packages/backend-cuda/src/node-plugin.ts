import { ImplicitBiasError } from '@implicit-bias/core';
import type { Backend, BackendPlugin, ProbeResult } from '@implicit-bias/backend';
import { createTfjsBackend } from '@implicit-bias/backend-tfjs';
import type { Tfjs } from '@implicit-bias/backend-tfjs';
import { detectCudaLibraries, detectNvidiaGpu } from './gpu-detect.js';

/** Options of {@link createCudaPlugin} and {@link createTensorflowPlugin}. */
export interface NodeTfjsPluginOptions {
  /**
   * Loads the tfjs-node package and resolves to its module (default: a dynamic `import` of
   * `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`). Inject it to use another copy or
   * to test.
   */
  readonly load?: () => Promise<unknown>;
  /**
   * Folder of a tfjs-node (or tfjs-node-gpu) package to load instead of resolving the package
   * name, e.g. the one `tools/scripts/setup-tfjs-node` prints. It is loaded with Node's
   * `require` (the packages are CommonJS). Ignored when {@link NodeTfjsPluginOptions.load} is
   * given. {@link tensorflowPluginFromEnv} / {@link cudaPluginFromEnv} take it from an
   * environment variable.
   */
  readonly modulePath?: string;
  /** Checks that an NVIDIA GPU is visible (cuda only; default: {@link detectNvidiaGpu}). */
  readonly detectGpu?: () => Promise<ProbeResult>;
  /**
   * Checks that the CUDA / cuDNN libraries tfjs-node-gpu loads can be found (cuda only;
   * default: {@link detectCudaLibraries}).
   */
  readonly detectLibraries?: () => Promise<ProbeResult>;
}

/**
 * Environment variable naming a tfjs-node package folder for {@link tensorflowPluginFromEnv}
 * (e.g. what `tools/scripts/setup-tfjs-node` prints).
 */
export const TFJS_NODE_ENV_VAR = 'IMPLICIT_BIAS_TFJS_NODE';

/** Environment variable naming a tfjs-node-gpu package folder for {@link cudaPluginFromEnv}. */
export const TFJS_NODE_GPU_ENV_VAR = 'IMPLICIT_BIAS_TFJS_NODE_GPU';

/** What each flavour needs; the facts behind the messages. */
interface Flavour {
  readonly id: 'cuda' | 'tensorflow';
  readonly pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';
  readonly description: string;
  readonly priority: number;
  readonly needs: string;
  readonly envVar: string;
}

/**
 * tfjs-node(-gpu) 4.22 links libtensorflow 2.9.1, built against CUDA 11.2 and cuDNN 8.1 (it
 * loads `libcudart.so.11.0`); see tensorflow/tfjs#8362.
 */
const CUDA_NEEDS =
  'it needs an NVIDIA GPU with driver ≥ 450, CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9.1) ' +
  'on the library path';

const CUDA: Flavour = {
  id: 'cuda',
  pkg: '@tensorflow/tfjs-node-gpu',
  description: 'TensorFlow (libtensorflow) on an NVIDIA GPU via tfjs-node-gpu (float32)',
  priority: 50,
  needs: CUDA_NEEDS,
  envVar: TFJS_NODE_GPU_ENV_VAR,
};

const TENSORFLOW: Flavour = {
  id: 'tensorflow',
  pkg: '@tensorflow/tfjs-node',
  description: 'native TensorFlow (libtensorflow) on the CPU via tfjs-node (float32)',
  priority: 40,
  needs: 'its install script downloads libtensorflow 2.9.1, so it needs network access once',
  envVar: TFJS_NODE_ENV_VAR,
};

/** The message of an error from any realm (`instanceof Error` fails across vm contexts). */
function message(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/** True when the error says the package itself (not a file inside it) cannot be found. */
function isMissingPackage(e: unknown, pkg: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  const text = message(e);
  return (
    (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') &&
    (text.includes(`'${pkg}'`) || text.includes(`"${pkg}"`))
  );
}

function asTfjs(m: unknown): Tfjs | undefined {
  const candidates = [m, (m as { default?: unknown } | null)?.default];
  for (const c of candidates) {
    const tf = c as Partial<Tfjs> | null | undefined;
    if (typeof tf?.tensor === 'function' && typeof tf.engine === 'function') return tf as Tfjs;
  }
  return undefined;
}

type Loaded =
  { readonly ok: true; readonly tf: Tfjs } | { readonly ok: false; readonly reason: string };

async function loadModule(f: Flavour, load: () => Promise<unknown>): Promise<Loaded> {
  let m: unknown;
  try {
    m = await load();
  } catch (e) {
    if (isMissingPackage(e, f.pkg)) {
      return {
        ok: false,
        reason: `${f.pkg} is not installed; install it with \`npm install ${f.pkg}\` (${f.needs})`,
      };
    }
    return {
      ok: false,
      reason:
        `${f.pkg} is installed but its native binding failed to load: ${message(e)}; ` +
        `${f.needs}. Reinstall it (\`npm rebuild ${f.pkg}\`) if the binding file is missing`,
    };
  }
  const tf = asTfjs(m);
  if (tf === undefined) {
    return { ok: false, reason: `${f.pkg} loaded but does not look like a TensorFlow.js module` };
  }
  if (!tf.engine().registryFactory['tensorflow']) {
    return {
      ok: false,
      reason: `${f.pkg} loaded but registered no 'tensorflow' backend; reinstall ${f.pkg}`,
    };
  }
  return { ok: true, tf };
}

/** Loads the package folder `dir` with Node's require, or says why it cannot be tried. */
async function requireFolder(
  f: Flavour,
  dir: string,
  from: string,
): Promise<{ readonly load: () => Promise<unknown> } | { readonly reason: string }> {
  const [{ createRequire }, path, fs] = await Promise.all([
    import('node:module'),
    import('node:path'),
    import('node:fs'),
  ]);
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, 'package.json'))) {
    return {
      reason:
        `${from} ${abs} is not a package folder (no package.json there); point it at an ` +
        `installed ${f.pkg} (…/node_modules/${f.pkg}) or, for tfjs-node, at the folder ` +
        '`tools/scripts/setup-tfjs-node` prints',
    };
  }
  const req = createRequire(path.join(abs, 'package.json'));
  return { load: (): Promise<unknown> => Promise.resolve(req(abs)) };
}

function createNodePlugin(
  f: Flavour,
  options: NodeTfjsPluginOptions,
  pathFrom = 'modulePath',
): BackendPlugin {
  const specifier: string = f.pkg;
  // a non-literal specifier keeps bundlers and tsc from requiring the optional package
  const byName = (): Promise<unknown> => import(specifier);
  const detectGpu = options.detectGpu ?? detectNvidiaGpu;
  const detectLibraries =
    options.detectLibraries ?? ((): Promise<ProbeResult> => detectCudaLibraries());

  async function check(): Promise<Loaded> {
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (options.load === undefined && proc?.versions?.node === undefined) {
      return { ok: false, reason: `${f.pkg} runs only in Node.js; in a browser use webgl or wasm` };
    }
    let load = options.load ?? byName;
    const dir = options.modulePath;
    if (options.load === undefined && dir !== undefined) {
      const r = await requireFolder(f, dir, pathFrom);
      if ('reason' in r) return { ok: false, reason: r.reason };
      load = r.load;
    }
    const loaded = await loadModule(f, load);
    if (f.id !== 'cuda') return loaded;
    // cuda: say everything that is missing at once (package, GPU, libraries), not just the first
    const [gpu, libs] = await Promise.all([detectGpu(), detectLibraries()]);
    const reasons = [loaded, gpu, libs].flatMap((r) => (r.ok ? [] : [r.reason]));
    return loaded.ok && reasons.length === 0 ? loaded : { ok: false, reason: reasons.join('; ') };
  }

  return {
    id: f.id,
    description: f.description,
    precision: 'float32',
    priority: f.priority,
    async probe(): Promise<ProbeResult> {
      try {
        const r = await check();
        return r.ok ? { ok: true } : { ok: false, reason: r.reason };
      } catch (e) {
        return { ok: false, reason: `${f.id} probe failed unexpectedly: ${message(e)}` };
      }
    },
    async create(): Promise<Backend> {
      const r = await check();
      if (!r.ok) throw new ImplicitBiasError('BACKEND_UNAVAILABLE', r.reason, { path: f.id });
      let ok = false;
      let why = "tf.setBackend('tensorflow') returned false";
      try {
        ok = await r.tf.setBackend('tensorflow');
      } catch (e) {
        why = message(e);
      }
      if (!ok) {
        throw new ImplicitBiasError(
          'BACKEND_UNAVAILABLE',
          `the TensorFlow backend of ${f.pkg} failed to initialize (${why}); ${f.needs}`,
          { path: f.id },
        );
      }
      const onGpu = (r.tf.backend() as { isUsingGpuDevice?: unknown }).isUsingGpuDevice;
      if (f.id === 'cuda' && onGpu === false) {
        throw new ImplicitBiasError(
          'BACKEND_UNAVAILABLE',
          `${f.pkg} loaded but TensorFlow found no usable GPU and would run on the CPU ` +
            `(see its log above for the library it could not open); ${f.needs}`,
          { path: f.id },
        );
      }
      return createTfjsBackend(r.tf, { id: f.id, tfBackendName: 'tensorflow' });
    },
  };
}

/**
 * A cuda plug-in: TensorFlow's CUDA kernels through the optional peer `@tensorflow/tfjs-node-gpu`
 * (Node only, float32). `probe()` lists everything that is missing: the package (or its native
 * binding, with the loader's message), a visible NVIDIA GPU, the CUDA 11.2 / cuDNN 8.1
 * libraries. `create()` also refuses a TensorFlow that found no usable GPU (it would silently
 * run on the CPU).
 */
export function createCudaPlugin(options: NodeTfjsPluginOptions = {}): BackendPlugin {
  return createNodePlugin(CUDA, options);
}

/**
 * A tensorflow plug-in: native TensorFlow CPU kernels through the optional peer
 * `@tensorflow/tfjs-node` (Node only, float32). `probe()` says whether the package is missing
 * or its native binding fails to load (with the loader's message).
 */
export function createTensorflowPlugin(options: NodeTfjsPluginOptions = {}): BackendPlugin {
  return createNodePlugin(TENSORFLOW, options);
}

/** The cuda plug-in with default options (loads `@tensorflow/tfjs-node-gpu` lazily). */
export const cudaPlugin: BackendPlugin = createCudaPlugin();

/** The tensorflow plug-in with default options (loads `@tensorflow/tfjs-node` lazily). */
export const tensorflowPlugin: BackendPlugin = createTensorflowPlugin();

function fromEnv(
  f: Flavour,
  env: Readonly<Record<string, string | undefined>>,
  fallback: BackendPlugin,
): BackendPlugin {
  const dir = env[f.envVar]?.trim();
  return dir === undefined || dir === ''
    ? fallback
    : createNodePlugin(f, { modulePath: dir }, f.envVar);
}

/**
 * The tensorflow plug-in loading the tfjs-node folder named by `IMPLICIT_BIAS_TFJS_NODE`
 * ({@link TFJS_NODE_ENV_VAR}) in `env` when it is set and not blank, else
 * {@link tensorflowPlugin}. The test harness uses it to run a tfjs-node built by
 * `tools/scripts/setup-tfjs-node`; the default plug-ins never read the environment.
 */
export function tensorflowPluginFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BackendPlugin {
  return fromEnv(TENSORFLOW, env, tensorflowPlugin);
}

/**
 * The cuda plug-in loading the tfjs-node-gpu folder named by `IMPLICIT_BIAS_TFJS_NODE_GPU`
 * ({@link TFJS_NODE_GPU_ENV_VAR}) in `env` when it is set and not blank, else
 * {@link cudaPlugin}.
 */
export function cudaPluginFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): BackendPlugin {
  return fromEnv(CUDA, env, cudaPlugin);
}

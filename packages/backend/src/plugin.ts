import type { Precision } from '@implicit-bias/core';
import type { Backend } from './types.js';

/** Result of {@link BackendPlugin.probe}. */
export type ProbeResult =
  | {
      /** The backend can be created here. */
      readonly ok: true;
    }
  | {
      /** The backend cannot run here. */
      readonly ok: false;
      /** Why not, and what to install or change. */
      readonly reason: string;
    };

/**
 * A backend plug-in: a plain value. Nothing registers itself on import; pass plug-ins to
 * {@link registerBackend} or to {@link selectBackend}'s `plugins` option.
 */
export interface BackendPlugin {
  /** Unique id used by `IMPLICIT_BIAS_BACKEND` and `--backend`. */
  readonly id: string;
  /** One line for tables. */
  readonly description: string;
  /** Precision of the arrays it creates. */
  readonly precision: Precision;
  /** Higher is preferred by `'auto'`. */
  readonly priority: number;
  /** Whether the backend can run here. Never throws; says why not and what to install. */
  probe(): Promise<ProbeResult>;
  /** Create a ready backend. Throws `BACKEND_UNAVAILABLE` when it cannot run. */
  create(): Promise<Backend>;
}

/** One entry of the backend catalogue {@link KNOWN_BACKENDS}. */
export interface KnownBackend {
  /** The npm package that provides the plug-in. */
  readonly pkg: string;
  /** The name under which that package exports the plug-in value. */
  readonly exportName: string;
  /** Where the backend runs, completing "runs in …". */
  readonly where: string;
}

/**
 * The one catalogue of known backend ids: which package provides each and under which export.
 * {@link discoverBackends} loads the installed ones from it; messages about missing plug-ins use it.
 */
export const KNOWN_BACKENDS: Readonly<Record<string, KnownBackend>> = {
  cpu: {
    pkg: '@implicit-bias/backend-cpu',
    exportName: 'cpuPlugin',
    where: 'Node and browsers (native float64 TypeScript)',
  },
  'tfjs-cpu': {
    pkg: '@implicit-bias/backend-tfjs',
    exportName: 'tfjsCpuPlugin',
    where: 'Node and browsers (tfjs, float32)',
  },
  wasm: {
    pkg: '@implicit-bias/backend-wasm',
    exportName: 'wasmPlugin',
    where: 'Node and browsers (tfjs WebAssembly, float32)',
  },
  webgl: {
    pkg: '@implicit-bias/backend-webgl',
    exportName: 'webglPlugin',
    where: 'browsers with WebGL 2 (tfjs, float32)',
  },
  tensorflow: {
    pkg: '@implicit-bias/backend-cuda',
    exportName: 'tensorflowPlugin',
    where: 'Node with @tensorflow/tfjs-node installed (native TensorFlow CPU, float32)',
  },
  cuda: {
    pkg: '@implicit-bias/backend-cuda',
    exportName: 'cudaPlugin',
    where: 'Node with @tensorflow/tfjs-node-gpu, CUDA and an NVIDIA GPU (float32)',
  },
};

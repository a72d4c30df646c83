import type * as fsModule from 'node:fs';
import type * as pathModule from 'node:path';
import type { ProbeResult } from '@implicit-bias/backend';

/** The message of an error from any realm (`instanceof Error` fails across vm contexts). */
function message(e: unknown): string {
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/**
 * Whether an NVIDIA GPU is visible to this process: the device node `/dev/nvidia0` (Linux), or
 * else `nvidia-smi -L` listing at least one GPU. Never throws.
 */
export async function detectNvidiaGpu(): Promise<ProbeResult> {
  let devNode = false;
  try {
    const fs = await import('node:fs');
    devNode = fs.existsSync('/dev/nvidia0');
  } catch {
    // no file system access (not Node): fall through to nvidia-smi, which will fail too
  }
  if (devNode) return { ok: true };
  let smi: string;
  try {
    const cp = await import('node:child_process');
    smi = await new Promise<string>((resolve, reject) => {
      cp.execFile('nvidia-smi', ['-L'], { timeout: 10_000 }, (err, stdout) => {
        if (err) reject(err);
        else resolve(stdout);
      });
    });
  } catch (e) {
    return {
      ok: false,
      reason:
        'no NVIDIA GPU is visible: /dev/nvidia0 does not exist and `nvidia-smi -L` failed ' +
        `(${message(e)}); install the NVIDIA driver on a machine with an NVIDIA GPU (in a ` +
        'container, expose the GPU, e.g. `docker run --gpus all`), or use the tensorflow or cpu backend',
    };
  }
  return /GPU \d+:/.test(smi)
    ? { ok: true }
    : {
        ok: false,
        reason:
          '`nvidia-smi -L` lists no GPU and /dev/nvidia0 does not exist; check the NVIDIA driver, ' +
          'or use the tensorflow or cpu backend',
      };
}

/**
 * The shared libraries tfjs-node-gpu 4.22 needs at run time: its libtensorflow 2.9.1 was built
 * against CUDA 11.2 and cuDNN 8.1, and opens the NVIDIA driver (`libcuda.so.1`), the CUDA 11
 * runtime and cuBLAS, and cuDNN 8 by these sonames (TensorFlow's `dso_loader`). Without them
 * TensorFlow silently falls back to its CPU kernels.
 */
export const CUDA_LIBRARIES: readonly string[] = [
  'libcuda.so.1',
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcudnn.so.8',
];

/** Where {@link detectCudaLibraries} looks, besides `ldconfig -p`. */
export interface CudaLibrarySearch {
  /** Library folders searched first (default: the entries of `LD_LIBRARY_PATH`). */
  readonly dirs?: readonly string[];
  /**
   * Also search the dynamic loader's cache (`ldconfig -p`) and the usual CUDA folders
   * (`/usr/local/cuda/lib64`, `/usr/lib/x86_64-linux-gnu`, …; default true).
   */
  readonly system?: boolean;
  /** Sonames to look for (default {@link CUDA_LIBRARIES}). */
  readonly libraries?: readonly string[];
}

const SYSTEM_LIB_DIRS = [
  '/usr/local/cuda/lib64',
  '/usr/local/cuda-11.2/lib64',
  '/usr/local/cuda/targets/x86_64-linux/lib',
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/usr/lib/wsl/lib',
];

/**
 * Which of the CUDA / cuDNN shared libraries that tfjs-node-gpu 4.22 loads can be found: in
 * `LD_LIBRARY_PATH`, the loader cache (`ldconfig -p`) or the usual CUDA folders. Answers ok, or
 * a reason naming every missing soname and what provides it. Never throws; outside Node it
 * answers that nothing can be checked.
 */
export async function detectCudaLibraries(search: CudaLibrarySearch = {}): Promise<ProbeResult> {
  const wanted = search.libraries ?? CUDA_LIBRARIES;
  let mods: [typeof fsModule, typeof pathModule];
  try {
    mods = await Promise.all([import('node:fs'), import('node:path')]);
  } catch (e) {
    return { ok: false, reason: `cannot look for the CUDA libraries here (${message(e)})` };
  }
  const [fs, path] = mods;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const dirs = [
    ...(search.dirs ?? (env?.['LD_LIBRARY_PATH'] ?? '').split(':').filter((d) => d !== '')),
    ...(search.system === false ? [] : SYSTEM_LIB_DIRS),
  ];
  let cache = '';
  if (search.system !== false) {
    try {
      const cp = await import('node:child_process');
      cache = await new Promise<string>((resolve) => {
        cp.execFile('ldconfig', ['-p'], { timeout: 10_000 }, (err, stdout) =>
          resolve(err ? '' : stdout),
        );
      });
    } catch {
      cache = '';
    }
  }
  const found = (lib: string): boolean =>
    cache.split('\n').some((line) => line.trim().startsWith(`${lib} `)) ||
    dirs.some((d) => fs.existsSync(path.join(d, lib)));
  const missing = wanted.filter((lib) => !found(lib));
  if (missing.length === 0) return { ok: true };
  const provider = (lib: string): string =>
    lib.startsWith('libcuda.')
      ? 'the NVIDIA driver'
      : lib.startsWith('libcudnn')
        ? 'cuDNN 8.1'
        : 'the CUDA 11.2 toolkit';
  return {
    ok: false,
    reason:
      `CUDA libraries not found: ${missing.map((l) => `${l} (${provider(l)})`).join(', ')}; ` +
      'install CUDA 11.2 and cuDNN 8.1 and put their lib64 folders on LD_LIBRARY_PATH ' +
      '(tfjs-node-gpu 4.22 links libtensorflow 2.9.1; newer CUDA majors are not picked up)',
  };
}

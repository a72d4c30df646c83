import type { ProbeResult } from '@implicit-bias/backend';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
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

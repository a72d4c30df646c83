import type { CliIo } from './io.js';

/** A captured CLI I/O for tests. */
export function captureIo(
  cwd = process.cwd(),
  env: Record<string, string | undefined> = {},
): CliIo & {
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env,
    cwd,
    isTTY: false,
    out: () => out,
    err: () => err,
  };
}

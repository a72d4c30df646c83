// The Python peers (tools/bench/peers/numpy_gd.py, scipy_radau.py), run as child processes: one
// JSON request on stdin, one JSON answer on stdout.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../peers/numpy_gd.py', import.meta.url));
const SCIPY_RADAU = fileURLToPath(new URL('../peers/scipy_radau.py', import.meta.url));
const SCIPY_LSODA = fileURLToPath(new URL('../peers/scipy_lsoda.py', import.meta.url));

/** Run one request; throws with python's stderr when it fails. */
export function runPeer(
  request,
  timeoutMs = 600_000,
  python = process.env.BENCH_PYTHON ?? 'python3',
  script = SCRIPT,
) {
  const r = spawnSync(python, [script], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
    timeout: timeoutMs,
  });
  if (r.error) throw new Error(`${python} ${script}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${python} ${script} exited ${r.status}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout);
}

/**
 * scipy's Radau (`solve_ivp(method='Radau')`) on the classification section's problem, to the
 * same margins; `{available: false, reason}` when python or scipy is missing.
 */
export function runScipyRadau(request, timeoutMs = 600_000) {
  try {
    return {
      available: true,
      ...runPeer({ mode: 'radau', ...request }, timeoutMs, undefined, SCIPY_RADAU),
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      available: false,
      reason: /No module named .?scipy/.test(msg) ? 'scipy is not installed' : msg.split('\n')[0],
    };
  }
}

/**
 * Whether the peer can run here: `{available: true, python, numpy, blas}` or
 * `{available: false, reason}` (python3 missing, NumPy missing or older than 2).
 */
export function probePeer(python = process.env.BENCH_PYTHON ?? 'python3') {
  try {
    const info = runPeer({ mode: 'probe' }, 60_000, python);
    if (!/^2\./.test(info.numpy)) {
      return { available: false, reason: `NumPy ${info.numpy} found; the peer needs NumPy 2.x` };
    }
    return { available: true, ...info };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const reason = /ENOENT/.test(msg)
      ? `${python} is not installed`
      : /No module named .?numpy/.test(msg)
        ? `${python} has no NumPy (pip install numpy)`
        : msg.split('\n')[0];
    return { available: false, reason };
  }
}

/**
 * scipy's LSODA on the time-to-accuracy section's full-network flow, stopped at the tolerance or
 * the wall budget; `{available: false, reason}` when python or scipy is missing.
 */
export function runScipyLsoda(request, timeoutMs = 600_000) {
  try {
    return { available: true, ...runPeer(request, timeoutMs, undefined, SCIPY_LSODA) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return {
      available: false,
      reason: /No module named .?scipy/.test(msg) ? 'scipy is not installed' : msg.split('\n')[0],
    };
  }
}

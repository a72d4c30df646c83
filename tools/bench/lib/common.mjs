// Shared helpers of the bench tools (ops.mjs and run.mjs): the backend plug-ins, robust
// statistics, number formatting, markdown tables and the machine description. Pure except
// loadPlugins (dynamic imports) and machine() (reads the OS).
import os from 'node:os';

/** The plug-ins (as in packages/cli/src/plugins.ts), one package at a time. */
export const PLUGIN_SOURCES = [
  { pkg: '@implicit-bias/backend-cpu', names: ['cpuPlugin'] },
  { pkg: '@implicit-bias/backend-tfjs', names: ['tfjsCpuPlugin'] },
  { pkg: '@implicit-bias/backend-wasm', names: ['wasmPlugin'] },
  { pkg: '@implicit-bias/backend-webgl', names: ['webglPlugin'] },
  {
    pkg: '@implicit-bias/backend-cuda',
    names: ['tensorflowPlugin', 'cudaPlugin'],
    // these read IMPLICIT_BIAS_TFJS_NODE(_GPU) (a tfjs-node built outside the project), which
    // the default plug-ins deliberately do not
    fromEnv: { tensorflowPlugin: 'tensorflowPluginFromEnv', cudaPlugin: 'cudaPluginFromEnv' },
  },
];

/**
 * Import every plug-in package; a package that is missing or unbuilt shows up in `importErrors`
 * (so its backend is reported as unavailable, not a crash). The tensorflow and cuda plug-ins
 * load the tfjs-node folder named by `IMPLICIT_BIAS_TFJS_NODE` / `IMPLICIT_BIAS_TFJS_NODE_GPU`
 * when set (packages/backend-cuda).
 */
export async function loadPlugins() {
  const plugins = [];
  const importErrors = new Map(); // package -> message
  for (const { pkg, names, fromEnv } of PLUGIN_SOURCES) {
    try {
      const m = await import(pkg);
      for (const n of names) {
        const make = fromEnv?.[n] === undefined ? undefined : m[fromEnv[n]];
        if (typeof make === 'function') plugins.push(make(process.env));
        else if (m[n] !== undefined) plugins.push(m[n]);
      }
    } catch (e) {
      importErrors.set(pkg, e instanceof Error ? e.message : String(e));
    }
  }
  return { plugins, importErrors };
}

/** Quantile of sorted samples, linear between order statistics. */
export function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, quartiles, IQR and calls per second of samples in microseconds. */
export function summarize(samplesUs) {
  const sorted = [...samplesUs].sort((a, b) => a - b);
  const medianUs = quantile(sorted, 0.5);
  const q1Us = quantile(sorted, 0.25);
  const q3Us = quantile(sorted, 0.75);
  return { medianUs, q1Us, q3Us, iqrUs: q3Us - q1Us, opsPerSec: 1e6 / medianUs };
}

/** A duration in microseconds as `1.23 ms`, `45.6 µs`, `2.00 s`. */
export function fmtUs(us) {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(us >= 1e5 ? 0 : us >= 1e4 ? 1 : 2)} ms`;
  return `${us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2)} µs`;
}

/** A rate as `1.2k/s`, `3.40M/s`. */
export function fmtRate(r) {
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)}M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)}k/s`;
  if (r >= 10) return `${r.toFixed(0)}/s`;
  return `${r.toFixed(2)}/s`;
}

/** A markdown table with padded columns; `|` inside cells is escaped. */
export function markdownTable(header, rows) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  const h = header.map(esc);
  const r = rows.map((row) => row.map(esc));
  const widths = h.map((x, i) => Math.max(x.length, ...r.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(h), rule, ...r.map(line)].join('\n');
}

/** The machine: CPU model, cores, memory, OS, Node. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
  };
}

/** One line naming the machine. */
export function machineLine(m = machine()) {
  return `${m.cpu} ×${m.cores}, ${m.platform} ${m.arch}, node ${m.node}`;
}

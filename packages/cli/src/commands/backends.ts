import { listBackends } from '@implicit-bias/backend';
import { cpuKernelInfo } from '@implicit-bias/backend-cpu';
import type { BackendInfo } from '@implicit-bias/backend';
import type { CliIo } from '../io.js';
import { cliPlugins } from '../plugins.js';

/** Render backend rows as an aligned text table. */
export function backendsTable(rows: readonly BackendInfo[]): string {
  const head = ['id', 'available', 'precision', 'priority', 'reason'];
  const body = rows.map((r) => [
    r.id,
    r.available ? 'yes' : 'no',
    r.precision ?? '-',
    Number.isFinite(r.priority) ? String(r.priority) : '-',
    r.reason ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

/** `implicit-bias backends [--json]`: every backend with availability, precision and reason. */
export async function backendsCommand(io: CliIo, options: { json?: boolean }): Promise<number> {
  const rows = await listBackends({ plugins: cliPlugins() });
  // which kernels the float64 cpu backend runs here (WebAssembly SIMD, or JavaScript and why)
  const kernels = cpuKernelInfo();
  if (options.json) {
    const withKernels = rows.map((r) => (r.id === 'cpu' ? { ...r, kernels } : r));
    io.stdout(JSON.stringify(withKernels, null, 2) + '\n');
  } else {
    io.stdout(backendsTable(rows));
    io.stdout(
      `\ncpu kernels: ${kernels.path === 'wasm-simd' ? `wasm-simd (float64 WebAssembly SIMD; ${kernels.threads ?? 1} thread${(kernels.threads ?? 1) === 1 ? '' : 's'} for batched runs)` : `js (${kernels.reason ?? 'plain JavaScript'})`}\n`,
    );
  }
  return 0;
}

import { listBackends } from '@implicit-bias/backend';
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
  io.stdout(options.json ? JSON.stringify(rows, null, 2) + '\n' : backendsTable(rows));
  return 0;
}

import type { SweepRecord } from './store.js';

const CSV_COLUMNS = [
  'id',
  'index',
  'status',
  'error',
  'flowStatus',
  'stoppedBy',
  'steps',
  'time',
  'loss',
  'logLoss',
  'margin',
  'normalizedMargin',
  'distance',
  'totalMs',
] as const;

/** Export records as JSON Lines: one complete record (config, outcome, timings) per line. */
export function toJsonLines(records: readonly SweepRecord[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Export records as CSV (RFC 4180): one row per run with its overrides (one column per varied
 * field), the scalar results and the total wall time; configs and parameters stay in JSON Lines.
 */
export function toCsv(records: readonly SweepRecord[]): string {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r.overrides)))];
  const head = [...CSV_COLUMNS.slice(0, 4), ...fields, ...CSV_COLUMNS.slice(4)];
  const lines = [head.map(csvCell).join(',')];
  for (const r of records) {
    const s = r.summary;
    const cells: unknown[] = [r.id, r.index, r.status, r.error];
    for (const f of fields) cells.push(r.overrides[f]);
    cells.push(
      s?.flowStatus,
      s?.stoppedBy,
      s?.steps,
      s?.time,
      s?.loss,
      s?.logLoss,
      s?.margin,
      s?.normalizedMargin,
      s?.distance,
      r.timings.totalMs,
    );
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

import { ImplicitBiasError } from '@implicit-bias/core';
import { parse } from 'csv-parse/sync';
import type { Dataset } from './dataset.js';
import type { CsvOptions } from './load-options.js';
import { checkTask, checkUnderdetermined } from './validate.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;

interface Row {
  readonly cells: string[];
  readonly line: number;
}

function readRecords(text: string, delimiter: string, path: string): Row[] {
  let out: { record: string[]; info: { lines: number } }[];
  try {
    out = parse(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `is not valid CSV${typeof line === 'number' ? ` at line ${line}` : ''} (${(e as Error).message})`,
      { path, cause: e },
    );
  }
  return out.map(({ record, info }) => ({ cells: record, line: info.lines }));
}

/**
 * Parse user data from CSV text. One column (`label`, by header name or 0-based index;
 * default the last) holds the targets, every other column is a feature. The header is
 * optional (`header: 'auto'` detects it). Errors name the input `path` (default
 * `'data.csv'`), the 1-based data row, its file line and the 1-based column with its header
 * name, e.g. `data.csv: row 3 (line 4), column 2 ("x2"): "abc" is not a number`.
 * Every problem with the data itself is INVALID_DATA (non-numbers, empty cells, inf/nan/overflow,
 * ragged rows, bad labels, n ≥ d with `underdetermined`); INVALID_CONFIG is a bad `label`
 * option.
 */
export function parseCsvData(text: string, options: CsvOptions = {}): Dataset {
  const path = options.path ?? 'data.csv';
  const records = readRecords(text, options.delimiter ?? ',', path);
  if (records.length === 0) {
    throw new ImplicitBiasError('INVALID_DATA', 'contains no rows', { path });
  }
  const first = records[0]!;
  const headerOpt = options.header ?? 'auto';
  const hasHeader =
    headerOpt === 'auto'
      ? first.cells.some((c) => !NUMBER.test(c)) && !first.cells.some((c) => NON_FINITE.test(c))
      : headerOpt;
  const header = hasHeader ? first.cells : undefined;
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) {
    throw new ImplicitBiasError('INVALID_DATA', 'has a header but no data rows', { path });
  }
  const width = hasHeader ? first.cells.length : body[0]!.cells.length;
  if (width < 2) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `has ${width} column; it needs at least one feature column and one label column`,
      { path },
    );
  }
  const label = labelIndex(options.label, header, width, path);
  const colName = (j: number): string =>
    `column ${j + 1}${header !== undefined ? ` (${JSON.stringify(header[j])})` : ''}`;
  const n = body.length;
  const d = width - 1;
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  body.forEach((row, r) => {
    const where = `row ${r + 1} (line ${row.line})`;
    if (row.cells.length !== width) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `${where} has ${row.cells.length} fields but ${hasHeader ? 'the header' : 'row 1'} has ` +
          `${width}; every row needs the same number of fields`,
        { path },
      );
    }
    let k = 0;
    row.cells.forEach((cell, j) => {
      const v = toNumber(cell, `${where}, ${colName(j)}`, path);
      if (j === label) y[r] = v;
      else X[r * d + k++] = v;
    });
  });
  const task = options.task ?? 'regression';
  checkTask(y, task, path, (i) => `row ${i + 1} (line ${body[i]!.line}), label ${colName(label)}`);
  checkUnderdetermined(n, d, options.underdetermined ?? false, path);
  return {
    task,
    X: { rows: n, cols: d, data: X },
    y,
    meta: {
      name: options.name ?? path,
      n,
      d,
      source: options.source ?? path,
      ...(options.license !== undefined ? { license: options.license } : {}),
      ...(header !== undefined ? { featureNames: header.filter((_, j) => j !== label) } : {}),
      description: options.description ?? `User data loaded from CSV (${path}).`,
    },
  };
}

function labelIndex(
  label: string | number | undefined,
  header: readonly string[] | undefined,
  width: number,
  path: string,
): number {
  if (label === undefined) return width - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < -width || label >= width) {
      throw new ImplicitBiasError(
        'INVALID_CONFIG',
        `label column index ${String(label)} is out of range for ${width} columns (0-based; ` +
          `negative counts from the end)`,
        { path: 'label' },
      );
    }
    return label < 0 ? width + label : label;
  }
  if (header === undefined) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `label column "${label}" was given by name but ${path} has no header row; pass a 0-based index or set header: true`,
      { path: 'label' },
    );
  }
  const j = header.indexOf(label);
  if (j < 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `no column named "${label}" in ${path}; the header has ${header.map((h) => JSON.stringify(h)).join(', ')}`,
      { path: 'label' },
    );
  }
  return j;
}

function toNumber(cell: string, where: string, path: string): number {
  if (NUMBER.test(cell)) {
    const v = Number(cell);
    if (Number.isFinite(v)) return v;
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `${where}: "${cell}" overflows float64; values must be finite`,
      {
        path,
      },
    );
  }
  if (NON_FINITE.test(cell)) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `${where}: "${cell}" is not finite; values must be finite numbers`,
      {
        path,
      },
    );
  }
  throw new ImplicitBiasError(
    'INVALID_DATA',
    cell === ''
      ? `${where} is empty; every cell needs a number`
      : `${where}: "${cell}" is not a number`,
    { path },
  );
}

import { ImplicitBiasError } from '@implicit-bias/core';
import { z } from 'zod';
import { describe } from './checks.js';
import type { Dataset } from './dataset.js';
import type { LoadOptions } from './load-options.js';
import { checkTask, checkUnderdetermined } from './validate.js';

const schema = z.object({
  X: z.array(z.array(z.number())).min(1),
  y: z.array(z.number()),
});

function jsonPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path)
    s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s === '' ? '(root)' : s;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * Parse user data from JSON text `{ "X": number[][], "y": number[] }` (rows of X are samples).
 * Validation errors name the JSON path (`X[3][1]`, 0-based) and the input `path`
 * (default `'data.json'`); every problem with the data is INVALID_DATA: malformed JSON, missing
 * fields, non-numbers, overflowing numbers, ragged rows, a y of the wrong length (and labels
 * other than ±1 with `task: 'classification'`, and n ≥ d with `underdetermined: true`).
 */
export function parseJsonData(text: string, options: LoadOptions = {}): Dataset {
  const path = options.path ?? 'data.json';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `is not valid JSON (${(e as Error).message}); expected { "X": number[][], "y": number[] }`,
      { path, cause: e },
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = jsonPath(issue.path);
    const value = valueAt(raw, issue.path);
    const more =
      parsed.error.issues.length > 1
        ? ` (and ${parsed.error.issues.length - 1} more problems)`
        : '';
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `${where} is ${String(value)} (the number overflows float64); every value must be finite${more}`,
        { path },
      );
    }
    const msg =
      issue.code === 'too_small'
        ? 'X needs at least one row'
        : value === undefined
          ? `${where} is missing; expected { "X": number[][], "y": number[] }`
          : `${where}: expected ${issue.code === 'invalid_type' ? issue.expected : 'a valid value'}, got ${describe(value)}`;
    throw new ImplicitBiasError('INVALID_DATA', `${msg}${more}`, { path });
  }
  const { X: rows, y } = parsed.data;
  const d = rows[0]!.length;
  if (d === 0) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      'X[0] is empty; every sample needs at least one feature',
      { path },
    );
  }
  const n = rows.length;
  const data = new Float64Array(n * d);
  rows.forEach((r, i) => {
    if (r.length !== d) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `X[${i}] has ${r.length} entries but X[0] has ${d}; every row of X needs the same length`,
        { path },
      );
    }
    data.set(r, i * d);
  });
  if (y.length !== n) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `y has ${y.length} entries but X has ${n} rows; give one target per row of X`,
      { path },
    );
  }
  const task = options.task ?? 'regression';
  checkTask(y, task, path, (i) => `y[${i}]`);
  checkUnderdetermined(n, d, options.underdetermined ?? false, path);
  return {
    task,
    X: { rows: n, cols: d, data },
    y: Float64Array.from(y),
    meta: {
      name: options.name ?? path,
      n,
      d,
      source: options.source ?? path,
      ...(options.license !== undefined ? { license: options.license } : {}),
      description: options.description ?? `User data loaded from JSON (${path}).`,
    },
  };
}

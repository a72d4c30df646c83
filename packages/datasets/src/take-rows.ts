import { ImplicitBiasError } from '@implicit-bias/core';
import type { Dataset } from './dataset.js';

/**
 * The first `n` samples of a data set (e.g. to make a real data set underdetermined, n < d).
 * Metadata is kept, with `n` updated and the row count noted in the description.
 */
export function takeRows(dataset: Dataset, n: number): Dataset {
  const total = dataset.X.rows;
  if (!Number.isInteger(n) || n < 1 || n > total) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer between 1 and ${total} (the rows of "${dataset.meta.name}"), got ${String(n)}`,
      { path: 'n' },
    );
  }
  const d = dataset.X.cols;
  return {
    task: dataset.task,
    X: { rows: n, cols: d, data: dataset.X.data.slice(0, n * d) },
    y: dataset.y.slice(0, n),
    meta: {
      ...dataset.meta,
      n,
      description: `${dataset.meta.description} First ${n} of ${total} rows.`,
    },
  };
}

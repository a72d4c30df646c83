import { ImplicitBiasError } from '@implicit-bias/core';
import type { HostMatrix } from '@implicit-bias/core';
import type { Dataset, DatasetMeta, Task } from './dataset.js';

/** Requirements checked by {@link makeDataset} and the loaders. */
export interface DatasetRequirements {
  /** `'classification'` requires every label to be exactly +1 or −1. Default `'regression'`. */
  readonly task?: Task;
  /** Require n < d (fewer samples than features), the setting of the paper's regression. */
  readonly underdetermined?: boolean;
  /** Name of the input for error messages (a file name or `'dataset'`). */
  readonly path?: string;
}

/**
 * Build a {@link Dataset} from a matrix and targets, checking that shapes agree, every value
 * is finite, classification labels are ±1, and n < d when `underdetermined` is set.
 * Every failure is INVALID_DATA naming the offending row (0-based) and the input `path`.
 */
export function makeDataset(
  X: HostMatrix,
  y: Float64Array,
  meta: Omit<DatasetMeta, 'n' | 'd'>,
  req: DatasetRequirements = {},
): Dataset {
  const path = req.path ?? 'dataset';
  const task = req.task ?? 'regression';
  const { rows: n, cols: d } = X;
  if (X.data.length !== n * d) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `X claims ${n}×${d} but holds ${X.data.length} entries`,
      { path },
    );
  }
  if (y.length !== n) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `y has ${y.length} entries but X has ${n} rows; give one target per sample`,
      { path },
    );
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = X.data[i * d + j]!;
      if (!Number.isFinite(v)) {
        throw new ImplicitBiasError(
          'INVALID_DATA',
          `X row ${i}, column ${j} is ${String(v)}; every feature must be a finite number`,
          { path },
        );
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `y row ${i} is ${String(v)}; every target must be a finite number`,
        { path },
      );
    }
  }
  checkTask(y, task, path, (i) => `y row ${i}`);
  checkUnderdetermined(n, d, req.underdetermined ?? false, path);
  return { task, X, y, meta: { ...meta, n, d } };
}

/** Throw INVALID_DATA naming the row unless every label is ±1 (classification only). */
export function checkTask(
  y: ArrayLike<number>,
  task: Task,
  path: string,
  where: (i: number) => string,
): void {
  if (task !== 'classification') return;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (v !== 1 && v !== -1) {
      throw new ImplicitBiasError(
        'INVALID_DATA',
        `${where(i)}: label ${String(v)} is not +1 or -1; classification labels must be ` +
          `exactly ±1 (map your two classes to +1 and -1)`,
        { path },
      );
    }
  }
}

/** Throw INVALID_DATA naming n and d when `required` and n ≥ d. */
export function checkUnderdetermined(n: number, d: number, required: boolean, path: string): void {
  if (required && n >= d) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `underdetermined data needs fewer samples than features, but n = ${n} ≥ d = ${d}; ` +
        `keep at most d − 1 = ${d - 1} samples (e.g. takeRows(dataset, ${d - 1})), add ` +
        `features, or drop underdetermined: true`,
      { path, data: { n, d } },
    );
  }
}

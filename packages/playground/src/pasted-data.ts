import { isImplicitBiasError } from '@implicit-bias/core';
import { parseCsvData } from '@implicit-bias/datasets';
import type { Dataset, Task } from '@implicit-bias/datasets';

/** Outcome of reading data pasted into the playground: a dataset, or an inline error. */
export type PastedData =
  | { readonly ok: true; readonly dataset: Dataset }
  | {
      readonly ok: false;
      /** One line for the inline error box, naming the row and column. */
      readonly message: string;
      /** 1-based data row at fault, when the problem is in one row. */
      readonly row: number | undefined;
    };

/**
 * Parse CSV pasted by a user (last column is the label). Never throws: problems come back as an
 * inline message naming the row, so the page shows them next to the text box.
 */
export function readPastedData(text: string, task: Task): PastedData {
  if (text.trim() === '')
    return { ok: false, message: 'paste CSV rows: features..., label', row: undefined };
  try {
    return { ok: true, dataset: parseCsvData(text, { task, path: 'pasted data' }) };
  } catch (e) {
    if (!isImplicitBiasError(e)) throw e;
    const m = /row (\d+)/.exec(e.message);
    return { ok: false, message: e.message, row: m ? Number(m[1]) : undefined };
  }
}

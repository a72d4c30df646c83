import type { DatasetRequirements } from './validate.js';

/** Options shared by the JSON and CSV parsers and file loaders. */
export interface LoadOptions extends DatasetRequirements {
  /** Name recorded in `meta.name` (default: the `path`). */
  readonly name?: string;
  /** Provenance recorded in `meta.source`. */
  readonly source?: string;
  /** License recorded in `meta.license`. */
  readonly license?: string;
  /** Description recorded in `meta.description`. */
  readonly description?: string;
}

/** Options of the CSV parser and loader. */
export interface CsvOptions extends LoadOptions {
  /**
   * The label column: its header name, or its 0-based index (negative counts from the end).
   * Default: the last column. Every other column is a feature.
   */
  readonly label?: string | number;
  /** Whether the first row is a header; `'auto'` (default) when any of its cells is not a number. */
  readonly header?: boolean | 'auto';
  /** Field delimiter (default `','`). */
  readonly delimiter?: string;
}

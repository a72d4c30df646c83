import { ImplicitBiasError } from '@implicit-bias/core';
import type { Dataset } from './dataset.js';
import type { CsvOptions, LoadOptions } from './load-options.js';
import { parseCsvData } from './parse-csv.js';
import { parseJsonData } from './parse-json.js';

// node:fs is imported lazily so that bundling this package for a browser never needs it.
async function readText(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new ImplicitBiasError('INVALID_DATA', `cannot be read (${(e as Error).message})`, {
      path: file,
      cause: e,
    });
  }
}

/**
 * Read and validate a JSON data file `{ "X": number[][], "y": number[] }` (Node.js only).
 * Errors name the file; see `parseJsonData` for the checks.
 */
export async function loadJsonFile(file: string, options: LoadOptions = {}): Promise<Dataset> {
  return parseJsonData(await readText(file), { path: file, ...options });
}

/**
 * Read and validate a CSV data file (Node.js only). Errors name the file, row, line and
 * column; see `parseCsvData` for the options and checks.
 */
export async function loadCsvFile(file: string, options: CsvOptions = {}): Promise<Dataset> {
  return parseCsvData(await readText(file), { path: file, ...options });
}

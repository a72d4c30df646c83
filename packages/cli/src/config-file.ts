import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ImplicitBiasError } from '@implicit-bias/core';
import { parseRunConfig } from '@implicit-bias/experiments';
import type { RunConfig } from '@implicit-bias/experiments';

/** A validated config and the directory its relative data paths resolve against. */
export interface LoadedConfig {
  readonly config: RunConfig;
  readonly file: string;
  readonly baseDir: string;
}

/**
 * Read and parse a JSON file given on the command line; an unreadable file or invalid JSON is
 * `INVALID_CONFIG` naming the option (`--config`, `--spec`) and the file.
 *
 * @param what how messages name the file, e.g. `'the config file'`
 */
export function readJsonFile(
  path: string,
  cwd: string,
  what: string,
  option: string,
): { json: unknown; file: string } {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `cannot read ${what} '${path}' (${(e as Error).message})`,
      { path: option },
    );
  }
  try {
    return { json: JSON.parse(text) as unknown, file };
  } catch (e) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `'${path}' is not valid JSON (${(e as Error).message})`,
      { path: option },
    );
  }
}

/** Read, parse and validate a run config file; every problem is `INVALID_CONFIG` naming where. */
export function readConfigFile(path: string, cwd: string): LoadedConfig {
  const { json, file } = readJsonFile(path, cwd, 'the config file', '--config');
  return { config: parseRunConfig(json), file, baseDir: dirname(file) };
}

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

/** Read, parse and validate a run config file; every problem is `INVALID_CONFIG` naming where. */
export function readConfigFile(path: string, cwd: string): LoadedConfig {
  const file = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `cannot read the config file '${path}' (${(e as Error).message})`,
      {
        path: '--config',
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `'${path}' is not valid JSON (${(e as Error).message})`,
      {
        path: '--config',
      },
    );
  }
  return { config: parseRunConfig(json), file, baseDir: dirname(file) };
}

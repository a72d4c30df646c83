import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ImplicitBiasError, isImplicitBiasError } from '@implicit-bias/core';
import { parseJson, prepareRun, stringifyJson, writeFileAtomic } from '@implicit-bias/experiments';
import type { PreparedRun, RunConfig } from '@implicit-bias/experiments';
import { readConfigFile } from './config-file.js';
import { onFile, UsageError } from './errors.js';
import type { CliIo } from './io.js';

/** A run config with everything it names: data, network, initial parameters. */
export interface RunInputs {
  /** The validated config. */
  readonly config: RunConfig;
  /** The data set (loaded or generated). */
  readonly data: PreparedRun['data'];
  /** The network. */
  readonly net: PreparedRun['network'];
  /** Initial parameters, one array per layer. */
  readonly init: Float64Array[];
  /** Absolute paths of the files read: the config, and the data file when there is one. */
  readonly files: readonly string[];
}

/**
 * Read a config and everything it names. Any problem (unreadable or invalid config, missing,
 * ragged, non-finite or mismatched data, bad network or init) is a {@link UsageError}: exit 2.
 */
export async function loadInputs(io: CliIo, configPath: string): Promise<RunInputs> {
  try {
    const { config, file, baseDir } = readConfigFile(configPath, io.cwd);
    const { data, network: net, init } = await prepareRun(config, baseDir);
    const files = 'file' in config.data ? [file, resolve(baseDir, config.data.file)] : [file];
    return { config, data, net, init, files };
  } catch (e) {
    if (isImplicitBiasError(e)) throw new UsageError(e);
    throw e;
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function refuse(option: string, message: string): never {
  throw new UsageError(new ImplicitBiasError('INVALID_CONFIG', message, { path: option }));
}

/** True when `file` holds a result of `train`, `compare` or `predict` (so it may be replaced). */
function isPreviousResult(file: string): boolean {
  try {
    const r = parseJson(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return false;
    const trained =
      typeof r['status'] === 'string' && Array.isArray(r['beta']) && Array.isArray(r['params']);
    return trained || (Object.keys(r).length === 1 && 'prediction' in r);
  } catch {
    return false;
  }
}

/**
 * Check an output path before any work: it must not be one of the inputs (compared by real path,
 * so links and `./` spellings count), nor another output, nor a directory; an existing file is
 * replaced only when it is a previous result of `train`/`compare`, or with `--force`.
 *
 * @returns the absolute path
 */
export function checkOutput(
  io: CliIo,
  option: string,
  path: string,
  inputs: readonly string[],
  o: { force?: boolean; kind: 'result' | 'checkpoint' },
): string {
  const abs = resolve(io.cwd, path);
  const real = realOrSelf(abs);
  if (inputs.some((f) => realOrSelf(f) === real))
    refuse(option, `'${path}' is an input of this run; write the ${o.kind} to another file`);
  if (!existsSync(abs)) return abs;
  if (statSync(abs).isDirectory())
    refuse(option, `'${path}' is a directory; give a file path, e.g. ${path}/result.json`);
  if (o.kind === 'result' && !o.force && !isPreviousResult(abs))
    refuse(
      option,
      `'${path}' exists and is not a result of implicit-bias train/compare/predict; ` +
        `pass --force to overwrite it, or choose another file`,
    );
  return abs;
}

/**
 * Write a JSON result to `out` (atomically) or stdout. Non-finite numbers are written as the
 * strings `"Infinity"`, `"-Infinity"`, `"NaN"`. A failed write is a `FileSystemError` (exit 3).
 */
export function writeResult(io: CliIo, value: unknown, out: string | undefined): void {
  const text = stringifyJson(value, 2) + '\n';
  if (out === undefined) io.stdout(text);
  else onFile('write', out, () => writeFileAtomic(resolve(io.cwd, out), text));
}

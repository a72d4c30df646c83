import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { FlowCheckpoint } from '@implicit-bias/flow';
import { parseJson, stringifyJson } from './json-text.js';
import { writeFileAtomic } from './point-store.js';

/** Wall-clock milliseconds between checkpoint writes of a running run. */
export const DEFAULT_CHECKPOINT_MS = 2000;

/** The `format` of a training checkpoint file's header line. */
export const TRAIN_CHECKPOINT_FORMAT = 'implicit-bias/train-checkpoint';
/** The version of the training checkpoint file format. */
export const TRAIN_CHECKPOINT_VERSION = 2;

/** Loss and margin history at saved points (the `history` of a training result). */
export interface TrainHistory {
  /** Times. */
  time: number[];
  /** Losses 𝓛. */
  loss: number[];
  /** `log 𝓛`. */
  logLoss: number[];
  /** Margins. */
  margin: number[];
  /** Normalized margins. */
  normalizedMargin: number[];
}

/**
 * An exact reduced flow at one of its reported points. Each reporting interval restarts the
 * integrator from the state reached, so resuming from here follows the uninterrupted run bit for bit.
 */
export interface ExactCheckpoint {
  /** The reduced state (the scaled dual, n numbers). */
  readonly state: number[];
  /** Time reached. */
  readonly t: number;
  /** Index of the next reported time. */
  readonly k: number;
  /** Mean step of the last interval (the next interval's first step). */
  readonly meanStep: number;
  /** Consecutive reported points without change. */
  readonly still: number;
  /** Work so far. */
  readonly total: {
    /** Accepted steps. */
    readonly accepted: number;
    /** Rejected steps. */
    readonly rejected: number;
    /** Field evaluations. */
    readonly fieldEvals: number;
    /** Jacobian (Gram) evaluations. */
    readonly jacobianEvals: number;
  };
  /** Largest invariant drift so far. */
  readonly drift: {
    /** Of the layer-norm invariants. */
    readonly layerNorm: number;
    /** Of the odeco invariants. */
    readonly odeco: number;
  };
}

/** The backend a checkpoint was written on; a run resumes only on the same one. */
export interface CheckpointBackend {
  /** Backend id (`cpu`, `wasm`, …). */
  readonly id: string;
  /** Its floating-point precision. */
  readonly precision: string;
}

/**
 * What a training checkpoint holds: the run's key (config, data and init), the backend, and
 * either the integrator state with the history so far (`running`) or the finished result
 * (`finished`, kept until the result is safely written elsewhere).
 */
export type TrainCheckpointBody<R> =
  | {
      /** The run's key (`runKey`: config, data and init). */
      readonly key: string;
      /** The backend that wrote it. */
      readonly backend: CheckpointBackend;
      /** The run is under way. */
      readonly state: 'running';
      /** The integrator state, for `startFlow(problem, options, { from })`. */
      readonly flow: FlowCheckpoint;
      /** The history saved so far (before thinning). */
      readonly history: TrainHistory;
    }
  | {
      /** The run's key (`runKey`: config, data and init). */
      readonly key: string;
      /** The backend that wrote it. */
      readonly backend: CheckpointBackend;
      /** An exact reduced flow (`flow.method: 'exact'`) is under way. */
      readonly state: 'running-exact';
      /** Where it stands at its last reported point. */
      readonly exact: ExactCheckpoint;
      /** The history saved so far (before thinning). */
      readonly history: TrainHistory;
    }
  | {
      /** The run's key (`runKey`: config, data and init). */
      readonly key: string;
      /** The backend that wrote it. */
      readonly backend: CheckpointBackend;
      /** The run finished; the result is kept until it is written elsewhere. */
      readonly state: 'finished';
      /** The finished result. */
      readonly result: R;
    };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Write a checkpoint atomically: a header line `{ format, version, sha256 }` and then the body,
 * whose SHA-256 the header holds (non-finite numbers written as strings, so they round-trip).
 */
export function writeTrainCheckpoint<R>(file: string, body: TrainCheckpointBody<R>): void {
  const text = stringifyJson(body);
  const header = JSON.stringify({
    format: TRAIN_CHECKPOINT_FORMAT,
    version: TRAIN_CHECKPOINT_VERSION,
    sha256: sha256(text),
  });
  writeFileAtomic(file, `${header}\n${text}`);
}

/**
 * Read the checkpoint of the run `key` on `backend`. Returns `undefined` when there is none or it
 * belongs to another run (another config, data or init: it will be overwritten). Throws
 * `INVALID_DATA` naming the file when it is truncated, altered or of another format, and
 * `INVALID_CONFIG` when it was written on another backend or precision.
 *
 * @param restartHint how the caller starts over, for the messages (e.g. `pass --restart`)
 */
export function readTrainCheckpoint<R>(
  file: string,
  key: string,
  backend: CheckpointBackend,
  restartHint = 'delete it to start over',
): TrainCheckpointBody<R> | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const newline = text.indexOf('\n');
  const corrupt = (why: string): never => {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `checkpoint ${file} is unusable (${why}); ${restartHint}`,
      { path: file },
    );
  };
  let header: { format?: unknown; version?: unknown; sha256?: unknown } = {};
  try {
    header = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as typeof header;
  } catch {
    corrupt('its header line is not JSON');
  }
  if (header === null || typeof header !== 'object' || header.format !== TRAIN_CHECKPOINT_FORMAT)
    corrupt(`not a ${TRAIN_CHECKPOINT_FORMAT} file`);
  if (header.version !== TRAIN_CHECKPOINT_VERSION)
    corrupt(
      `format version ${String(header.version)}, this version reads ${TRAIN_CHECKPOINT_VERSION}`,
    );
  const bodyText = newline < 0 ? '' : text.slice(newline + 1);
  if (sha256(bodyText) !== header.sha256)
    corrupt('its checksum does not match: the file is truncated or was altered');
  const body = parseJson(bodyText) as TrainCheckpointBody<R>;
  if (body.key !== key) return undefined;
  if (body.backend.id !== backend.id || body.backend.precision !== backend.precision) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `checkpoint ${file} was written on backend '${body.backend.id}' (${body.backend.precision}) ` +
        `but this run uses '${backend.id}' (${backend.precision}); resume on '${body.backend.id}', ` +
        `or ${restartHint}`,
      { path: file },
    );
  }
  return body;
}

/**
 * Remove the temporary files a crashed writer of `file` left behind (`<file>.<anything>.tmp`),
 * except those of a live process whose id is in the name.
 */
export function removeStaleTemps(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove a checkpoint and its stale temporary files (after its result is safely written). */
export function removeTrainCheckpoint(file: string): void {
  rmSync(file, { force: true });
  removeStaleTemps(file);
}

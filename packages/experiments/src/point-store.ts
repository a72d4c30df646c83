import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ImplicitBiasError } from '@implicit-bias/core';

/** A finished grid point: its id, its parameters and its measured metrics. */
export interface PointResult {
  /** Id of the experiment the point belongs to. */
  readonly experiment: string;
  /** Id of the point, derived from its parameters (`pointId`). */
  readonly id: string;
  /** Id of the backend the point ran on (`cpu`, `tfjs-cpu`, …). */
  readonly backend?: string;
  /** Precision of that backend (`float64`, `float32`). */
  readonly precision?: string;
  /** The grid parameters of the point. */
  readonly params: Readonly<Record<string, number | string>>;
  /** What the point's run measured (`null` where a metric does not apply). */
  readonly metrics: Readonly<Record<string, number | string | null>>;
  /** Wall time of the point in milliseconds. */
  readonly wallMs: number;
}

/** Which backend a point store holds the points of. */
export interface PointStoreKey {
  /** Backend id (`cpu`, `tfjs-cpu`, …). */
  readonly backend: string;
  /** Backend precision (`float64`, `float32`). */
  readonly precision: string;
}

const SAFE = /^[A-Za-z0-9._=-]+$/;

function checkedName(what: string, v: string): string {
  if (!SAFE.test(v) || v === '.' || v === '..') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `${what} '${v}' may only contain letters, digits, '.', '_', '=', '-'`,
      { path: what },
    );
  }
  return v;
}

/**
 * Write a file atomically and safely: a crash leaves either the old or the new content, never
 * half. The text goes to a new temporary file in the same directory, created exclusively
 * (`O_CREAT | O_EXCL`, so an existing file or symlink at that name is never followed or
 * overwritten) under an unpredictable name, synced to disk, and renamed over `path`. On any
 * failure the temporary file is removed, `path` keeps its old content, and the error (with the
 * file-system `code`, e.g. `EISDIR`, `ENOSPC`) says which file could not be written.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    created = true;
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    created = false;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (created) rmSync(tmp, { force: true });
    throw writeError(path, e);
  }
}

function writeError(path: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'EISDIR' || err.code === 'ENOTEMPTY'
      ? 'it is a directory'
      : err.code === 'ENOENT'
        ? 'its directory does not exist'
        : err.code === 'ENOSPC'
          ? 'the disk is full'
          : err.code === 'EACCES' || err.code === 'EPERM'
            ? 'permission denied'
            : (err.message ?? String(e));
  // keep the file-system code so callers can map it to an exit code
  return Object.assign(new Error(`cannot write ${path}: ${why}`), {
    ...(err.code !== undefined ? { code: err.code } : {}),
    ...(err.syscall !== undefined ? { syscall: err.syscall } : {}),
    path,
  });
}

/**
 * One JSON file per finished point under `DIR/points/<backend>-<precision>/<experiment>/`. Each
 * file is written atomically when its point finishes, so an interrupted run loses at most the
 * points in flight and a rerun on the same backend skips what is done; points of another
 * backend or precision are never reused.
 */
export class PointStore {
  private readonly dir: string;
  /** The backend and precision this store's points belong to. */
  readonly key: PointStoreKey;

  constructor(outDir: string, key: PointStoreKey) {
    this.key = key;
    this.dir = join(
      outDir,
      'points',
      `${checkedName('backend', key.backend)}-${checkedName('precision', key.precision)}`,
    );
    mkdirSync(this.dir, { recursive: true });
  }

  /** The directory of an experiment's points. */
  experimentDir(experiment: string): string {
    return join(this.dir, checkedName('experiment', experiment));
  }

  private file(experiment: string, id: string): string {
    return join(this.experimentDir(experiment), `${checkedName('point id', id)}.json`);
  }

  /** The stored result of a point, if it finished in an earlier run on this backend. */
  get(experiment: string, id: string): PointResult | undefined {
    const f = this.file(experiment, id);
    if (!existsSync(f)) return undefined;
    let r: PointResult;
    try {
      r = JSON.parse(readFileSync(f, 'utf8')) as PointResult;
    } catch {
      return undefined; // unreadable file (should not happen with atomic writes): recompute
    }
    if (r.backend !== this.key.backend || r.precision !== this.key.precision) return undefined;
    return r;
  }

  /** Record a finished point (labelled with this store's backend and precision). */
  put(result: PointResult): void {
    const f = this.file(result.experiment, result.id);
    mkdirSync(this.experimentDir(result.experiment), { recursive: true });
    const labelled: PointResult = {
      ...result,
      backend: this.key.backend,
      precision: this.key.precision,
    };
    writeFileAtomic(f, JSON.stringify(labelled, null, 1) + '\n');
  }

  /** Every stored point of an experiment, sorted by id. */
  all(experiment: string): PointResult[] {
    const d = this.experimentDir(experiment);
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .sort()
      .map((f) => this.get(experiment, f.slice(0, -5)))
      .filter((r): r is PointResult => r !== undefined);
  }
}

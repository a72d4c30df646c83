import type { ImplicitBiasError } from '@implicit-bias/core';

/** Bad input found while reading a command's config and data: exit code 2 (usage). */
export class UsageError extends Error {
  /** The library error, whose message names the field or file. */
  readonly error: ImplicitBiasError;

  constructor(error: ImplicitBiasError) {
    super(error.message, { cause: error });
    this.name = 'UsageError';
    this.error = error;
  }
}

/**
 * A Node.js error from the file system (`ENOENT`, `EISDIR`, `EACCES`, `ENOSPC`, …): it has a
 * string `code` and `syscall` (checked by shape: such errors may come from another realm).
 */
export function isErrnoError(e: unknown): e is NodeJS.ErrnoException {
  if (e === null || typeof e !== 'object') return false;
  const x = e as NodeJS.ErrnoException;
  return typeof x.code === 'string' && typeof x.syscall === 'string';
}

const PHRASES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
};

/** A short phrase for a file-system error code (`EISDIR` → `is a directory`). */
export function fsPhrase(e: NodeJS.ErrnoException): string {
  return (e.code !== undefined ? PHRASES[e.code] : undefined) ?? e.message;
}

/** A file the command could not read or write: exit code 3, one line naming the file. */
export class FileSystemError extends Error {
  /** The underlying Node.js error. */
  readonly error: NodeJS.ErrnoException;

  /**
   * @param action what failed, e.g. `write`
   * @param file the path as the user gave it
   */
  constructor(action: string, file: string, error: NodeJS.ErrnoException) {
    super(`cannot ${action} ${file}: ${fsPhrase(error)}`, { cause: error });
    this.name = 'FileSystemError';
    this.error = error;
  }
}

/** Run `fn`; a file-system error becomes a {@link FileSystemError} naming `file`. */
export function onFile<T>(action: string, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isErrnoError(e)) throw new FileSystemError(action, file, e);
    throw e;
  }
}

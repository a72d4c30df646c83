import { ImplicitBiasError } from '@implicit-bias/core';

/** Throw INVALID_CONFIG naming `path` unless `v` is an integer ≥ `min`. */
export function checkInt(v: unknown, path: string, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer ≥ ${min}, got ${describe(v)}`,
      { path },
    );
  }
  return v;
}

/** Throw INVALID_CONFIG naming `path` unless `v` is a finite number ≥ 0. */
export function checkNonNegative(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a finite number ≥ 0, got ${describe(v)}`,
      { path },
    );
  }
  return v;
}

/** Throw INVALID_CONFIG naming `path` unless `v` is an integer seed in [0, 2^32 − 1]. */
export function checkSeed(v: unknown, path = 'seed'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer in [0, 2^32 - 1], got ${describe(v)}`,
      { path },
    );
  }
  return v;
}

/** A short printable description of any value, for error messages. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null)
    return String(v);
  if (Array.isArray(v)) return 'an array';
  return `a value of type ${typeof v}`;
}

import type { Arr } from '@implicit-bias/backend';
import { ImplicitBiasError, assertFinite, formatShape } from '@implicit-bias/core';

/** Throw `INVALID_CONFIG` at `path` unless `v` is an integer ≥ `min`. */
export function checkInt(v: unknown, min: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be an integer ≥ ${min}, got ${JSON.stringify(v) ?? String(v)}`,
      { path },
    );
  }
  return v;
}

/** Validate host parameters against the sizes `k_l` (count, lengths, finiteness). */
export function checkHostParams(params: readonly Float64Array[], sizes: readonly number[]): void {
  if (!Array.isArray(params) || params.length !== sizes.length) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected ${sizes.length} parameter vectors (one per layer), got ${Array.isArray(params) ? params.length : typeof params}`,
      { path: 'params' },
    );
  }
  for (let l = 0; l < sizes.length; l++) {
    const p = params[l]!;
    if (p.length !== sizes[l]) {
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `layer ${l} needs ${sizes[l]} entries, got ${p.length}`,
        { path: `params[${l}]` },
      );
    }
    assertFinite(p, `params[${l}]`);
  }
}

/** Validate a host input vector of length `d`. */
export function checkHostVector(x: Float64Array, d: number, path: string): void {
  if (x.length !== d) {
    throw new ImplicitBiasError('SHAPE_MISMATCH', `expected length ${d}, got ${x.length}`, {
      path,
    });
  }
  assertFinite(x, path);
}

/** Validate backend parameters `[B, k_l]`; returns the batch size B. */
export function checkParams(params: readonly Arr[], sizes: readonly number[]): number {
  if (params.length !== sizes.length) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected ${sizes.length} parameter arrays (one per layer), got ${params.length}`,
      { path: 'params' },
    );
  }
  let batch = -1;
  for (let l = 0; l < sizes.length; l++) {
    const s = params[l]!.shape;
    if (s.length !== 2 || s[1] !== sizes[l] || (batch >= 0 && s[0] !== batch)) {
      const b = batch >= 0 ? String(batch) : 'B';
      throw new ImplicitBiasError(
        'SHAPE_MISMATCH',
        `expected shape [${b}, ${sizes[l]}], got ${formatShape(s)}`,
        { path: `params[${l}]` },
      );
    }
    batch = s[0]!;
  }
  return batch;
}

/** Validate data `X` of shape `[n, d]` or `[B, n, d]`; returns n. */
export function checkX(X: Arr, batch: number, d: number): number {
  const s = X.shape;
  const ok = (s.length === 2 && s[1] === d) || (s.length === 3 && s[0] === batch && s[2] === d);
  if (!ok) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected shape [n, ${d}] or [${batch}, n, ${d}], got ${formatShape(s)}`,
      { path: 'X' },
    );
  }
  return s[s.length - 2]!;
}

/** Validate residuals `r` of shape `[B, n]`. */
export function checkR(r: Arr, batch: number, n: number): void {
  const s = r.shape;
  if (s.length !== 2 || s[0] !== batch || s[1] !== n) {
    throw new ImplicitBiasError(
      'SHAPE_MISMATCH',
      `expected shape [${batch}, ${n}], got ${formatShape(s)}`,
      { path: 'r' },
    );
  }
}

/** Throw `SHAPE_MISMATCH` at `path` unless `open` is −1 or a layer index. */
export function checkOpen(open: number, depth: number): void {
  if (!Number.isInteger(open) || open < -1 || open >= depth) {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be −1 (full contraction) or a layer index in [0, ${depth - 1}], got ${open}`,
      { path: 'open' },
    );
  }
}

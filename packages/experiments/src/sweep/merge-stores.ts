import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, rmSync } from 'node:fs';
import { ImplicitBiasError } from '@implicit-bias/core';
import { basename } from 'node:path';
import { SweepStore } from './store.js';
import type { StoreMeta, SweepRecord } from './store.js';

/** The runs of several stores of one sweep, checked to be disjoint. */
export interface CollectedStores {
  /** The combined meta data (`shards`: every shard the inputs hold, sorted). */
  readonly meta: StoreMeta;
  /** Every run of every input, in sweep order. */
  readonly records: SweepRecord[];
}

/**
 * Read several stores of one sweep together, refusing (`INVALID_DATA`) inputs of different
 * sweeps or shard counts and overlapping inputs (a shard given twice, or a run in two inputs).
 * Opens the inputs read-only.
 */
export function collectStores(inputs: readonly string[]): CollectedStores {
  if (inputs.length === 0)
    throw new ImplicitBiasError('INVALID_CONFIG', 'give at least one store', { path: 'stores' });
  const stores: SweepStore[] = [];
  try {
    for (const f of inputs) stores.push(SweepStore.open(f, { readonly: true }));
    const first = stores[0]!;
    const shardOwner = new Map<number, string>();
    const runOwner = new Map<string, string>();
    const records: SweepRecord[] = [];
    for (const s of stores) {
      if (s.meta.sweepHash !== first.meta.sweepHash || s.meta.shardCount !== first.meta.shardCount)
        throw new ImplicitBiasError(
          'INVALID_DATA',
          `belongs to sweep '${s.meta.sweep}' (${s.meta.sweepHash}, ${s.meta.shardCount} shards) but ${basename(first.file)} to '${first.meta.sweep}' (${first.meta.sweepHash}, ${first.meta.shardCount} shards); combine only shards of one sweep run with the same spec and shard count`,
          { path: s.file },
        );
      for (const i of s.meta.shards) {
        const prev = shardOwner.get(i);
        if (prev !== undefined)
          throw new ImplicitBiasError(
            'INVALID_DATA',
            `overlapping stores: shard ${i}/${s.meta.shardCount} is in both ${prev} and ${s.file}; give each shard once`,
            { path: s.file },
          );
        shardOwner.set(i, s.file);
      }
      for (const r of s.all()) {
        const prev = runOwner.get(r.id);
        if (prev !== undefined)
          throw new ImplicitBiasError(
            'INVALID_DATA',
            `overlapping stores: run ${r.id} is in both ${prev} and ${s.file}; give each shard once`,
            { path: s.file },
          );
        runOwner.set(r.id, s.file);
        records.push(r);
      }
    }
    records.sort((a, b) => a.index - b.index || (a.id < b.id ? -1 : 1));
    return {
      meta: { ...first.meta, shards: [...shardOwner.keys()].sort((a, b) => a - b) },
      records,
    };
  } finally {
    for (const s of stores) s.close();
  }
}

/**
 * Merge shard stores into a new store `out`. Refused, writing nothing, when `out` exists or
 * the inputs cannot be combined ({@link collectStores}: different sweeps, or overlapping
 * inputs). The result is built in a temporary file and renamed into place (atomic).
 */
export function mergeStores(inputs: readonly string[], out: string): StoreMeta {
  if (existsSync(out))
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'the merged store exists already; choose a new --out file or delete it',
      { path: out },
    );
  const { meta, records } = collectStores(inputs);
  const tmp = `${out}.${randomBytes(8).toString('hex')}.merge`;
  try {
    const merged = SweepStore.create(tmp, meta);
    try {
      merged.putAll(records);
    } finally {
      merged.close();
    }
    try {
      linkSync(tmp, out); // never replaces a file that appeared meanwhile
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new ImplicitBiasError(
          'INVALID_CONFIG',
          'the merged store exists already; choose a new --out file or delete it',
          { path: out },
        );
      throw e;
    }
  } finally {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  }
  return meta;
}

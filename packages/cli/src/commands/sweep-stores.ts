import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImplicitBiasError } from '@implicit-bias/core';
import {
  collectStores,
  isStale,
  listClaims,
  mergeStores,
  renderSweepReport,
  SweepStore,
  toCsv,
  toJsonLines,
  writeFileAtomic,
} from '@implicit-bias/experiments';
import type { CliIo } from '../io.js';

/** Options of `implicit-bias sweep status`. */
export interface SweepStatusOptions {
  /** A store directory (every `*.sqlite` in it) or file. */
  readonly store: string;
  /** Print JSON instead of lines. */
  readonly json?: boolean;
}

/** Options of `implicit-bias sweep merge`. */
export interface SweepMergeOptions {
  /** The merged store file (default `DIR/merged.sqlite` when merging a directory). */
  readonly out?: string;
}

/** Options of `implicit-bias sweep report`. */
export interface SweepReportOptions {
  /** A store file or directory. */
  readonly store: string;
  /** Output directory for `report.html` and `figures/`. */
  readonly out: string;
}

/** Options of `implicit-bias sweep export`. */
export interface SweepExportOptions {
  /** A store file or directory. */
  readonly store: string;
  /** `jsonl` or `csv`. */
  readonly format: string;
  /** Write here instead of stdout. */
  readonly out?: string;
}

const SHARD_FILE = /^shard-([0-9]+)-of-([0-9]+)\.sqlite$/;

/**
 * The store files a `--store` argument names: a file itself; for a directory, its
 * `merged.sqlite` if present, else its `sweep.sqlite`, else all its `shard-i-of-N.sqlite`.
 */
export function storeFilesOf(path: string): string[] {
  if (!existsSync(path))
    throw new ImplicitBiasError('INVALID_CONFIG', 'no such store file or directory', { path });
  if (!statSync(path).isDirectory()) return [path];
  for (const name of ['merged.sqlite', 'sweep.sqlite'])
    if (existsSync(join(path, name))) return [join(path, name)];
  const shards = readdirSync(path)
    .filter((f) => SHARD_FILE.test(f))
    .sort((a, b) => Number(SHARD_FILE.exec(a)![1]) - Number(SHARD_FILE.exec(b)![1]))
    .map((f) => join(path, f));
  if (shards.length === 0)
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'holds no sweep store (merged.sqlite, sweep.sqlite or shard-i-of-N.sqlite); run `implicit-bias sweep run` first',
      { path },
    );
  return shards;
}

/** `implicit-bias sweep status --store DIR|FILE [--json]`. */
export function sweepStatusCommand(io: CliIo, o: SweepStatusOptions): number {
  const path = resolve(io.cwd, o.store);
  const files = statSync(path, { throwIfNoEntry: false })?.isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.sqlite'))
        .sort()
        .map((f) => join(path, f))
    : storeFilesOf(path);
  const stores = files.map((file) => {
    const s = SweepStore.open(file, { readonly: true });
    try {
      return { file, meta: s.meta, ...s.counts() };
    } finally {
      s.close();
    }
  });
  if (stores.length === 0)
    throw new ImplicitBiasError('INVALID_CONFIG', 'holds no sweep store (*.sqlite)', { path });
  if (o.json) {
    io.stdout(
      JSON.stringify(
        stores.map((s) => ({
          file: s.file,
          sweep: s.meta.sweep,
          sweepHash: s.meta.sweepHash,
          totalRuns: s.meta.totalRuns,
          shardCount: s.meta.shardCount,
          shards: s.meta.shards,
          done: s.done,
          failed: s.failed,
        })),
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const s of stores) {
      const expected = s.meta.shards.reduce(
        (n, i) =>
          n +
          Math.floor(s.meta.totalRuns / s.meta.shardCount) +
          (i < s.meta.totalRuns % s.meta.shardCount ? 1 : 0),
        0,
      );
      io.stdout(
        `${s.file}: sweep ${s.meta.sweep} (${s.meta.sweepHash}), shards ${s.meta.shards.join(',')} of ${s.meta.shardCount}: ${s.done + s.failed}/${expected} runs stored (${s.done} done, ${s.failed} failed)\n`,
      );
    }
  }
  return stores.every((s) => s.failed === 0) ? 0 : 1;
}

/** `implicit-bias sweep merge STORE... [--out FILE]`: shard stores into one new store. */
export function sweepMergeCommand(
  io: CliIo,
  inputs: readonly string[],
  o: SweepMergeOptions,
): number {
  if (inputs.length === 0)
    throw new ImplicitBiasError('INVALID_CONFIG', 'give the shard stores (files or a directory)', {
      path: 'stores',
    });
  const files: string[] = [];
  let defaultOut: string | undefined;
  for (const i of inputs) {
    const p = resolve(io.cwd, i);
    if (statSync(p, { throwIfNoEntry: false })?.isDirectory()) {
      const shards = readdirSync(p)
        .filter((f) => SHARD_FILE.test(f))
        .map((f) => join(p, f));
      if (shards.length === 0)
        throw new ImplicitBiasError('INVALID_CONFIG', 'holds no shard-i-of-N.sqlite stores', {
          path: i,
        });
      files.push(...shards);
      defaultOut ??= join(p, 'merged.sqlite');
    } else files.push(p);
  }
  const out = o.out !== undefined ? resolve(io.cwd, o.out) : defaultOut;
  if (out === undefined)
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      'name the merged store, e.g. --out merged.sqlite',
      {
        path: '--out',
      },
    );
  const meta = mergeStores(files, out);
  for (const f of files) {
    const claimed = listClaims(f).filter((c) => !isStale(c));
    if (claimed.length > 0)
      io.stderr(
        `sweep merge: ${claimed.length} runs of ${f} are still being run (claimed by pid ${[...new Set(claimed.map((c) => `${c.pid} on ${c.host}`))].join(', ')}); they are not in the merge; merge again when they are stored\n`,
      );
  }
  const s = SweepStore.open(out, { readonly: true });
  const c = s.counts();
  s.close();
  const missing = meta.shardCount - meta.shards.length;
  io.stderr(
    `sweep merge: ${files.length} stores → ${out}: ${c.done + c.failed}/${meta.totalRuns} runs (${c.failed} failed)` +
      (missing > 0 ? `; ${missing} of ${meta.shardCount} shards are not in it yet` : '') +
      '\n',
  );
  io.stdout(
    JSON.stringify({
      out,
      runs: c.done + c.failed,
      failed: c.failed,
      totalRuns: meta.totalRuns,
      shards: meta.shards,
    }) + '\n',
  );
  return 0;
}

/** `implicit-bias sweep report --store DIR|FILE --out DIR`: report.html and figures/*.svg. */
export async function sweepReportCommand(io: CliIo, o: SweepReportOptions): Promise<number> {
  const { meta, records } = collectStores(storeFilesOf(resolve(io.cwd, o.store)));
  const outDir = resolve(io.cwd, o.out);
  const report = await renderSweepReport(meta, records, {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  });
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  for (const f of report.figures) writeFileAtomic(join(outDir, 'figures', `${f.id}.svg`), f.svg);
  writeFileAtomic(join(outDir, 'report.html'), report.html);
  io.stderr(
    `sweep report: ${records.length}/${meta.totalRuns} runs, ${report.figures.length} figures → ${join(outDir, 'report.html')}\n`,
  );
  io.stdout(
    JSON.stringify({
      report: join(outDir, 'report.html'),
      figures: report.figures.map((f) => join(outDir, 'figures', `${f.id}.svg`)),
      runs: records.length,
    }) + '\n',
  );
  return 0;
}

/** `implicit-bias sweep export --store DIR|FILE --format jsonl|csv [--out FILE]`. */
export function sweepExportCommand(io: CliIo, o: SweepExportOptions): number {
  if (o.format !== 'jsonl' && o.format !== 'csv')
    throw new ImplicitBiasError('INVALID_CONFIG', `must be 'jsonl' or 'csv', got '${o.format}'`, {
      path: '--format',
    });
  const { records } = collectStores(storeFilesOf(resolve(io.cwd, o.store)));
  const text = o.format === 'csv' ? toCsv(records) : toJsonLines(records);
  if (o.out === undefined) io.stdout(text);
  else writeFileAtomic(resolve(io.cwd, o.out), text);
  return 0;
}

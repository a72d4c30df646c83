import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ImplicitBiasError } from '@implicit-bias/core';
import type { RunConfig } from '../run-config.js';
import type { RunOutcome, RunSummary, RunTimings } from './execute.js';
import type { SweepRun, SweepValue } from './spec.js';

/** `PRAGMA application_id` of a sweep store: the ASCII bytes `IBSW` (implicit-bias sweep). */
export const STORE_APPLICATION_ID = 0x49425357;
/** `PRAGMA user_version` of the store schema this version writes and reads. */
export const STORE_SCHEMA_VERSION = 1;

/** What a store was made for: its sweep and (for a shard) its slice. */
export interface StoreMeta {
  /** The sweep's name. */
  readonly sweep: string;
  /** Hash of the sweep's run ids ({@link sweepHashOf}); stores of different sweeps never mix. */
  readonly sweepHash: string;
  /** The sweep spec as JSON text (for reports and `sweep status`). */
  readonly spec: string;
  /** Number of runs in the whole sweep. */
  readonly totalRuns: number;
  /** Number of shards the sweep was cut into (1 when unsharded). */
  readonly shardCount: number;
  /** The shard indices whose runs this store holds (`[i]` for a shard, all of them merged). */
  readonly shards: readonly number[];
}

/** One stored run: its identity, config, outcome and timings. */
export interface SweepRecord {
  /** The run's stable id (hash of its config). */
  readonly id: string;
  /** Its position in the sweep's expansion order. */
  readonly index: number;
  /** The resolved run config. */
  readonly config: RunConfig;
  /** The overrides (dotted path → value) that made this run. */
  readonly overrides: Readonly<Record<string, SweepValue>>;
  /** `done` or `failed`. */
  readonly status: 'done' | 'failed';
  /** The judged metrics (null when failed). */
  readonly summary: RunSummary | null;
  /** Final parameters, one array per layer (null when failed). */
  readonly params: number[][] | null;
  /** Why the run failed (null when done). */
  readonly error: string | null;
  /** Wall-clock timings (not part of the results). */
  readonly timings: RunTimings;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  idx INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
  config TEXT NOT NULL,
  overrides TEXT NOT NULL,
  summary TEXT,
  params TEXT,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  train_ms REAL NOT NULL,
  judge_ms REAL NOT NULL,
  total_ms REAL NOT NULL
) STRICT;
`;

const bad = (file: string, why: string, fix: string): ImplicitBiasError =>
  new ImplicitBiasError('INVALID_DATA', `${why}; ${fix}`, { path: file });

/**
 * Check a file is a sweep store of this schema by reading its 100-byte SQLite header only
 * (magic, `user_version`, `application_id`), so a foreign or corrupt file is refused before
 * SQLite opens it and nothing about it changes.
 */
export function checkStoreHeader(file: string): void {
  const size = statSync(file).size;
  const fix = 'point --store at a sweep store (or a new path) and leave this file alone';
  if (size < 100) throw bad(file, `not a sweep store (${size} bytes, too short for SQLite)`, fix);
  const head = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 16) !== SQLITE_MAGIC)
    throw bad(file, 'not a sweep store (not an SQLite database: corrupt or foreign file)', fix);
  const app = head.readUInt32BE(68);
  if (app !== STORE_APPLICATION_ID)
    throw bad(
      file,
      `not a sweep store (an SQLite database with application_id 0x${app.toString(16).padStart(8, '0')}, expected 0x${STORE_APPLICATION_ID.toString(16)})`,
      fix,
    );
  const version = head.readUInt32BE(60);
  if (version !== STORE_SCHEMA_VERSION)
    throw bad(
      file,
      `sweep store schema v${version} is not v${STORE_SCHEMA_VERSION}`,
      version > STORE_SCHEMA_VERSION
        ? 'upgrade implicit-bias to read it'
        : 'it is damaged; restore it from a copy',
    );
}

function sqliteError(file: string, e: unknown): ImplicitBiasError {
  const msg = (e instanceof Error ? e.message : String(e))
    .replace(/\*\*\* in database main \*\*\*\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
  return bad(
    file,
    `corrupt sweep store (SQLite: ${msg})`,
    'restore it from a copy or run the shard again into a new store',
  );
}

/**
 * A crash-safe result store of a sweep: one SQLite file (better-sqlite3, WAL journal) with one
 * transaction per finished run, so a killed process loses at most the runs in flight.
 *
 * Durability: `synchronous=FULL`. In WAL mode `NORMAL` already survives a killed process, but a
 * power cut or node failure could roll back the last commits; `FULL` syncs the WAL at each commit
 * so every run reported done is on disk. A commit per run (runs take seconds) makes the cost of
 * that fsync negligible, and on shared cluster file systems a lost commit would cost a whole run.
 */
export class SweepStore {
  /** The store file. */
  readonly file: string;
  /** What the store was made for. */
  readonly meta: StoreMeta;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertNew: Database.Statement;

  private constructor(file: string, db: Database.Database, meta: StoreMeta) {
    this.file = file;
    this.db = db;
    this.meta = meta;
    const columns = `runs (id, idx, status, config, overrides, summary, params, error,
         started_at, finished_at, train_ms, judge_ms, total_ms)
       VALUES (@id, @idx, @status, @config, @overrides, @summary, @params, @error,
         @started_at, @finished_at, @train_ms, @judge_ms, @total_ms)`;
    this.insert = db.prepare(`INSERT INTO ${columns}`);
    this.insertNew = db.prepare(`INSERT INTO ${columns} ON CONFLICT (id) DO NOTHING`);
  }

  /**
   * Create a new store at `file` (it must not exist). The file is built under a temporary name
   * and renamed into place, so a crash never leaves a half-initialized store behind.
   */
  static create(file: string, meta: StoreMeta): SweepStore {
    if (existsSync(file))
      throw new ImplicitBiasError('INVALID_CONFIG', 'exists already; choose a new file', {
        path: file,
      });
    const tmp = `${file}.${randomBytes(8).toString('hex')}.init`;
    try {
      const db = new Database(tmp);
      try {
        // set in rollback-journal mode, so the header in the main file carries them at once
        db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
        db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        db.exec(SCHEMA);
        const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
        db.transaction(() => {
          for (const [k, v] of Object.entries(meta)) put.run(k, JSON.stringify(v));
        })();
      } finally {
        db.close();
      }
      // link, not rename: when another process created the store meanwhile, theirs stays
      // (a rename would replace the file under their open handle and lose their runs)
      linkSync(tmp, file);
    } finally {
      for (const f of [tmp, `${tmp}-journal`]) rmSync(f, { force: true });
    }
    return SweepStore.open(file);
  }

  /**
   * Open the store at `file`, creating it with `meta` when missing. Safe when several
   * processes start on one new store at once: one creates it, the others open that one.
   */
  static openOrCreate(file: string, meta: StoreMeta): SweepStore {
    if (existsSync(file)) return SweepStore.open(file);
    try {
      return SweepStore.create(file, meta);
    } catch (e) {
      // another process created it between the check and the link: use theirs
      if (existsSync(file)) return SweepStore.open(file);
      throw e;
    }
  }

  /**
   * Open an existing store. A file that is not a sweep store of this schema (foreign, corrupt,
   * truncated) is refused with `INVALID_DATA` before anything writes to it. With `readonly`,
   * the handle only reads (`query_only`), for status, reports, exports and merge inputs.
   */
  static open(file: string, options: { readonly readonly?: boolean } = {}): SweepStore {
    if (!existsSync(file))
      throw new ImplicitBiasError('INVALID_CONFIG', 'no such sweep store', { path: file });
    checkStoreHeader(file);
    let db: Database.Database | undefined;
    try {
      // A read-write connection even to read: a read-only one cannot remove the -wal and -shm
      // files it creates, while the last connection to close removes them. Nothing is written
      // before the integrity check and the tables are known good (setting WAL on a store that
      // is in WAL mode already changes nothing).
      db = new Database(file, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
      const meta = readMeta(file, db);
      if (options.readonly) {
        db.pragma('query_only = ON');
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      return new SweepStore(file, db, meta);
    } catch (e) {
      db?.close();
      if (e instanceof ImplicitBiasError) throw e;
      throw sqliteError(file, e);
    }
  }

  /** Whether a run is stored (done or failed). */
  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined;
  }

  /** Ids of every stored run (done or failed). */
  ids(): Set<string> {
    return new Set(
      (this.db.prepare('SELECT id FROM runs').all() as { id: string }[]).map((r) => r.id),
    );
  }

  /** Number of stored runs by status. */
  counts(): {
    /** Runs that trained and were judged. */
    done: number;
    /** Runs that failed. */
    failed: number;
  } {
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status')
      .all() as { status: string; n: number }[];
    return {
      done: rows.find((r) => r.status === 'done')?.n ?? 0,
      failed: rows.find((r) => r.status === 'failed')?.n ?? 0,
    };
  }

  /**
   * Record a finished run in its own transaction (committed and synced before returning).
   * Returns false, storing nothing, when the run is stored already: another process running
   * the same shard (a requeued job whose first copy still runs) stored it first, and since a
   * run's results depend only on its config, the stored record is the same.
   */
  put(run: SweepRun, outcome: RunOutcome): boolean {
    const row = toRow(toRecord(run, outcome));
    return this.db.transaction(() => this.insertNew.run(row).changes === 1)();
  }

  /** Record several runs in one transaction (all or none). Throws on a run id already stored. */
  putAll(records: readonly SweepRecord[]): void {
    this.db.transaction(() => {
      for (const r of records) {
        try {
          this.insert.run(toRow(r));
        } catch (e) {
          if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
            throw new ImplicitBiasError('INVALID_DATA', `run ${r.id} is stored already`, {
              path: this.file,
            });
          throw e;
        }
      }
    })();
  }

  /** Every stored run, in sweep order. */
  all(): SweepRecord[] {
    return (this.db.prepare('SELECT * FROM runs ORDER BY idx, id').all() as Row[]).map(fromRow);
  }

  /** Remove failed runs so that the next `sweep run` retries them; returns how many. */
  forgetFailed(): number {
    return this.db.prepare("DELETE FROM runs WHERE status = 'failed'").run().changes;
  }

  /** Close the store (checkpoints the WAL into the main file). */
  close(): void {
    this.db.close();
  }
}

interface Row {
  id: string;
  idx: number;
  status: 'done' | 'failed';
  config: string;
  overrides: string;
  summary: string | null;
  params: string | null;
  error: string | null;
  started_at: string;
  finished_at: string;
  train_ms: number;
  judge_ms: number;
  total_ms: number;
}

function readMeta(file: string, db: Database.Database): StoreMeta {
  let rows: { key: string; value: string }[];
  try {
    rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    db.prepare(
      'SELECT id, idx, status, config, overrides, summary, params, error, started_at, finished_at, train_ms, judge_ms, total_ms FROM runs LIMIT 0',
    ).all();
  } catch (e) {
    throw sqliteError(file, e);
  }
  const m = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  for (const k of ['sweep', 'sweepHash', 'spec', 'totalRuns', 'shardCount', 'shards'])
    if (!(k in m)) throw sqliteError(file, new Error(`meta field '${k}' is missing`));
  return m as unknown as StoreMeta;
}

/** The record of a run and its outcome. */
export function toRecord(run: SweepRun, o: RunOutcome): SweepRecord {
  return {
    id: run.id,
    index: run.index,
    config: run.config,
    overrides: run.overrides,
    status: o.status,
    summary: o.summary,
    params: o.params,
    error: o.error,
    timings: o.timings,
  };
}

function toRow(r: SweepRecord): Row {
  return {
    id: r.id,
    idx: r.index,
    status: r.status,
    config: JSON.stringify(r.config),
    overrides: JSON.stringify(r.overrides),
    summary: r.summary === null ? null : JSON.stringify(r.summary),
    params: r.params === null ? null : JSON.stringify(r.params),
    error: r.error,
    started_at: r.timings.startedAt,
    finished_at: r.timings.finishedAt,
    train_ms: r.timings.trainMs,
    judge_ms: r.timings.judgeMs,
    total_ms: r.timings.totalMs,
  };
}

function fromRow(r: Row): SweepRecord {
  return {
    id: r.id,
    index: r.idx,
    config: JSON.parse(r.config) as RunConfig,
    overrides: JSON.parse(r.overrides) as Record<string, SweepValue>,
    status: r.status,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as RunSummary),
    params: r.params === null ? null : (JSON.parse(r.params) as number[][]),
    error: r.error,
    timings: {
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      trainMs: r.train_ms,
      judgeMs: r.judge_ms,
      totalMs: r.total_ms,
    },
  };
}

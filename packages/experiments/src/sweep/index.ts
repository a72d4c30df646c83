/**
 * Sweeps at scale: declarative grids of run configs, a crash-safe SQLite result store, a
 * worker pool, and deterministic shards for cluster schedulers.
 *
 * @module
 */
export {
  sweepSpecSchema,
  parseSweepSpec,
  expandSweep,
  canonicalJson,
  runIdOf,
  sweepHashOf,
} from './spec.js';
export type { SweepSpec, SweepRun, SweepValue } from './spec.js';
export { executeRun } from './execute.js';
export { RunClaims, listClaims, claimsDirOf, isStale } from './claims.js';
export type { ClaimInfo, ClaimResult } from './claims.js';
export type { ExecuteRunInput, PluginRef, RunOutcome, RunSummary, RunTimings } from './execute.js';
export {
  SweepStore,
  STORE_APPLICATION_ID,
  STORE_SCHEMA_VERSION,
  checkStoreHeader,
  toRecord,
} from './store.js';
export type { StoreMeta, SweepRecord } from './store.js';
export { collectStores, mergeStores } from './merge-stores.js';
export type { CollectedStores } from './merge-stores.js';
export { toJsonLines, toCsv } from './export-records.js';
export { parseShard, shardFromEnv, shardRuns, storeFileName } from './shard.js';
export type { Shard } from './shard.js';
export { runSweep, defaultWorkerFile, openShardStore, storeMetaFor } from './run-sweep.js';
export type { RunSweepOptions, SweepRunResult, SweepProgress } from './run-sweep.js';
export { renderSweepReport, sweepFigures, sweepRow, variedFields } from './sweep-report.js';
export type { SweepReport } from './sweep-report.js';

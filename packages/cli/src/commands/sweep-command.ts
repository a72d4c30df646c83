import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { sweepRunCommand } from './sweep-run.js';
import type { SweepRunOptions } from './sweep-run.js';
import {
  sweepExportCommand,
  sweepMergeCommand,
  sweepReportCommand,
  sweepStatusCommand,
} from './sweep-stores.js';
import type {
  SweepExportOptions,
  SweepMergeOptions,
  SweepReportOptions,
  SweepStatusOptions,
} from './sweep-stores.js';

/** Register `implicit-bias sweep run|status|merge|report|export` on the program. */
export function registerSweepCommand(
  program: Command,
  io: CliIo,
  setCode: (code: number) => void,
): void {
  const sweep = program
    .command('sweep')
    .description(
      'run a grid of run configs on a worker pool or as cluster shards, into a crash-safe SQLite store',
    );

  sweep
    .command('run')
    .description(
      'run a sweep (or one shard) into DIR; finished runs are kept, so rerunning resumes',
    )
    .requiredOption('--spec <file>', 'sweep spec (JSON): base run config + grid and/or list')
    .requiredOption('--store <dir>', 'directory of the store files')
    .option(
      '--shard <i/N>',
      'run shard i of N (0-based); default: SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX',
    )
    .option('--completions <n>', 'Kubernetes Indexed Job completions (with JOB_COMPLETION_INDEX)')
    .option('--workers <n>', 'worker threads (default: one per core; 0: in the main thread)')
    .option('--retry-failed', 'run the stored failed runs again')
    .action(async (opts: SweepRunOptions) => {
      setCode(await sweepRunCommand(io, opts));
    });

  sweep
    .command('status')
    .description('runs stored per store file (every *.sqlite in DIR)')
    .requiredOption('--store <dir|file>', 'store directory or file')
    .option('--json', 'print JSON')
    .action((opts: SweepStatusOptions) => {
      setCode(sweepStatusCommand(io, opts));
    });

  sweep
    .command('merge')
    .description(
      'merge shard stores into one new store (refuses overlapping shards; writes nothing then)',
    )
    .argument('<stores...>', 'shard store files, or directories of shard-i-of-N.sqlite files')
    .option('--out <file>', 'the merged store (default: DIR/merged.sqlite for a directory)')
    .action((stores: string[], opts: SweepMergeOptions) => {
      setCode(sweepMergeCommand(io, stores, opts));
    });

  sweep
    .command('report')
    .description('write OUT/report.html and OUT/figures/*.svg from a store')
    .requiredOption('--store <dir|file>', 'store file, or directory (merged, unsharded or shards)')
    .option('--out <dir>', 'output directory', 'sweep-report')
    .action(async (opts: SweepReportOptions) => {
      setCode(await sweepReportCommand(io, opts));
    });

  sweep
    .command('export')
    .description('export the stored runs as JSON Lines or CSV (stdout or --out)')
    .requiredOption('--store <dir|file>', 'store file, or directory (merged, unsharded or shards)')
    .option('--format <jsonl|csv>', 'jsonl (complete records) or csv (one row per run)', 'jsonl')
    .option('--out <file>', 'write here instead of stdout')
    .action((opts: SweepExportOptions) => {
      setCode(sweepExportCommand(io, opts));
    });
}

import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { isImplicitBiasError } from '@implicit-bias/core';
import { backendsCommand } from './commands/backends.js';
import { trainCommand } from './commands/train.js';
import { compareCommand, predictCommand } from './commands/compare.js';
import { reproduceCommand } from './commands/reproduce.js';
import type { ReproduceOptions } from './commands/reproduce.js';
import type { TrainCommandOptions } from './commands/train.js';
import { registerSweepCommand } from './commands/sweep-command.js';
import { FileSystemError, fsPhrase, isErrnoError, UsageError } from './errors.js';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';

export { EXIT };

/** The version of this command (from its package.json). */
export const VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;

/**
 * Run the `implicit-bias` command line with `argv` (without the node and script entries) and
 * return the exit code. Errors print one line naming the field and the fix.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('implicit-bias')
    .description(
      'Train linear tensor networks by gradient flow and compare with the predicted limits.',
    )
    .version(VERSION, '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run implicit-bias --help for usage)');

  program
    .command('backends')
    .description(
      'list compute backends with availability, precision and the reason when unavailable',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      code = await backendsCommand(io, opts);
    });

  program
    .command('train')
    .description('train one run config by gradient flow; JSON result on stdout or in --out')
    .requiredOption('--config <file>', 'run config (JSON)')
    .option('--out <file>', 'write the JSON result here instead of stdout')
    .option('--backend <id>', "override the config's backend (cpu, tfjs-cpu, wasm, …)")
    .option(
      '--checkpoint <file>',
      'checkpoint to resume from and save to (default: <out or config>.checkpoint.json)',
    )
    .option(
      '--method <name>',
      "override the config's flow.method: auto, exact (odeco regression), dopri5, radau5, rodas4, rk4, gd",
    )
    .option('--restart', 'ignore an existing checkpoint and start over')
    .option('--force', 'overwrite an existing --out file that is not a previous result')
    .action(async (opts: TrainCommandOptions) => {
      code = await trainCommand(io, opts);
    });

  program
    .command('predict')
    .description(
      "the theory's predicted limit for a run config (no training); JSON on stdout or in --out",
    )
    .requiredOption('--config <file>', 'run config (JSON)')
    .option('--out <file>', 'write the JSON here instead of stdout')
    .option('--force', 'overwrite an existing --out file that is not a previous result')
    .action(async (opts: { config: string; out?: string; force?: boolean }) => {
      code = await predictCommand(io, opts);
    });

  program
    .command('compare')
    .description(
      'train, predict, and report the distance and certificates; JSON on stdout or in --out',
    )
    .requiredOption('--config <file>', 'run config (JSON)')
    .option('--out <file>', 'write the JSON result here instead of stdout')
    .option('--backend <id>', "override the config's backend")
    .option(
      '--checkpoint <file>',
      'checkpoint to resume from and save to (default: <out or config>.checkpoint.json)',
    )
    .option(
      '--method <name>',
      "override the config's flow.method: auto, exact (odeco regression), dopri5, radau5, rodas4, rk4, gd",
    )
    .option('--restart', 'ignore an existing checkpoint and start over')
    .option('--force', 'overwrite an existing --out file that is not a previous result')
    .action(async (opts: TrainCommandOptions) => {
      code = await compareCommand(io, opts);
    });

  program
    .command('reproduce')
    .description(
      "run the paper's experiment suite and write DIR/report.html, DIR/results.json, DIR/figures/*.svg",
    )
    .option('--quick', 'the small grids (default; a few minutes on 2 cores)')
    .option('--full', 'the complete grids')
    .option('--backend <id>', 'backend for every run (default cpu)')
    .option('--out <dir>', 'output directory', 'out')
    .option('--only <ids>', 'comma-separated experiment ids to run')
    .action(async (opts: ReproduceOptions) => {
      code = await reproduceCommand(io, opts);
    });

  registerSweepCommand(program, io, (c) => (code = c));

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    return report(e, io);
  }
}

/** Print one line for an error and return its exit code (a stack trace only for a bug). */
function report(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (e instanceof UsageError) {
    io.stderr(`implicit-bias: ${e.message}\n`);
    return EXIT.usage;
  }
  if (e instanceof FileSystemError) {
    io.stderr(`implicit-bias: ${e.message}\n`);
    return EXIT.fileSystem;
  }
  if (isImplicitBiasError(e)) {
    io.stderr(`implicit-bias: ${e.message}\n`);
    return e.code === 'INVALID_CONFIG' ||
      e.code === 'INVALID_DATA' ||
      e.code === 'BACKEND_UNAVAILABLE'
      ? EXIT.usage
      : EXIT.failed;
  }
  if (isErrnoError(e) && e.syscall !== undefined) {
    const where = e.path !== undefined ? ` ${e.path}` : '';
    io.stderr(`implicit-bias: cannot ${e.syscall}${where}: ${fsPhrase(e)}\n`);
    return EXIT.fileSystem;
  }
  io.stderr(
    `implicit-bias: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return EXIT.failed;
}

import { selectBackend } from '@implicit-bias/backend';
import { ImplicitBiasError, isImplicitBiasError } from '@implicit-bias/core';
import {
  parseRunConfig,
  removeTrainCheckpoint,
  runTraining,
  usesExactMethod,
} from '@implicit-bias/experiments';
import type { TrainOutcome, TrainResult } from '@implicit-bias/experiments';
import { resolve } from 'node:path';
import { FileSystemError, UsageError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { listenForInterrupt } from '../interrupt.js';
import { cliPlugins } from '../plugins.js';
import { checkOutput, loadInputs, writeResult } from '../run-files.js';
import type { RunInputs } from '../run-files.js';

/** Options of `implicit-bias train` and `compare`. */
export interface TrainCommandOptions {
  /** The run config file. */
  readonly config: string;
  /** Where the JSON result goes (default stdout). */
  readonly out?: string;
  /** Backend id overriding the config's. */
  readonly backend?: string;
  /** Flow method overriding the config's `flow.method` (`auto`, `exact`, `dopri5`, …). */
  readonly method?: string;
  /** Checkpoint file (default `<out or config>.checkpoint.json`). */
  readonly checkpoint?: string;
  /** Ignore an existing checkpoint and start over. */
  readonly restart?: boolean;
  /** Overwrite an existing `--out` file that is not a previous result. */
  readonly force?: boolean;
}

/** Where a run's checkpoint lives: `--checkpoint`, else beside the output, else beside the config. */
export function checkpointPath(io: CliIo, o: TrainCommandOptions): string {
  return resolve(io.cwd, o.checkpoint ?? `${o.out ?? o.config}.checkpoint.json`);
}

/** A run ready to train: its inputs, checked output path and checkpoint file. */
export interface PreparedRun {
  /** Config, data, network, init. */
  readonly inputs: RunInputs;
  /** The checkpoint file (absolute). */
  readonly checkpoint: string;
}

/**
 * The inputs with `--method` in place of the config's `flow.method`, validated like the config
 * (an unknown name, or `exact` where the exact reduced flow does not apply, is exit 2 naming
 * `--method`).
 */
function withMethod(inputs: RunInputs, method: string | undefined): RunInputs {
  if (method === undefined) return inputs;
  try {
    const config = parseRunConfig({ ...inputs.config, flow: { ...inputs.config.flow, method } });
    usesExactMethod(config, inputs.net);
    return { ...inputs, config };
  } catch (e) {
    if (!isImplicitBiasError(e)) throw e;
    const bare = e.path !== undefined ? e.message.replace(`${e.path}: `, '') : e.message;
    throw new UsageError(new ImplicitBiasError(e.code, bare, { path: '--method', cause: e }));
  }
}

/** Read the inputs and check `--out` and the checkpoint path before any work (exit 2 when bad). */
export async function prepareRun(io: CliIo, o: TrainCommandOptions): Promise<PreparedRun> {
  const inputs = withMethod(await loadInputs(io, o.config), o.method);
  const out =
    o.out === undefined
      ? undefined
      : checkOutput(io, '--out', o.out, inputs.files, {
          kind: 'result',
          ...(o.force !== undefined ? { force: o.force } : {}),
        });
  const checkpoint = checkOutput(
    io,
    '--checkpoint',
    checkpointPath(io, o),
    [...inputs.files, ...(out !== undefined ? [out] : [])],
    { kind: 'checkpoint' },
  );
  return { inputs, checkpoint };
}

/**
 * Train a prepared run, resumably: resumes from its checkpoint, stops at the next chunk on
 * SIGINT/SIGTERM keeping the checkpoint. Returns the outcome and the exit code of a stop.
 */
export async function trainPrepared(
  io: CliIo,
  o: TrainCommandOptions,
  run: PreparedRun,
): Promise<{ outcome: TrainOutcome; stopCode: number }> {
  const { config, net, data, init } = run.inputs;
  const backend = await selectBackend(o.backend ?? config.backend, {
    plugins: cliPlugins(),
    env: io.env,
  });
  const interrupt = listenForInterrupt((signal) =>
    io.stderr(`implicit-bias: ${signal}: stopping after the current step chunk…\n`),
  );
  try {
    let last = 0;
    const outcome = await runTraining(config, net, data, init, {
      backend,
      checkpointFile: run.checkpoint,
      ...(o.restart ? { restart: true } : {}),
      restartHint: 'pass --restart to start over (or delete the file)',
      shouldStop: interrupt.requested,
      onResume: ({ steps, time, finished }) =>
        io.stderr(
          finished
            ? `implicit-bias: ${run.checkpoint} holds the finished run; writing its result without training\n`
            : `implicit-bias: resuming from ${run.checkpoint} at step ${steps}, t = ${time.toExponential(3)}\n`,
        ),
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 2000) return;
        last = now;
        io.stderr(
          `  t = ${p.time.toExponential(3)}, log-loss = ${p.logLoss.toFixed(3)}, steps = ${p.steps}\n`,
        );
      },
    });
    return { outcome, stopCode: interrupt.exitCode() };
  } finally {
    interrupt.dispose();
    await backend.close();
  }
}

/** Print what an interrupted run kept and how to resume; returns the exit code (130 or 143). */
export function reportInterrupted(
  io: CliIo,
  outcome: Extract<TrainOutcome, { kind: 'interrupted' }>,
  stopCode: number,
): number {
  io.stderr(
    `implicit-bias: interrupted after ${outcome.steps} steps (t = ${outcome.time.toExponential(3)}); ` +
      `the work is kept in ${outcome.checkpointFile ?? '(no checkpoint)'}; rerun the same command to resume\n`,
  );
  return stopCode;
}

/**
 * Write a finished result, then remove the checkpoint. When the write fails the checkpoint (which
 * holds the finished run) stays and the message says how to write it elsewhere: exit 3.
 */
export function writeThenRelease(
  io: CliIo,
  o: TrainCommandOptions,
  checkpoint: string,
  value: unknown,
): number {
  try {
    writeResult(io, value, o.out);
  } catch (e) {
    if (!(e instanceof FileSystemError)) throw e;
    io.stderr(
      `implicit-bias: ${e.message}\nimplicit-bias: the finished run is kept in ${checkpoint}; ` +
        `rerun with --out <another file> --checkpoint ${checkpoint} to write it without training again\n`,
    );
    return EXIT.fileSystem;
  }
  try {
    removeTrainCheckpoint(checkpoint);
  } catch (e) {
    io.stderr(`implicit-bias: warning: could not remove ${checkpoint} (${(e as Error).message})\n`);
  }
  return EXIT.ok;
}

/** One line for a status other than `converged`: the status, what stopped it, and its message. */
export function statusLine(command: string, r: TrainResult): string {
  return `${command}: ${r.status} (stopped by ${r.stoppedBy}): ${r.message ?? 'no message'}\n`;
}

/** `implicit-bias train --config run.json [--out result.json]`. */
export async function trainCommand(io: CliIo, o: TrainCommandOptions): Promise<number> {
  const run = await prepareRun(io, o);
  const { outcome, stopCode } = await trainPrepared(io, o, run);
  if (outcome.kind === 'interrupted') return reportInterrupted(io, outcome, stopCode);
  const result = outcome.result;
  const written = writeThenRelease(io, o, run.checkpoint, result);
  if (written !== EXIT.ok) return written;
  io.stderr(
    `train: ${result.status} (stopped by ${result.stoppedBy}) after ${result.steps} steps, ` +
      `t = ${result.time.toExponential(3)}, loss = ${result.loss.toExponential(3)}\n`,
  );
  if (result.status === 'converged') return EXIT.ok;
  io.stderr(statusLine('train', result));
  return EXIT.failed;
}

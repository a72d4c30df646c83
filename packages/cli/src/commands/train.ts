import { selectBackend } from '@implicit-bias/backend';
import {
  buildNetwork,
  initialParams,
  loadRunData,
  trainRun,
  writeFileAtomic,
} from '@implicit-bias/experiments';
import type { TrainResult } from '@implicit-bias/experiments';
import { resolve } from 'node:path';
import { readConfigFile } from '../config-file.js';
import type { CliIo } from '../io.js';
import { listenForInterrupt } from '../interrupt.js';
import { cliPlugins } from '../plugins.js';

/** Options of `implicit-bias train`. */
export interface TrainCommandOptions {
  readonly config: string;
  readonly out?: string;
  readonly backend?: string;
}

/** Where a run's checkpoint lives: beside the output, or beside the config. */
export function checkpointPath(io: CliIo, o: { config: string; out?: string }): string {
  return resolve(io.cwd, `${o.out ?? o.config}.checkpoint.json`);
}

/** Write a JSON result to `--out` (atomically) or stdout. */
export function emitJson(io: CliIo, value: unknown, out: string | undefined): void {
  const text = JSON.stringify(value, null, 2) + '\n';
  if (out === undefined) io.stdout(text);
  else writeFileAtomic(resolve(io.cwd, out), text);
}

/** Train a config; returns the result, or undefined when interrupted (checkpoint kept). */
export async function trainFromConfig(
  io: CliIo,
  o: TrainCommandOptions,
): Promise<TrainResult | undefined> {
  const { config, baseDir } = readConfigFile(o.config, io.cwd);
  const data = await loadRunData(config, baseDir);
  const net = buildNetwork(config, data.X.cols);
  const init = initialParams(config, net);
  const backend = await selectBackend(o.backend ?? config.backend, {
    plugins: cliPlugins(),
    env: io.env,
  });
  const interrupt = listenForInterrupt(() =>
    io.stderr('implicit-bias: stopping at the next checkpoint…\n'),
  );
  try {
    let last = 0;
    return await trainRun(config, net, data, init, {
      backend,
      checkpointFile: checkpointPath(io, o),
      shouldStop: interrupt.requested,
      onProgress: (p) => {
        const now = Date.now();
        if (now - last < 2000) return;
        last = now;
        io.stderr(
          `  t = ${p.time.toExponential(3)}, log-loss = ${p.logLoss.toFixed(3)}, steps = ${p.steps}\n`,
        );
      },
    });
  } finally {
    interrupt.dispose();
    await backend.close();
  }
}

/** `implicit-bias train --config run.json [--out result.json]`. */
export async function trainCommand(io: CliIo, o: TrainCommandOptions): Promise<number> {
  const result = await trainFromConfig(io, o);
  if (result === undefined) {
    io.stderr(
      `implicit-bias: interrupted; progress saved to ${checkpointPath(io, o)}; rerun the same command to resume\n`,
    );
    return 130;
  }
  emitJson(io, result, o.out);
  io.stderr(
    `train: ${result.status} (stopped by ${result.stoppedBy}) after ${result.steps} steps, ` +
      `t = ${result.time.toExponential(3)}, loss = ${result.loss.toExponential(3)}\n`,
  );
  return result.status === 'converged' ? 0 : 1;
}

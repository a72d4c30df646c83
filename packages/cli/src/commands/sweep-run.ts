import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SingleBar, Presets } from 'cli-progress';
import { BACKEND_ENV_VAR, KNOWN_BACKENDS } from '@implicit-bias/backend';
import { ImplicitBiasError } from '@implicit-bias/core';
import {
  expandSweep,
  parseShard,
  parseSweepSpec,
  runSweep,
  shardFromEnv,
} from '@implicit-bias/experiments';
import type { PluginRef, Shard, SweepProgress, SweepSpec } from '@implicit-bias/experiments';
import type { CliIo } from '../io.js';
import { readJsonFile } from '../config-file.js';
import { listenForInterrupt } from '../interrupt.js';
import { PAUSE_AFTER_RUNS_ENV, readPauseAfter, waitForSignal } from '../pause-seam.js';

/** Options of `implicit-bias sweep run`. */
export interface SweepRunOptions {
  /** The sweep spec file. */
  readonly spec: string;
  /** The store directory. */
  readonly store: string;
  /** `i/N`; otherwise read from SLURM or Kubernetes variables; otherwise the whole sweep. */
  readonly shard?: string;
  /** Kubernetes Indexed Job completions count (with `JOB_COMPLETION_INDEX`). */
  readonly completions?: string;
  /** Worker threads (default one per core; `0`: the main thread). */
  readonly workers?: string;
  /** Run stored failed runs again. */
  readonly retryFailed?: boolean;
}

/**
 * The plug-ins a sweep's backends need, as absolute module URLs (resolved from the CLI), for
 * worker threads to import; package and export come from the one backend catalogue.
 */
export function pluginRefsFor(backends: Iterable<string | undefined>): PluginRef[] {
  const req = createRequire(import.meta.url);
  const refs: PluginRef[] = [];
  for (const id of new Set(backends)) {
    // cpu is built into the sweep runner; unknown ids fail there with the valid list
    if (id === undefined || id === 'cpu') continue;
    const where = KNOWN_BACKENDS[id];
    if (where === undefined) continue;
    refs.push({ module: pathToFileURL(req.resolve(where.pkg)).href, export: where.exportName });
  }
  return refs;
}

/**
 * A sweep's runs always name their backend: where the spec gives none, the
 * `IMPLICIT_BIAS_BACKEND` variable (else `cpu`) is written into its base config, so that the run
 * ids say where the runs ran.
 */
export function withEnvBackend(
  spec: SweepSpec,
  env: Readonly<Record<string, string | undefined>>,
): SweepSpec {
  const fromEnv = env[BACKEND_ENV_VAR]?.trim();
  const base = spec.base as Record<string, unknown>;
  if (
    fromEnv === undefined ||
    fromEnv === '' ||
    fromEnv === 'auto' ||
    base['backend'] !== undefined
  )
    return spec;
  return { ...spec, base: { ...base, backend: fromEnv } };
}

/** Read and validate a sweep spec file; every problem is `INVALID_CONFIG` naming where. */
export function readSpecFile(path: string, cwd: string): { spec: SweepSpec; baseDir: string } {
  const { json, file } = readJsonFile(path, cwd, 'the sweep spec', '--spec');
  return { spec: parseSweepSpec(json), baseDir: dirname(file) };
}

function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0|[1-9][0-9]*)$/.test(text.trim()))
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be a whole number of worker threads (0 runs in the main thread), got '${text}'`,
      { path: '--workers' },
    );
  return Number(text);
}

function parseCompletions(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text.trim()))
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `must be the Job's completions count (≥ 1), got '${text}'`,
      { path: '--completions' },
    );
  return Number(text);
}

/** The shard to run: `--shard`, else the scheduler's environment, else the whole sweep. */
export function resolveShard(io: CliIo, o: { shard?: string; completions?: string }): Shard {
  if (o.shard !== undefined) return parseShard(o.shard);
  return shardFromEnv(io.env, parseCompletions(o.completions)) ?? { index: 0, count: 1 };
}

const seconds = (s: number): string =>
  !Number.isFinite(s)
    ? '?'
    : s < 90
      ? `${Math.round(s)}s`
      : s < 5400
        ? `${Math.round(s / 60)}min`
        : `${(s / 3600).toFixed(1)}h`;

/** `implicit-bias sweep run --spec S --store DIR [--shard i/N] [--workers N]`. */
export async function sweepRunCommand(io: CliIo, o: SweepRunOptions): Promise<number> {
  const read = readSpecFile(o.spec, io.cwd);
  const spec = withEnvBackend(read.spec, io.env);
  const baseDir = read.baseDir;
  const shard = resolveShard(io, o);
  const workers = parseWorkers(o.workers);
  const storeDir = resolve(io.cwd, o.store);
  const backends = expandSweep(spec).map((r) => r.config.backend);
  const plugins = pluginRefsFor(backends);
  // a bar only on an interactive terminal: stderr (where it draws, io.isTTY) and stdout (a
  // redirected stdout means a batch job whose log wants plain lines)
  const bar =
    io.isTTY && process.stdout.isTTY
      ? new SingleBar(
          {
            format: ' {bar} {value}/{total} runs | running {running} | failed {failed} | ETA {eta}',
            hideCursor: true,
            etaBuffer: 20,
          },
          Presets.shades_classic,
        )
      : undefined;
  const started = Date.now();
  let first: SweepProgress | undefined;
  const onProgress = (p: SweepProgress): void => {
    const ranNow = first === undefined ? 0 : p.done - first.done;
    // from the runs finished by this invocation (stored ones took no time now)
    const eta =
      ranNow === 0 ? '?' : seconds(((Date.now() - started) / 1000 / ranNow) * (p.total - p.done));
    if (first === undefined) {
      first = p;
      io.stderr(
        `sweep ${spec.name}: shard ${shard.index}/${shard.count}: ${p.total} runs, ${p.skipped} stored already → ${storeDir}\n`,
      );
      bar?.start(p.total, p.done, { running: p.running, failed: p.failed, eta });
      return;
    }
    if (bar) {
      bar.update(p.done, { running: p.running, failed: p.failed, eta });
      return;
    }
    if (p.last === undefined) return;
    io.stderr(
      `  [${p.done}/${p.total}] ${p.last.id} ${p.last.status}${p.last.error ? ` (${p.last.error})` : ''} | running ${p.running} | failed ${p.failed} | ETA ${eta}\n`,
    );
  };
  const pauseAt = readPauseAfter(io.env, PAUSE_AFTER_RUNS_ENV);
  let signalled: () => void = () => undefined;
  const signal = new Promise<void>((r) => (signalled = r));
  const interrupt = listenForInterrupt(() => {
    io.stderr(
      '\nimplicit-bias: stopping after the runs in flight… (Ctrl-C again to quit now; finished runs are kept)\n',
    );
    signalled();
  });
  let paused = false;
  try {
    const r = await runSweep(spec, {
      storeDir,
      baseDir,
      shard,
      ...(workers !== undefined ? { workers } : {}),
      plugins,
      ...(o.retryFailed ? { retryFailed: true } : {}),
      onProgress,
      shouldStop: interrupt.requested,
      ...(pauseAt !== undefined
        ? {
            betweenRuns: async (p: SweepProgress) => {
              if (paused || p.done < pauseAt) return;
              paused = true;
              io.stderr(`sweep: paused after ${p.done} runs, waiting for a signal\n`);
              await waitForSignal(signal);
            },
          }
        : {}),
    });
    bar?.stop();
    const summary = {
      store: r.storeFile,
      shard: `${shard.index}/${shard.count}`,
      total: r.total,
      skipped: r.skipped,
      ran: r.ran,
      failed: r.failed,
      interrupted: r.interrupted,
      claimedElsewhere: r.claimedElsewhere.length,
    };
    io.stdout(JSON.stringify(summary) + '\n');
    if (r.interrupted) {
      io.stderr(
        `implicit-bias: interrupted; ${r.skipped + r.ran} of ${r.total} runs are stored in ${r.storeFile}; rerun the same command to finish\n`,
      );
      return interrupt.exitCode();
    }
    if (r.claimedElsewhere.length > 0) {
      const by = [
        ...new Set(r.claimedElsewhere.map((c) => (c.by ? `pid ${c.by.pid} on ${c.by.host}` : '?'))),
      ];
      io.stderr(
        `sweep ${spec.name}: ${r.claimedElsewhere.length} runs are being run by other processes on this store (${by.join(', ')}) and were left to them; \`implicit-bias sweep status\` shows when they are stored (a claim whose process died is taken over by the next \`sweep run\`)\n`,
      );
      io.stderr(
        `sweep ${spec.name}: ${r.skipped + r.ran} of ${r.total} runs stored (${r.ran} now, ${r.failed} failed) → ${r.storeFile}\n`,
      );
      return r.failed > 0 ? 1 : 0;
    }
    io.stderr(
      `sweep ${spec.name}: ${r.total} runs stored (${r.ran} now, ${r.skipped} before, ${r.failed} failed) in ${seconds((Date.now() - started) / 1000)} → ${r.storeFile}\n`,
    );
    return r.failed > 0 ? 1 : 0;
  } finally {
    bar?.stop();
    interrupt.dispose();
  }
}

import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { selectBackend } from '@implicit-bias/backend';
import { paperSuite, PROTOCOL, runSuite } from '@implicit-bias/experiments';
import type { SuiteProgress } from '@implicit-bias/experiments';
import type { CliIo } from '../io.js';
import { listenForInterrupt } from '../interrupt.js';
import { PAUSE_AFTER_POINTS_ENV, readPauseAfter, waitForSignal } from '../pause-seam.js';
import { cliPlugins } from '../plugins.js';

/** Options of `implicit-bias reproduce`. */
export interface ReproduceOptions {
  readonly full?: boolean;
  readonly quick?: boolean;
  readonly backend?: string;
  readonly out: string;
  /** Run only these experiment ids (comma list). */
  readonly only?: string;
}

/** `implicit-bias reproduce [--quick|--full] [--backend ID] [--out DIR]`. */
export async function reproduceCommand(io: CliIo, o: ReproduceOptions): Promise<number> {
  const mode = o.full ? 'full' : 'quick';
  const outDir = resolve(io.cwd, o.out);
  const wanted = o.only?.split(',').map((s) => s.trim());
  const defs = wanted ? paperSuite.filter((d) => wanted.includes(d.id)) : paperSuite;
  if (wanted && defs.length !== wanted.length) {
    io.stderr(
      `implicit-bias: --only: unknown experiment; valid ids: ${paperSuite.map((d) => d.id).join(', ')}\n`,
    );
    return 2;
  }
  const pauseAt = readPauseAfter(io.env, PAUSE_AFTER_POINTS_ENV);
  const backend = await selectBackend(o.backend ?? io.env['IMPLICIT_BIAS_BACKEND'] ?? 'cpu', {
    plugins: cliPlugins(),
    env: io.env,
  });
  io.stderr(`reproduce: ${mode} suite on ${backend.id} (${backend.precision}) → ${outDir}\n`);
  const bar = io.isTTY
    ? new SingleBar(
        { format: ' {bar} {value}/{total} points | {experiment} {point}', hideCursor: true },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let lastLine = 0;
  const onProgress = (p: SuiteProgress): void => {
    if (bar) {
      if (!started) bar.start(p.total, p.done, { experiment: p.experiment, point: p.point });
      bar.update(p.done, { experiment: p.experiment, point: p.point });
    } else if (p.done === p.total || Date.now() - lastLine > 5000 || !started) {
      lastLine = Date.now();
      io.stderr(
        `  [${p.done}/${p.total}] ${p.experiment} ${p.point}${p.reused ? ` (${p.reused} reused)` : ''}${p.failed ? ` (${p.failed} failed)` : ''}\n`,
      );
    }
    started = true;
  };
  let signalled: () => void = () => undefined;
  const signal = new Promise<void>((r) => (signalled = r));
  const interrupt = listenForInterrupt(() => {
    io.stderr('\nimplicit-bias: stopping; finished points are kept…\n');
    signalled();
  });
  let paused = false;
  try {
    const r = await runSuite(defs, {
      mode,
      outDir,
      backend,
      protocol: PROTOCOL,
      onProgress,
      shouldStop: interrupt.requested,
      // the whole suite is reported: experiments not run now keep their stored points' sections
      reportWith: paperSuite,
      ...(pauseAt !== undefined
        ? {
            betweenPoints: async (p: SuiteProgress) => {
              if (paused || p.done < pauseAt) return;
              paused = true;
              io.stderr(`reproduce: paused after ${p.done} points, waiting for a signal\n`);
              await waitForSignal(signal);
            },
          }
        : {}),
      environment: { node: process.version, platform: `${process.platform}-${process.arch}` },
    });
    bar?.stop();
    if (r.interrupted) {
      io.stderr(
        `implicit-bias: interrupted after ${r.points} points; finished points are kept in ${resolve(outDir, 'points', `${backend.id}-${backend.precision}`)}; rerun the same command to resume\n`,
      );
      return interrupt.exitCode();
    }
    if (r.kept.length > 0)
      io.stderr(
        `reproduce: the report also keeps the stored results of ${r.kept
          .map((k) => `${k.id} (${k.points}/${k.of} points)`)
          .join(', ')}\n`,
      );
    for (const s of r.sections) {
      for (const c of s.checks)
        io.stderr(
          `  ${c.passed ? 'holds' : 'DOES NOT HOLD'}: [${s.id}] ${c.claim} (${c.detail})\n`,
        );
    }
    io.stderr(
      `reproduce: ${r.points} points (${r.reused} reused, ${r.failed} failed); report: ${resolve(outDir, 'report.html')}\n`,
    );
    io.stdout(
      JSON.stringify({
        outDir,
        report: resolve(outDir, 'report.html'),
        points: r.points,
        failed: r.failed,
        kept: r.kept.map((k) => k.id),
      }) + '\n',
    );
    return r.failed > 0 ? 1 : 0;
  } finally {
    bar?.stop();
    interrupt.dispose();
    await backend.close();
  }
}

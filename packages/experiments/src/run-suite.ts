import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '@implicit-bias/backend';
import type { ExperimentDefinition, PointContext, PointParams } from './experiment.js';
import { pointId, PointInterruptedError } from './experiment.js';
import { renderFigureSvg } from './figure.js';
import type { FigureRow } from './figure.js';
import { PointStore, writeFileAtomic } from './point-store.js';
import type { PointResult } from './point-store.js';
import { renderReportHtml } from './report.js';
import type { Report, ReportSection } from './report.js';

/** Progress of a suite, for bars and log lines. */
export interface SuiteProgress {
  /** Id of the experiment the point belongs to. */
  readonly experiment: string;
  /** Id of the point (see `pointId`). */
  readonly point: string;
  /** Points finished so far, over all experiments. */
  readonly done: number;
  /** Points in the suite. */
  readonly total: number;
  /** Points taken from an earlier run. */
  readonly reused: number;
  /** Points whose run threw (stored with an `error` metric). */
  readonly failed: number;
}

/** Options of {@link runSuite}. */
export interface SuiteOptions {
  /** Which grid of every experiment to run: the small `quick` one or the complete `full` one. */
  readonly mode: 'quick' | 'full';
  /** Output directory for `report.html`, `results.json`, `figures/` and `points/`. */
  readonly outDir: string;
  /** The backend every flow runs on. */
  readonly backend: Backend;
  /** Called before and after each point. */
  readonly onProgress?: (p: SuiteProgress) => void;
  /**
   * Checked between points and, through {@link PointContext.shouldStop}, between the chunks of a
   * point's solve; when it returns true the suite stops (finished points are kept, the point in
   * flight is dropped). The suite yields to the event loop between points and chunks, so a
   * signal handler that sets the flag runs within a chunk's time.
   */
  readonly shouldStop?: () => boolean;
  /**
   * Awaited with the latest progress before each point that is computed (not before the first)
   * and before the outputs are written, ahead of the `shouldStop` check: a hook for tests and
   * tools that must act at a known place in a suite.
   */
  readonly betweenPoints?: (p: SuiteProgress) => Promise<void>;
  /**
   * Further experiments whose points stored by earlier runs (same backend, precision and mode)
   * are kept in the report next to the ones run now, so that running one experiment into an
   * existing folder does not drop the others' sections. Experiments of `defs` are always in it.
   */
  readonly reportWith?: readonly ExperimentDefinition[];
  /** Extra environment lines for the report. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Protocol statement for the report. */
  readonly protocol: string;
  /** Title of the report (default: the suite's own). */
  readonly title?: string;
}

/** Outcome of {@link runSuite}. */
export interface SuiteResult {
  /** True when `shouldStop` ended the suite early (nothing but points was written). */
  readonly interrupted: boolean;
  /** Points finished, reused ones included. */
  readonly points: number;
  /** Points taken from an earlier run's store. */
  readonly reused: number;
  /** Points whose run threw. */
  readonly failed: number;
  /** Files written (report, results, figures), empty when interrupted. */
  readonly files: string[];
  /** The report's sections, one per experiment, with their checks. */
  readonly sections: readonly ReportSection[];
  /** Experiments of `reportWith` kept in the report from earlier runs, with their point counts. */
  readonly kept: readonly {
    /** The experiment id. */
    readonly id: string;
    /** Its stored points. */
    readonly points: number;
    /** Its points in this mode. */
    readonly of: number;
  }[];
}

const rowOf = (p: PointResult): FigureRow => {
  const row: Record<string, number | string> = { ...p.params };
  for (const [k, v] of Object.entries(p.metrics)) if (v !== null) row[k] = v;
  return row;
};

/** Let the event loop run (signal handlers, timers) before going on. */
const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Run every point of every experiment (skipping points stored by an earlier run on the same
 * backend and precision), then write `results.json`, `figures/*.svg` and a self-contained
 * `report.html` into `outDir`. A point whose run throws is stored with an `error` metric and
 * counted as failed; the suite goes on.
 */
export async function runSuite(
  defs: readonly ExperimentDefinition[],
  o: SuiteOptions,
): Promise<SuiteResult> {
  const store = new PointStore(o.outDir, {
    backend: o.backend.id,
    precision: o.backend.precision,
  });
  const total = defs.reduce((s, d) => s + d.grid[o.mode].length, 0);
  let done = 0;
  let reused = 0;
  let failed = 0;
  const stop = o.shouldStop ?? (() => false);
  const ctx: PointContext = { backend: o.backend, shouldStop: stop };
  const interrupted = (): SuiteResult => ({
    interrupted: true,
    points: done,
    reused,
    failed,
    files: [],
    sections: [],
    kept: [],
  });
  let last: SuiteProgress | undefined;
  const progress = (p: SuiteProgress): void => {
    last = p;
    o.onProgress?.(p);
  };
  const between = async (): Promise<boolean> => {
    await yieldToEventLoop();
    if (last !== undefined) await o.betweenPoints?.(last);
    return stop();
  };
  for (const def of defs) {
    for (const params of def.grid[o.mode]) {
      const id = pointId(params);
      const stored = store.get(def.id, id);
      if (stored) {
        done++;
        reused++;
        if (typeof stored.metrics['error'] === 'string') failed++;
        progress({ experiment: def.id, point: id, done, total, reused, failed });
        continue;
      }
      if (await between()) return interrupted();
      progress({ experiment: def.id, point: id, done, total, reused, failed });
      const t0 = Date.now();
      let metrics: Record<string, number | string | null>;
      try {
        metrics = { ...(await def.run(params, ctx)) };
      } catch (e) {
        // a point stopped by the request to stop is not a result: drop it, keep the others
        if (e instanceof PointInterruptedError || stop()) return interrupted();
        metrics = { error: e instanceof Error ? e.message : String(e) };
        failed++;
      }
      store.put({
        experiment: def.id,
        id,
        params: params as PointParams,
        metrics,
        wallMs: Date.now() - t0,
      });
      done++;
      progress({ experiment: def.id, point: id, done, total, reused, failed });
    }
  }
  if (await between()) return interrupted();
  const run = new Set(defs.map((d) => d.id));
  const kept = (o.reportWith ?? [])
    .filter((d) => !run.has(d.id))
    .map((d) => ({ def: d, points: pointsOf(d, store, o.mode).length, of: d.grid[o.mode].length }))
    .filter((k) => k.points > 0);
  const keptIds = new Set(kept.map((k) => k.def.id));
  // report order: that of reportWith (the suite's), then any run experiment not in it
  const reportDefs = [
    ...(o.reportWith ?? []).filter((d) => run.has(d.id) || keptIds.has(d.id)),
    ...defs.filter((d) => !(o.reportWith ?? []).some((r) => r.id === d.id)),
  ];
  return {
    interrupted: false,
    points: done,
    reused,
    failed,
    ...(await writeOutputs(reportDefs, store, o)),
    kept: kept.map((k) => ({ id: k.def.id, points: k.points, of: k.of })),
  };
}

/** The stored points of an experiment's grid for a mode. */
function pointsOf(def: ExperimentDefinition, store: PointStore, mode: 'quick' | 'full') {
  const ids = new Set(def.grid[mode].map(pointId));
  return store.all(def.id).filter((p) => ids.has(p.id));
}

async function writeOutputs(
  defs: readonly ExperimentDefinition[],
  store: PointStore,
  o: SuiteOptions,
): Promise<{ files: string[]; sections: ReportSection[] }> {
  const figDir = join(o.outDir, 'figures');
  mkdirSync(figDir, { recursive: true });
  const files: string[] = [];
  const sections: ReportSection[] = [];
  const results: Record<string, PointResult[]> = {};
  for (const def of defs) {
    const points = pointsOf(def, store, o.mode);
    results[def.id] = points;
    const rows = points.flatMap((p) =>
      def.rowsOf ? def.rowsOf(p).map((r) => ({ ...rowOf(p), ...r })) : [rowOf(p)],
    );
    const figures = [];
    for (const f of def.figures) {
      let svg: string;
      try {
        svg = await renderFigureSvg(f, rows);
      } catch (e) {
        svg = `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="40"><text x="4" y="24">${
          e instanceof Error ? e.message.replace(/[<&]/g, ' ') : 'figure failed'
        }</text></svg>`;
      }
      const file = join(figDir, `${def.id}-${f.id}.svg`);
      writeFileAtomic(file, svg);
      files.push(file);
      figures.push({ id: `${def.id}-${f.id}`, caption: f.caption, svg });
    }
    sections.push({
      id: def.id,
      title: def.title,
      description: def.description,
      figures,
      table: {
        columns: def.columns.map(([, t]) => t),
        rows: points.map((p) => def.columns.map(([k]) => p.params[k] ?? p.metrics[k] ?? null)),
      },
      checks: def.checks?.(points) ?? [],
    });
  }
  const report: Report = {
    title:
      o.title ??
      'implicit-bias: trained limits against the theory of Yun, Krishnan & Mobahi (ICLR 2021)',
    generated: new Date().toISOString(),
    protocol: o.protocol,
    environment: {
      backend: `${o.backend.id} (${o.backend.precision})`,
      mode: o.mode,
      ...o.environment,
    },
    sections,
  };
  const resultsFile = join(o.outDir, 'results.json');
  writeFileAtomic(
    resultsFile,
    JSON.stringify(
      {
        generated: report.generated,
        mode: o.mode,
        backend: o.backend.id,
        precision: o.backend.precision,
        experiments: results,
        checks: Object.fromEntries(sections.map((s) => [s.id, s.checks])),
      },
      null,
      1,
    ) + '\n',
  );
  const reportFile = join(o.outDir, 'report.html');
  writeFileAtomic(reportFile, renderReportHtml(report));
  return { files: [reportFile, resultsFile, ...files], sections };
}

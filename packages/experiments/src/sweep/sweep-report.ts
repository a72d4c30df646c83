import { isImplicitBiasError } from '@implicit-bias/core';
import { renderFigureSvg } from '../figure.js';
import type { FigureRow, FigureSpec } from '../figure.js';
import { renderReportHtml } from '../report.js';
import type { Report, ReportFigure, ReportSection } from '../report.js';
import type { SweepSpec, SweepValue } from './spec.js';
import type { StoreMeta, SweepRecord } from './store.js';

/** A rendered sweep report: the HTML page and its figures (also inline in the page). */
export interface SweepReport {
  /** The self-contained HTML page. */
  readonly html: string;
  /** The figures, each as a standalone SVG. */
  readonly figures: readonly ReportFigure[];
  /** The figure rows (one per finished run), for users who plot their own way. */
  readonly rows: readonly FigureRow[];
}

const cell = (v: SweepValue | undefined): number | string =>
  typeof v === 'number' ? v : typeof v === 'string' ? v : JSON.stringify(v ?? null);

/** The figure row of a finished run: its overrides, judged metrics and wall time in seconds. */
export function sweepRow(r: SweepRecord): FigureRow {
  const row: Record<string, number | string> = { id: r.id, status: r.status };
  for (const [k, v] of Object.entries(r.overrides)) row[k] = cell(v);
  const s = r.summary;
  if (s !== null) {
    row['flowStatus'] = s.flowStatus;
    row['loss'] = s.loss;
    row['margin'] = s.margin;
    row['normalizedMargin'] = s.normalizedMargin;
    row['steps'] = s.steps;
    row['time'] = s.time;
    if (s.distance !== null) row['distance'] = s.distance;
  }
  row['wallSeconds'] = r.timings.totalMs / 1000;
  return row;
}

/** The varied fields of a sweep in spec order (list fields first, then grid axes). */
export function variedFields(spec: SweepSpec): string[] {
  const fields = new Set<string>();
  for (const e of spec.list ?? []) for (const k of Object.keys(e)) fields.add(k);
  for (const k of Object.keys(spec.grid ?? {})) fields.add(k);
  return [...fields];
}

/** The figures of a sweep: for each numeric varied field, the distance to the prediction and the final loss against it. */
export function sweepFigures(spec: SweepSpec, rows: readonly FigureRow[]): FigureSpec[] {
  const varied = variedFields(spec);
  const numeric = varied.filter(
    (f) => rows.length > 0 && rows.every((r) => typeof r[f] === 'number'),
  );
  const logScale = (f: string): boolean =>
    rows.every((r) => (r[f] as number) > 0) &&
    Math.max(...rows.map((r) => r[f] as number)) / Math.min(...rows.map((r) => r[f] as number)) >=
      100;
  const figs: FigureSpec[] = [];
  const axes = numeric.length > 0 ? numeric : ['index'];
  for (const x of axes) {
    const series = varied.find((f) => f !== x);
    const common = {
      x: { field: x, title: x, ...(x !== 'index' && logScale(x) ? { log: true } : {}) },
      ...(series !== undefined ? { series, seriesTitle: series } : {}),
      ...(x === 'index' ? { pointsOnly: true } : {}),
    };
    const spread = 'Median over the runs sharing x (and series), with a min–max band.';
    figs.push({
      id: `distance-vs-${x}`,
      title: `Distance to the predicted limit vs ${x}`,
      caption: `Relative distance (regression) or 1 − cos (classification) between the trained predictor and the theory's prediction, against ${x}. ${spread}`,
      y: { field: 'distance', title: 'distance to prediction', log: true },
      ...common,
    });
    figs.push({
      id: `loss-vs-${x}`,
      title: `Final training loss vs ${x}`,
      caption: `Training loss where each run stopped, against ${x}. ${spread}`,
      y: { field: 'loss', title: 'final loss', log: true },
      ...common,
    });
  }
  return figs;
}

/**
 * Render the report of a sweep's stored runs with the experiments' plotting
 * ({@link renderFigureSvg}, {@link renderReportHtml}): figures of the judged metrics against the
 * varied fields, a check that every run finished, and a table of every run.
 */
export async function renderSweepReport(
  meta: StoreMeta,
  records: readonly SweepRecord[],
  environment: Readonly<Record<string, string>> = {},
): Promise<SweepReport> {
  const spec = JSON.parse(meta.spec) as SweepSpec;
  const rows: FigureRow[] = records.map((r) => ({ ...sweepRow(r), index: r.index }));
  const finished = rows.filter((r) => r['status'] === 'done');
  const figures: ReportFigure[] = [];
  for (const f of sweepFigures(spec, finished)) {
    try {
      figures.push({ id: f.id, caption: f.caption, svg: await renderFigureSvg(f, finished) });
    } catch (e) {
      if (!isImplicitBiasError(e, 'INVALID_DATA')) throw e; // no plottable rows: leave it out
    }
  }
  const varied = variedFields(spec);
  const failed = records.filter((r) => r.status === 'failed');
  const missing = meta.totalRuns - records.length;
  const section: ReportSection = {
    id: spec.name,
    title: `Sweep ${spec.name}`,
    description:
      (spec.description ? `${spec.description}\n\n` : '') +
      `${records.length} of ${meta.totalRuns} runs stored (shards ${meta.shards.join(', ')} of ${meta.shardCount}); varied fields: ${varied.join(', ') || 'none'}.`,
    figures,
    table: {
      columns: ['id', ...varied, 'status', 'distance', 'loss', 'steps', 'wall s'],
      rows: records.map((r) => [
        r.id,
        ...varied.map((f) => (f in r.overrides ? cell(r.overrides[f]) : null)),
        r.status === 'failed' ? `failed: ${r.error ?? ''}` : (r.summary?.flowStatus ?? r.status),
        r.summary?.distance ?? null,
        r.summary?.loss ?? null,
        r.summary?.steps ?? null,
        r.timings.totalMs / 1000,
      ]),
    },
    checks: [
      {
        claim: 'every run of the sweep is stored and finished without error',
        passed: failed.length === 0 && missing === 0,
        detail: `${records.length - failed.length} done, ${failed.length} failed, ${missing} not stored`,
      },
    ],
  };
  const report: Report = {
    title: `implicit-bias sweep ${spec.name}`,
    generated: new Date().toISOString(),
    protocol:
      'Each run trains its config by gradient flow and is judged against the limit the theory predicts (Yun, Krishnan & Mobahi, ICLR 2021); the figures summarize the stored results.',
    environment: { sweep: `${meta.sweep} (${meta.sweepHash})`, ...environment },
    sections: [section],
  };
  return { html: renderReportHtml(report), figures, rows };
}

import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { ImplicitBiasError } from '@implicit-bias/core';

/** One axis of a {@link FigureSpec}. */
export interface AxisSpec {
  /** Field of the data rows plotted on this axis. */
  readonly field: string;
  /** Axis title, with units. */
  readonly title: string;
  /** Logarithmic scale (where the math says so: scales, margins, distances). */
  readonly log?: boolean;
}

/**
 * A declarative figure: rows of data, the x and y fields, and an optional series field. Rows
 * that share x and series are summarized by their median with a min–max band (spread over seeds).
 */
export interface FigureSpec {
  /** Figure id, unique within its experiment (the SVG is written as `<experiment>-<id>.svg`). */
  readonly id: string;
  /** Title above the figure. */
  readonly title: string;
  /** One or two sentences under the figure: what is plotted and what to look for. */
  readonly caption: string;
  /** Horizontal axis. */
  readonly x: AxisSpec;
  /** Vertical axis. */
  readonly y: AxisSpec;
  /** Field naming the series (one line per value). */
  readonly series?: string;
  /** Legend title of the series (default: the series field). */
  readonly seriesTitle?: string;
  /** Draw points only (no lines). */
  readonly pointsOnly?: boolean;
}

/** A data row of a figure. */
export type FigureRow = Readonly<Record<string, number | string>>;

function usable(rows: readonly FigureRow[], spec: FigureSpec): FigureRow[] {
  return rows.filter((r) => {
    const x = r[spec.x.field];
    const y = r[spec.y.field];
    const ok = (v: unknown, log?: boolean): boolean =>
      typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);
    return ok(x, spec.x.log) && ok(y, spec.y.log);
  });
}

/**
 * A row field name as a Vega-Lite field reference: Vega-Lite reads `.` as nesting and `[`/`]`
 * as indexing, so a flat key such as `init.scale` must be escaped (`init\\.scale`), or every
 * value reads as missing and the figure is empty.
 */
export function vegaField(name: string): string {
  return name.replace(/[\\.[\]]/g, (c) => `\\${c}`);
}

/** The Vega-Lite specification of a figure (exported so users can restyle it). */
export function vegaLiteSpec(spec: FigureSpec, rows: readonly FigureRow[]): vegaLite.TopLevelSpec {
  const axis = (a: AxisSpec) => ({
    field: vegaField(a.field),
    type: 'quantitative' as const,
    title: a.title,
    scale: a.log ? { type: 'log' as const } : { zero: false },
    axis: a.log ? { format: '.0e' } : {},
  });
  const color = spec.series
    ? {
        color: {
          field: vegaField(spec.series),
          type: 'nominal' as const,
          title: spec.seriesTitle ?? spec.series,
        },
      }
    : {};
  const y = axis(spec.y);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: spec.title,
    width: 420,
    height: 260,
    data: { values: usable(rows, spec) as Record<string, unknown>[] },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          x: axis(spec.x),
          y: { ...y, aggregate: 'min' as const, title: spec.y.title },
          y2: { field: vegaField(spec.y.field), aggregate: 'max' as const },
          ...color,
        },
      },
      {
        mark: spec.pointsOnly ? { type: 'point', filled: true } : { type: 'line', point: true },
        encoding: {
          x: axis(spec.x),
          y: { ...y, aggregate: 'median' as const, title: spec.y.title },
          ...color,
        },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

/**
 * Render a figure to a standalone SVG string (Vega-Lite compiled and rendered headless in
 * Node). Throws `INVALID_DATA` when no row has finite values for both axes.
 */
export async function renderFigureSvg(
  spec: FigureSpec,
  rows: readonly FigureRow[],
): Promise<string> {
  if (usable(rows, spec).length === 0) {
    throw new ImplicitBiasError(
      'INVALID_DATA',
      `figure '${spec.id}' has no rows with finite ${spec.x.field} and ${spec.y.field}` +
        (spec.y.log || spec.x.log ? ' (log axes need positive values)' : ''),
      { path: `figures.${spec.id}` },
    );
  }
  const compiled = vegaLite.compile(vegaLiteSpec(spec, rows)).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

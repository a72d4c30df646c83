import type { Backend } from '@implicit-bias/backend';
import type { FigureSpec } from './figure.js';
import type { PointResult } from './point-store.js';
import type { ReportCheck } from './report.js';

/** Parameters of one grid point. */
export type PointParams = Readonly<Record<string, number | string>>;

/** Metrics measured at one grid point (`null` where a metric does not apply). */
export type PointMetrics = Readonly<Record<string, number | string | null>>;

/** What a point's run receives. */
export interface PointContext {
  /** The backend every flow of the point runs on. */
  readonly backend: Backend;
  /**
   * True once the suite was asked to stop (Ctrl-C, SIGTERM). A long point checks it between
   * short chunks of its solve (yielding to the event loop in between, so the signal can arrive)
   * and throws {@link PointInterruptedError}; the suite then stores nothing for that point.
   */
  readonly shouldStop?: () => boolean;
}

/** Thrown by a point's run when {@link PointContext.shouldStop} stopped it before it finished. */
export class PointInterruptedError extends Error {
  constructor(what = 'the point') {
    super(`${what} was interrupted before it finished`);
    this.name = 'PointInterruptedError';
  }
}

/**
 * A declarative experiment: a grid of points (a quick and a full one), what to measure at each,
 * which figures to draw from the measurements, and which claims to check. Copy one and edit the
 * grid to run your own variant.
 */
export interface ExperimentDefinition {
  /** Stable id (`rq1-regression`, …), used for `--only`, file names and the point store. */
  readonly id: string;
  /** Section title in the report. */
  readonly title: string;
  /** What is run and what the theory predicts. */
  readonly description: string;
  /** The points to run: a small `quick` grid and the complete `full` one (see {@link gridOf}). */
  readonly grid: {
    /** Points of `--quick` (minutes on two cores). */
    readonly quick: readonly PointParams[];
    /** Points of `--full`. */
    readonly full: readonly PointParams[];
  };
  /** Measure one point. */
  run(point: PointParams, ctx: PointContext): Promise<PointMetrics>;
  /**
   * Figure rows of a finished point (default: one row `{ ...params, ...metrics }`); each
   * returned row is merged over that default, so a point can contribute several rows.
   */
  rowsOf?(point: PointResult): Record<string, number | string>[];
  /** Figures over the rows. */
  readonly figures: readonly FigureSpec[];
  /** Table columns: `[field, title]`. */
  readonly columns: readonly (readonly [string, string])[];
  /** Claims checked against the finished points (stated in the report with their numbers). */
  checks?(points: readonly PointResult[]): ReportCheck[];
}

/** Cartesian product of parameter lists, in the given key order (last key varies fastest). */
export function gridOf(
  axes: Readonly<Record<string, readonly (number | string)[]>>,
): PointParams[] {
  let out: Record<string, number | string>[] = [{}];
  for (const [k, values] of Object.entries(axes)) {
    const next: Record<string, number | string>[] = [];
    for (const p of out) for (const v of values) next.push({ ...p, [k]: v });
    out = next;
  }
  return out;
}

/** A stable, file-safe id for a point derived from its parameters. */
export function pointId(p: PointParams): string {
  return Object.keys(p)
    .sort()
    .map((k) => `${k}=${String(p[k])}`)
    .join('_')
    .replace(/[^A-Za-z0-9._=-]/g, '-');
}

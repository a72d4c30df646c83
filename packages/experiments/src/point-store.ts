import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ImplicitBiasError } from '@implicit-bias/core';

/** A finished grid point: its id, its parameters and its measured metrics. */
export interface PointResult {
  /** Id of the experiment the point belongs to. */
  readonly experiment: string;
  /** Id of the point, derived from its parameters (`pointId`). */
  readonly id: string;
  /** The grid parameters of the point. */
  readonly params: Readonly<Record<string, number | string>>;
  /** What the point's run measured (`null` where a metric does not apply). */
  readonly metrics: Readonly<Record<string, number | string | null>>;
  /** Wall time of the point in milliseconds. */
  readonly wallMs: number;
}

const SAFE = /^[A-Za-z0-9._=-]+$/;

/** Write a file atomically: a crash leaves either the old or the new content, never half. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * One JSON file per finished point under `DIR/points/<experiment>/`. Each file is written
 * atomically when its point finishes, so an interrupted run loses at most the points in flight
 * and a rerun skips what is done.
 */
export class PointStore {
  private readonly dir: string;

  constructor(outDir: string) {
    this.dir = join(outDir, 'points');
    mkdirSync(this.dir, { recursive: true });
  }

  private file(experiment: string, id: string): string {
    for (const [what, v] of [
      ['experiment', experiment],
      ['point id', id],
    ] as const) {
      if (!SAFE.test(v)) {
        throw new ImplicitBiasError(
          'INVALID_CONFIG',
          `${what} '${v}' may only contain letters, digits, '.', '_', '=', '-'`,
          {
            path: what,
          },
        );
      }
    }
    return join(this.dir, experiment, `${id}.json`);
  }

  /** The stored result of a point, if it finished in an earlier run. */
  get(experiment: string, id: string): PointResult | undefined {
    const f = this.file(experiment, id);
    if (!existsSync(f)) return undefined;
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as PointResult;
    } catch {
      return undefined; // unreadable file (should not happen with atomic writes): recompute
    }
  }

  /** Record a finished point. */
  put(result: PointResult): void {
    const f = this.file(result.experiment, result.id);
    mkdirSync(join(this.dir, result.experiment), { recursive: true });
    writeFileAtomic(f, JSON.stringify(result, null, 1) + '\n');
  }

  /** Every stored point of an experiment, sorted by id. */
  all(experiment: string): PointResult[] {
    const d = join(this.dir, experiment);
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => this.get(experiment, f.slice(0, -5)))
      .filter((r): r is PointResult => r !== undefined);
  }
}

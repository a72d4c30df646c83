import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ImplicitBiasError, isImplicitBiasError } from '@implicit-bias/core';
import { parseRunConfig } from '../run-config.js';
import type { RunConfig } from '../run-config.js';

/** A value a grid axis or list override may set: any JSON value. */
export type SweepValue =
  null | boolean | number | string | SweepValue[] | { [k: string]: SweepValue };

/**
 * A sweep: a base run config, varied by a `grid` (cartesian product over dotted field paths)
 * and/or a `list` of overrides. With both, every list entry is combined with every grid point
 * (list entry first, grid point on top). This is the TypeScript definition of the JSON file
 * `implicit-bias sweep run --spec sweep.json` reads.
 *
 * @example
 * ```ts
 * const spec: SweepSpec = {
 *   name: 'depth-vs-scale',
 *   base: { task: 'regression', loss: 'squared', data: { generator: 'gaussian-regression', n: 4, d: 8, seed: 1 },
 *           network: { kind: 'diagonal', depth: 2 }, init: { scheme: 'odeco', scale: 0.1, shape: 'ones', seed: 1 } },
 *   grid: { 'network.depth': [2, 3], 'init.scale': [0.01, 0.1, 1] },
 * };
 * ```
 */
export interface SweepSpec {
  /** Name shown by `sweep status` and in reports (letters, digits, `.`, `_`, `-`). */
  readonly name: string;
  /** Optional free-text description, copied into the report. */
  readonly description?: string;
  /** The run config every run starts from (validated after the overrides are applied). */
  readonly base: Readonly<Record<string, unknown>>;
  /** Dotted field path → the values it takes; the runs are the cartesian product. */
  readonly grid?: Readonly<Record<string, readonly SweepValue[]>>;
  /** Overrides (dotted field path → value), one run family per entry. */
  readonly list?: readonly Readonly<Record<string, SweepValue>>[];
}

/** One run of an expanded sweep. */
export interface SweepRun {
  /** Stable id: the first 16 hex digits of the SHA-256 of the canonical resolved config. */
  readonly id: string;
  /** Position in the expansion order (grid order within list order); shards slice on it. */
  readonly index: number;
  /** The validated config with every default filled in. */
  readonly config: RunConfig;
  /** The overrides that made this run (list entry then grid point), for tables and figures. */
  readonly overrides: Readonly<Record<string, SweepValue>>;
}

const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z0-9_$]+)*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const json: z.ZodType<SweepValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(json),
    z.record(z.string(), json),
  ]),
);
const fieldPath = z
  .string()
  .regex(PATH, { error: 'field paths are dotted config fields, e.g. "network.depth"' })
  .refine((p) => !p.split('.').some((s) => FORBIDDEN.has(s)), {
    error: 'field paths may not use __proto__, prototype or constructor',
  });

/** The zod schema of a sweep spec file (unknown fields are rejected). */
export const sweepSpecSchema: z.ZodType<SweepSpec, unknown> = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string({ error: 'name must be a string' }).regex(/^[A-Za-z0-9._-]+$/, {
      error: "name may only contain letters, digits, '.', '_', '-'",
    }),
    description: z.string({ error: 'description must be a string' }).optional(),
    base: z.record(z.string(), z.unknown(), { error: 'base must be a run config object' }),
    grid: z
      .record(
        fieldPath,
        z.array(json, { error: 'each grid axis must be an array of values' }).min(1, {
          error: 'each grid axis needs at least one value',
        }),
        { error: 'grid must be an object { "field.path": [values…] }' },
      )
      .optional(),
    list: z
      .array(
        z.record(fieldPath, json, { error: 'each list entry must be an object of overrides' }),
        {
          error: 'list must be an array of override objects',
        },
      )
      .min(1, { error: 'list needs at least one entry (or leave it out)' })
      .optional(),
  })
  .transform(({ $schema: _ignored, ...rest }) => rest as SweepSpec);

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (out === '') out = String(p);
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(p))) out += `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Validate a parsed sweep spec. Throws `INVALID_CONFIG` with the JSON path of the first problem
 * (`grid["network.depth"]`, `list[1]`, `base.init.scale`) and how to fix it. Every run config of
 * the sweep is validated too, so a bad combination is reported before anything runs.
 */
export function parseSweepSpec(input: unknown): SweepSpec {
  const r = sweepSpecSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    let path: readonly PropertyKey[] = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path = [...issue.path, issue.keys[0]!];
      message = `unknown field '${issue.keys[0]}'; remove it or check its spelling (valid: name, description, base, grid, list)`;
    } else if (issue.code === 'invalid_key') {
      message = `field paths are dotted config fields, e.g. "network.depth"`;
    }
    throw new ImplicitBiasError('INVALID_CONFIG', message, { path: formatPath(path) });
  }
  const spec: SweepSpec = r.data as SweepSpec;
  if (spec.grid !== undefined && Object.keys(spec.grid).length === 0 && spec.list === undefined) {
    throw new ImplicitBiasError('INVALID_CONFIG', 'grid has no axes; add one or remove grid', {
      path: 'grid',
    });
  }
  expandSweep(spec); // validates every run config
  return spec;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ImplicitBiasError('NON_FINITE', `cannot hash the non-finite number ${value}`);
    }
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The stable id of a resolved run config: SHA-256 of its canonical JSON, 16 hex digits. */
export function runIdOf(config: RunConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

/**
 * The hash of a whole sweep: its run ids in expansion order. Shards slice on that order, so
 * stores of different sweeps, or of one sweep expanded in another order (reordered grid axes),
 * never mix.
 */
export function sweepHashOf(runs: readonly SweepRun[]): string {
  const h = createHash('sha256');
  for (const r of runs) h.update(`${r.index}:${r.id};`);
  return h.digest('hex').slice(0, 16);
}

function setPath(target: Record<string, unknown>, path: string, value: SweepValue): void {
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i]!;
    const next: unknown = Array.isArray(node) ? node[Number(key)] : node[key];
    if (next === null || typeof next !== 'object') {
      const fresh: Record<string, unknown> = {};
      if (Array.isArray(node)) node[Number(key)] = fresh;
      else node[key] = fresh;
      node = fresh;
    } else node = next as Record<string, unknown> | unknown[];
  }
  const last = parts[parts.length - 1]!;
  const v = structuredClone(value);
  if (Array.isArray(node)) node[Number(last)] = v;
  else node[last] = v;
}

function product(
  grid: Readonly<Record<string, readonly SweepValue[]>>,
): Record<string, SweepValue>[] {
  let points: Record<string, SweepValue>[] = [{}];
  for (const [axis, values] of Object.entries(grid)) {
    const next: Record<string, SweepValue>[] = [];
    for (const p of points) for (const v of values) next.push({ ...p, [axis]: v });
    points = next;
  }
  return points;
}

const describe = (o: Readonly<Record<string, SweepValue>>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');

/**
 * Expand a sweep into its runs, in a deterministic order (list entries in order; within each,
 * the grid's cartesian product with the last axis varying fastest). Each run's config is
 * validated; duplicate configs (two overrides that resolve to the same run) appear once.
 * Throws `INVALID_CONFIG` naming the run's overrides and the config field at fault.
 */
export function expandSweep(spec: SweepSpec): SweepRun[] {
  const entries: (readonly [string, Readonly<Record<string, SweepValue>>])[] = spec.list?.map(
    (e, i) => [`list[${i}]`, e] as const,
  ) ?? [['', {}]];
  const points = spec.grid ? product(spec.grid) : [{}];
  const runs: SweepRun[] = [];
  const seen = new Set<string>();
  for (const [where, entry] of entries) {
    for (const point of points) {
      const raw = structuredClone(spec.base) as Record<string, unknown>;
      const overrides = { ...entry, ...point };
      for (const [k, v] of Object.entries(overrides)) setPath(raw, k, v);
      let config: RunConfig;
      try {
        const parsed = parseRunConfig(raw);
        // a run id must say where the run ran: sweeps always name the backend
        config = parsed.backend === undefined ? { ...parsed, backend: 'cpu' } : parsed;
      } catch (e) {
        if (!isImplicitBiasError(e)) throw e;
        const inner = e.path ?? '(root)';
        const bare = e.message.startsWith(`${inner}: `)
          ? e.message.slice(inner.length + 2)
          : e.message;
        const origin = [where, Object.keys(point).length > 0 ? `grid point ${describe(point)}` : '']
          .filter((s) => s !== '')
          .join(', ');
        // blame the override that set the field when there is one, else the base
        const hit = (o: Readonly<Record<string, SweepValue>>): string | undefined =>
          Object.keys(o).find(
            (k) => inner === k || inner.startsWith(`${k}.`) || inner.startsWith(`${k}[`),
          );
        const inPoint = hit(point);
        const inEntry = inPoint === undefined ? hit(entry) : undefined;
        const path =
          inPoint !== undefined
            ? `grid[${JSON.stringify(inPoint)}]`
            : inEntry !== undefined
              ? `${where}[${JSON.stringify(inEntry)}]`
              : inner === '(root)'
                ? 'base'
                : `base.${inner}`;
        const field = inPoint !== undefined || inEntry !== undefined ? `${inner}: ` : '';
        throw new ImplicitBiasError(
          'INVALID_CONFIG',
          `${field}${bare}${origin !== '' ? ` (in the run of ${origin})` : ''}`,
          { path, cause: e },
        );
      }
      const id = runIdOf(config);
      if (seen.has(id)) continue;
      seen.add(id);
      runs.push({ id, index: runs.length, config, overrides });
    }
  }
  return runs;
}

import { z } from 'zod';
import { ImplicitBiasError } from '@implicit-bias/core';

const positive = (what: string) =>
  z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
const posInt = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be an integer` })
    .positive({ error: `${what} must be ≥ 1` });
const seed = z
  .number({ error: 'seed must be a number' })
  .int({ error: 'seed must be an integer' })
  .min(0, { error: 'seed must be ≥ 0' });

const fileDataSchema = z.strictObject({
  file: z
    .string({ error: 'file must be a path string' })
    .min(1, { error: 'file must not be empty' }),
  format: z.enum(['json', 'csv'], { error: "format must be 'json' or 'csv'" }).optional(),
  label: z
    .union([z.string(), z.number().int()], { error: 'label must be a column name or index' })
    .optional(),
});

const count = (what: string) => posInt(what);
const generatorDataSchema = z.discriminatedUnion(
  'generator',
  [
    z.strictObject({
      generator: z.literal('gaussian-regression'),
      n: count('n'),
      d: count('d'),
      seed,
      sparsity: z.union([posInt('sparsity'), z.literal('dense')]).optional(),
      noise: z.number().min(0, { error: 'noise must be ≥ 0' }).optional(),
    }),
    z.strictObject({
      generator: z.literal('separable-classification'),
      n: count('n'),
      d: count('d'),
      seed,
      separator: z.enum(['dense', 'sparse', 'fourier-sparse'], {
        error: "separator must be 'dense', 'sparse' or 'fourier-sparse'",
      }),
      k: posInt('k').optional(),
      margin: positive('margin'),
      marginMode: z.enum(['push', 'reject']).optional(),
    }),
    z.strictObject({
      generator: z.literal('soudry2018'),
      extra: z.number().int().min(0).optional(),
      seed: seed.optional(),
    }),
    z.strictObject({
      generator: z.literal('woodworth-sparse'),
      n: count('n'),
      d: count('d'),
      k: posInt('k'),
      seed,
      noise: z.number().min(0, { error: 'noise must be ≥ 0' }).optional(),
    }),
  ],
  {
    error:
      "generator must be one of 'gaussian-regression', 'separable-classification', 'soudry2018', 'woodworth-sparse'",
  },
);

const dataSchema = z.union([fileDataSchema, generatorDataSchema], {
  error: 'data must be { "file": "data.json" } or { "generator": "<name>", "seed": 1, ... }',
});

/**
 * The `data` part of a run config: a file (`{ file, format?, label? }`, JSON `{ X, y }` or CSV) or
 * a seeded generator (`gaussian-regression`, `separable-classification`, `soudry2018`,
 * `woodworth-sparse`) with its parameters.
 *
 * @useDeclaredType
 */
export type DataConfig = z.infer<typeof dataSchema>;

const networkSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('diagonal'), depth: posInt('depth') }),
    z.strictObject({
      kind: z.literal('fully-connected'),
      hidden: z.array(posInt('each hidden width'), {
        error: 'hidden must be an array of widths, e.g. [10, 10]',
      }),
    }),
    z.strictObject({
      kind: z.literal('convolutional'),
      depth: posInt('depth'),
      filters: z
        .array(posInt('each filter length'), { error: 'filters must be an array of lengths' })
        .optional(),
    }),
  ],
  { error: "kind must be 'diagonal', 'fully-connected' or 'convolutional'" },
);

const initSchema = z.discriminatedUnion(
  'scheme',
  [
    z.strictObject({
      scheme: z.literal('odeco'),
      scale: positive('scale'),
      shape: z.union(
        [
          z.literal('ones'),
          z.array(z.number().refine((v) => v !== 0, { error: 'shape entries must be non-zero' })),
        ],
        {
          error: "shape must be 'ones' or an array of non-zero numbers",
        },
      ),
      seed,
    }),
    z.strictObject({ scheme: z.literal('gaussian'), scale: positive('scale'), seed }),
    z.strictObject({ scheme: z.literal('balanced'), scale: positive('scale'), seed }),
    z.strictObject({
      scheme: z.literal('explicit'),
      params: z.array(
        z.array(z.number({ error: 'params entries must be finite numbers' }).finite()),
        {
          error: 'params must be an array of layers, each an array of numbers',
        },
      ),
    }),
  ],
  { error: "scheme must be 'odeco', 'gaussian', 'balanced' or 'explicit'" },
);

const flowSchema = z.strictObject({
  method: z
    .enum(['auto', 'dopri5', 'rodas4', 'rk4', 'gd'], {
      error: "method must be 'auto', 'dopri5', 'rodas4' (stiff), 'rk4' or 'gd'",
    })
    .default('auto'),
  rtol: positive('rtol').default(1e-10),
  atol: positive('atol').default(1e-12),
  stepSize: positive('stepSize').optional(),
  time: z
    .enum(['physical', 'loss-normalized'], {
      error: "time must be 'physical' or 'loss-normalized'",
    })
    .optional(),
  until: z
    .strictObject({
      loss: positive('until.loss').optional(),
      margin: positive('until.margin').optional(),
      time: positive('until.time').optional(),
      steps: posInt('until.steps').optional(),
    })
    .default({}),
});

/** The JSON schema of a run config (`implicit-bias train|predict|compare --config run.json`). */
export const runConfigSchema = z.strictObject({
  task: z.enum(['regression', 'classification'], {
    error: "task must be 'regression' or 'classification'",
  }),
  data: dataSchema,
  network: networkSchema,
  init: initSchema,
  loss: z.enum(['squared', 'exponential', 'logistic'], {
    error: "loss must be 'squared', 'exponential' or 'logistic'",
  }),
  flow: flowSchema.default({ method: 'auto', rtol: 1e-10, atol: 1e-12, until: {} }),
  backend: z.string({ error: 'backend must be a backend id string' }).default('cpu'),
});

/**
 * A validated run config (defaults filled in): task, data, network, initialization, loss, flow
 * options and backend id, as accepted by `implicit-bias train|predict|compare --config`.
 *
 * @useDeclaredType
 */
export type RunConfig = z.infer<typeof runConfigSchema>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path)
    out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = json;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/**
 * Validate a parsed JSON run config. Throws `INVALID_CONFIG` whose `path` is the JSON path of the
 * first problem and whose message says how to fix it; checks that task and loss agree.
 */
export function parseRunConfig(json: unknown): RunConfig {
  const r = runConfigSchema.safeParse(json);
  if (!r.success) {
    let issue = r.error.issues[0]!;
    const data = valueAt(json, ['data']);
    if (
      issue.code === 'invalid_union' &&
      issue.path.length === 1 &&
      issue.path[0] === 'data' &&
      data !== null &&
      typeof data === 'object' &&
      ('generator' in data || 'file' in data)
    ) {
      // report the precise problem of the alternative the user meant
      const precise = ('generator' in data ? generatorDataSchema : fileDataSchema).safeParse(data);
      if (!precise.success) {
        const p = precise.error.issues[0]!;
        issue = { ...p, path: ['data', ...p.path] };
      }
    }
    let path = issue.path;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path = [...issue.path, issue.keys[0]!];
      message = `unknown field '${issue.keys[0]}'; remove it or check its spelling`;
    } else if (issue.path.length > 0 && valueAt(json, issue.path) === undefined) {
      message = `is required (${message})`;
    }
    throw new ImplicitBiasError('INVALID_CONFIG', message, { path: formatPath(path) });
  }
  const cfg = r.data;
  if (cfg.task === 'regression' && cfg.loss !== 'squared') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      `regression needs loss 'squared', got '${cfg.loss}'`,
      { path: 'loss' },
    );
  }
  if (cfg.task === 'classification' && cfg.loss === 'squared') {
    throw new ImplicitBiasError(
      'INVALID_CONFIG',
      "classification needs loss 'exponential' or 'logistic', got 'squared'",
      {
        path: 'loss',
      },
    );
  }
  if (cfg.flow.method === 'gd' && cfg.flow.stepSize === undefined) {
    throw new ImplicitBiasError('INVALID_CONFIG', "method 'gd' needs a stepSize, e.g. 0.001", {
      path: 'flow.stepSize',
    });
  }
  return cfg;
}

import { FLOW_DEFAULTS } from '@implicit-bias/flow';
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
  /** Path of a data file, resolved against the config file's directory. */
  file: z
    .string({ error: 'file must be a path string' })
    .min(1, { error: 'file must not be empty' }),
  /** `'json'` (`{ X: number[][], y: number[] }`) or `'csv'`; default from the file extension. */
  format: z.enum(['json', 'csv'], { error: "format must be 'json' or 'csv'" }).optional(),
  /** CSV only: the label column, by header name or 0-based index (default: the last column). */
  label: z
    .union([z.string(), z.number().int()], { error: 'label must be a column name or index' })
    .optional(),
});

const count = (what: string) => posInt(what);
const generatorDataSchema = z.discriminatedUnion(
  'generator',
  [
    z.strictObject({
      /** Gaussian design `X` with i.i.d. N(0, 1) entries and targets `y = Xβ* + noise`. */
      generator: z.literal('gaussian-regression'),
      /** Number of samples (rows of X). */
      n: count('n'),
      /** Input dimension (columns of X). */
      d: count('d'),
      /** Seed of the generator: same seed, same bytes on every platform. */
      seed,
      /** Non-zeros of the planted β* (a count ≥ 1), or `'dense'`. */
      sparsity: z.union([posInt('sparsity'), z.literal('dense')]).optional(),
      /** Standard deviation of the Gaussian noise added to the targets (default 0). */
      noise: z.number().min(0, { error: 'noise must be ≥ 0' }).optional(),
    }),
    z.strictObject({
      /** Linearly separable ±1 labels from a planted unit separator. */
      generator: z.literal('separable-classification'),
      /** Number of samples. */
      n: count('n'),
      /** Input dimension. */
      d: count('d'),
      /** Seed of the generator. */
      seed,
      /** Planted separator: dense, `k`-sparse, or `k`-sparse in the Fourier basis. */
      separator: z.enum(['dense', 'sparse', 'fourier-sparse'], {
        error: "separator must be 'dense', 'sparse' or 'fourier-sparse'",
      }),
      /** Non-zeros of a sparse separator. */
      k: posInt('k').optional(),
      /** Minimum margin `y_i⟨w, x_i⟩` of every sample for the planted unit separator w. */
      margin: positive('margin'),
      /** Reach the margin by pushing points out along w (`'push'`, default) or by rejection sampling. */
      marginMode: z.enum(['push', 'reject']).optional(),
    }),
    z.strictObject({
      /** The 2-D data of Soudry et al. (2018), Figure 1: support vectors ±(0.5, 1.5), ±(1.5, 0.5). */
      generator: z.literal('soudry2018'),
      /** Seeded non-support points added to the four support vectors. */
      extra: z.number().int().min(0).optional(),
      /** Seed of the extra points. */
      seed: seed.optional(),
    }),
    z.strictObject({
      /** Woodworth et al. (2020): Gaussian design with a planted `k`-sparse β*. */
      generator: z.literal('woodworth-sparse'),
      /** Number of samples. */
      n: count('n'),
      /** Input dimension. */
      d: count('d'),
      /** Non-zeros of the planted β*. */
      k: posInt('k'),
      /** Seed of the generator. */
      seed,
      /** Standard deviation of the target noise (default 0). */
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
    z.strictObject({
      /** Diagonal network `f(x) = Σ_j x_j Π_l v_{l,j}`. */
      kind: z.literal('diagonal'),
      /** Number of layers L. */
      depth: posInt('depth'),
    }),
    z.strictObject({
      /** Fully-connected network `xᵀW_1⋯W_{L−1}w_L`; the input width is the data's d. */
      kind: z.literal('fully-connected'),
      /** Hidden widths `d_2..d_L` (L − 1 entries, so depth = hidden.length + 1). */
      hidden: z.array(posInt('each hidden width'), {
        error: 'hidden must be an array of widths, e.g. [10, 10]',
      }),
    }),
    z.strictObject({
      /** Circular convolutional network; the last layer has length d. */
      kind: z.literal('convolutional'),
      /** Number of layers L. */
      depth: posInt('depth'),
      /** Filter lengths `k_1..k_{L−1}`, each ≤ d (default: all d, the odeco case). */
      filters: z
        .array(posInt('each filter length'), { error: 'filters must be an array of lengths' })
        .optional(),
    }),
    z.strictObject({
      /**
       * Linear group-equivariant CNN over a finite group (group cross-correlations with full
       * filters, then a full sum); the data's d must equal the group's order.
       */
      kind: z.literal('group'),
      /** Number of layers L. */
      depth: posInt('depth'),
      /** `{ kind: 'cyclic', n }`, `{ kind: 'dihedral', n }` (order 2n) or `{ kind: 'table', table }`. */
      group: z.discriminatedUnion(
        'kind',
        [
          z.strictObject({
            /** The cyclic group C_n. */
            kind: z.literal('cyclic'),
            /** Order n. */
            n: posInt('group.n'),
          }),
          z.strictObject({
            /** The dihedral group D_n (order 2n). */
            kind: z.literal('dihedral'),
            /** Number of rotations n. */
            n: posInt('group.n'),
          }),
          z.strictObject({
            /** A group given by its multiplication table (validated when the network is built). */
            kind: z.literal('table'),
            /** `table[a][b]` = index of the product a·b. */
            table: z.array(
              z.array(z.number({ error: 'each group.table entry must be a number' }), {
                error: 'each row of group.table must be an array of element indices',
              }),
              { error: 'group.table must be an array of rows (the multiplication table)' },
            ),
          }),
        ],
        {
          error:
            "group must be { kind: 'cyclic', n }, { kind: 'dihedral', n } or { kind: 'table', table }",
        },
      ),
    }),
  ],
  { error: "kind must be 'diagonal', 'fully-connected', 'convolutional' or 'group'" },
);

const initSchema = z.discriminatedUnion(
  'scheme',
  [
    z.strictObject({
      /** The theorems' initialization: `|U_lᵀv_l| = scale·|η|` for l < L, last layer 0. */
      scheme: z.literal('odeco'),
      /** Initialization scale α > 0. */
      scale: positive('scale'),
      /** Shape η: `'ones'` or m non-zero numbers. */
      shape: z.union(
        [
          z.literal('ones'),
          z.array(z.number().refine((v) => v !== 0, { error: 'shape entries must be non-zero' })),
        ],
        {
          error: "shape must be 'ones' or an array of non-zero numbers",
        },
      ),
      /** Seed of the random signs. */
      seed,
    }),
    z.strictObject({
      /** I.i.d. entries `scale·N(0, 1)`. */
      scheme: z.literal('gaussian'),
      /** Standard deviation of the entries. */
      scale: positive('scale'),
      /** Seed of the draw. */
      seed,
    }),
    z.strictObject({
      /** Each layer a random direction of norm exactly `scale` (zero layer-norm invariants). */
      scheme: z.literal('balanced'),
      /** Norm of every layer. */
      scale: positive('scale'),
      /** Seed of the draw. */
      seed,
    }),
    z.strictObject({
      /** Given parameters, one vector per layer. */
      scheme: z.literal('explicit'),
      /** The layers `v_1..v_L` (lengths `k_l`). */
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

/** Attempted steps after which a run stops with status `max-steps` when `flow.maxSteps` is unset. */
export const DEFAULT_MAX_STEPS = 1_000_000;

const flowSchema = z.strictObject({
  /**
   * Integrator: `auto` (default: `exact` where it applies, else dopri5 switching to radau5 when
   * stiff), `exact` (the exact reduced flow of squared-loss regression on a real odeco network
   * from the odeco initialization, docs/theory/q-potential.md), `dopri5`, `radau5` and `rodas4`
   * (stiff), `rk4`, `gd`.
   */
  method: z
    .enum(['auto', 'exact', 'dopri5', 'radau5', 'rodas4', 'rk4', 'gd'], {
      error:
        "method must be 'auto', 'exact' (odeco regression), 'dopri5', 'radau5' (stiff), 'rodas4' (stiff), 'rk4' or 'gd'",
    })
    .default('auto'),
  /**
   * What an explicit `dopri5` run does when its step size is bound by stability (the problem
   * turned stiff): `'stop'` (default) ends it with status `stiff` and a message suggesting
   * `auto`; `'ignore'` keeps integrating (for reproducing published fixed-method runs).
   */
  stiffness: z
    .enum(['stop', 'ignore'], { error: "stiffness must be 'stop' or 'ignore'" })
    .optional(),
  /**
   * Relative error tolerance per step, in (0, 1). Default by the backend's precision
   * (`limitTolerances` of `@implicit-bias/flow`): 1e−10 on float64, 1e−5 on float32.
   */
  rtol: positive('rtol')
    .lt(1, {
      error: 'rtol must be < 1 (a relative error of 100% or more controls nothing), e.g. 1e-10',
    })
    .optional(),
  /** Absolute error tolerance per step. Default by precision: 1e−12 on float64, 1e−8 on float32. */
  atol: positive('atol').optional(),
  /** Fixed step size (`gd`, `rk4`) or the initial step of adaptive methods. */
  stepSize: positive('stepSize').optional(),
  /** `'physical'` t, or the exact time change σ (`'loss-normalized'`, the default for classification). */
  time: z
    .enum(['physical', 'loss-normalized'], {
      error: "time must be 'physical' or 'loss-normalized'",
    })
    .optional(),
  /** Stop conditions; the first one met ends a run. */
  until: z
    .strictObject({
      /** Stop when the loss is below this value (regression). */
      loss: positive('until.loss').optional(),
      /** Stop when the smallest margin `min_i y_i f(x_i)` reaches this value (classification). */
      margin: positive('until.margin').optional(),
      /** Stop at this time (in the run's time variable). */
      time: positive('until.time').optional(),
      /** Stop after this many accepted steps. */
      steps: posInt('until.steps').optional(),
    })
    .default({}),
  /**
   * Safety cap on attempted integrator steps, counted across resumes (default
   * {@link DEFAULT_MAX_STEPS}). A run that reaches it before its stop condition ends with status
   * `max-steps`, never `converged`.
   */
  maxSteps: posInt('maxSteps').optional(),
});

/** The JSON schema of a run config (`implicit-bias train|predict|compare --config run.json`). */
export const runConfigSchema = z.strictObject({
  /** `'regression'` (squared loss) or `'classification'` (labels ±1, exponential or logistic loss). */
  task: z.enum(['regression', 'classification'], {
    error: "task must be 'regression' or 'classification'",
  }),
  /** Where the data come from: a file or a seeded generator. */
  data: dataSchema,
  /** The network to train. */
  network: networkSchema,
  /** How the parameters start. */
  init: initSchema,
  /** Loss: `'squared'` for regression; `'exponential'` or `'logistic'` for classification. */
  loss: z.enum(['squared', 'exponential', 'logistic'], {
    error: "loss must be 'squared', 'exponential' or 'logistic'",
  }),
  /** Integrator, tolerances, time variable and stop conditions. */
  flow: flowSchema.default({ method: FLOW_DEFAULTS.method, until: {} }),
  /**
   * Backend id (`cpu`, `tfjs-cpu`, `wasm`, …). Optional: without it the command's `--backend`,
   * else the `IMPLICIT_BIAS_BACKEND` variable, else the best available backend (`cpu`) is used.
   * A sweep's runs always name one (`cpu` unless the spec or the variable says otherwise), so
   * that their run ids say where they ran.
   */
  backend: z.string({ error: 'backend must be a backend id string' }).optional(),
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

import { FLOW_DEFAULTS } from '@implicit-bias/flow';
import { z } from 'zod';
import { ImplicitBiasError } from '@implicit-bias/core';
import {
  dataSchema,
  fileDataSchema,
  generatorDataSchema,
  posInt,
  positive,
  seed,
  type DataConfig,
} from './run-config-data.js';

export type { DataConfig };

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

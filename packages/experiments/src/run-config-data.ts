// The data part of a run config and the small zod helpers every part of it uses.
import { z } from 'zod';

/** A positive number named `what` in its errors. */
export const positive = (what: string) =>
  z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
/** A positive integer named `what` in its errors. */
export const posInt = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be an integer` })
    .positive({ error: `${what} must be ≥ 1` });
/** A non-negative integer seed. */
export const seed = z
  .number({ error: 'seed must be a number' })
  .int({ error: 'seed must be an integer' })
  .min(0, { error: 'seed must be ≥ 0' });

/** A data file: `{ file, format?, label? }`. */
export const fileDataSchema = z.strictObject({
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
/** A seeded generator with its parameters. */
export const generatorDataSchema = z.discriminatedUnion(
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

/** The `data` part of a run config. */
export const dataSchema = z.union([fileDataSchema, generatorDataSchema], {
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

import type { HostMatrix } from '@implicit-bias/core';

/** The learning task a {@link Dataset} is meant for. */
export type Task = 'regression' | 'classification';

/**
 * What is known about how a data set was generated, when it was planted by a generator.
 * All fields are optional; generators fill in the ones that apply.
 */
export interface Planted {
  /** The planted regression vector β* or unit separator w (length d). */
  readonly beta?: Float64Array;
  /** Indices of the non-zero entries of `beta` (sparse settings), ascending. */
  readonly support?: readonly number[];
  /** DFT frequencies used to build a Fourier-sparse separator. */
  readonly frequencies?: readonly number[];
  /** Guaranteed lower bound on min_i y_i⟨w, x_i⟩/‖w‖ for classification generators. */
  readonly margin?: number;
  /** Standard deviation of the additive Gaussian label noise (regression). */
  readonly noise?: number;
}

/** Descriptive metadata of a {@link Dataset}. */
export interface DatasetMeta {
  /** Short identifier, e.g. `'gaussian-regression'` or `'iris-setosa-versicolor'`. */
  readonly name: string;
  /** Number of samples (rows of X). */
  readonly n: number;
  /** Number of features (columns of X). */
  readonly d: number;
  /** The seed the data was generated from, for generated data. */
  readonly seed?: number;
  /** Where the data comes from (citation or file name). */
  readonly source?: string;
  /** License of the data, for shipped real data. */
  readonly license?: string;
  /** Names of the feature columns, when known. */
  readonly featureNames?: readonly string[];
  /** Ground truth of generated data. */
  readonly planted?: Planted;
  /** One or two sentences on what the data is. */
  readonly description: string;
}

/**
 * A data set: an n×d design matrix whose rows are samples, n targets, and metadata.
 * For `task: 'classification'` every target is exactly +1 or −1.
 */
export interface Dataset {
  /** Regression (real targets) or binary classification (targets ±1). */
  readonly task: Task;
  /** The n×d design matrix, rows are samples. */
  readonly X: HostMatrix;
  /** The n targets. */
  readonly y: Float64Array;
  /** Metadata. */
  readonly meta: DatasetMeta;
}

/**
 * Seeded data generators for the settings of the paper, shipped real data sets, and validated
 * loaders for user data.
 *
 * @packageDocumentation
 */
export type { Dataset, DatasetMeta, Planted, Task } from './dataset.js';
export { gaussianRegression } from './gaussian-regression.js';
export type { GaussianRegressionOptions } from './gaussian-regression.js';
export { separableClassification } from './separable-classification.js';
export type { SeparableClassificationOptions, SeparatorKind } from './separable-classification.js';
export { soudry2018 } from './soudry2018.js';
export type { Soudry2018Options } from './soudry2018.js';
export { woodworthSparse } from './woodworth-sparse.js';
export type { WoodworthSparseOptions } from './woodworth-sparse.js';
export { irisSetosaVersicolor, IRIS_SOURCE, IRIS_LICENSE } from './real/iris-setosa-versicolor.js';
export { longley, LONGLEY_SOURCE, LONGLEY_LICENSE } from './real/longley.js';
export { standardize, applyStandardization, centerTargets } from './standardize.js';
export type { StandardizationParams, Standardized } from './standardize.js';
export { makeDataset } from './validate.js';
export type { DatasetRequirements } from './validate.js';
export { takeRows } from './take-rows.js';
export { parseJsonData } from './parse-json.js';
export { parseCsvData } from './parse-csv.js';
export { loadJsonFile, loadCsvFile } from './load-file.js';
export type { LoadOptions, CsvOptions } from './load-options.js';

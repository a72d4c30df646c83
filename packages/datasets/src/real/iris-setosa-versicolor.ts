import type { Dataset } from '../dataset.js';

/**
 * Fisher's Iris data (Fisher 1936; measurements by E. Anderson), the 50 setosa and 50
 * versicolor flowers, in the order and with the values of R's `datasets::iris` (which follows
 * Fisher's paper; the UCI `iris.data` file differs in two setosa rows, 35 and 38).
 * Columns: sepal length, sepal width, petal length, petal width (cm).
 */
const ROWS: readonly (readonly [number, number, number, number])[] = [
  // setosa (label −1)
  [5.1, 3.5, 1.4, 0.2],
  [4.9, 3.0, 1.4, 0.2],
  [4.7, 3.2, 1.3, 0.2],
  [4.6, 3.1, 1.5, 0.2],
  [5.0, 3.6, 1.4, 0.2],
  [5.4, 3.9, 1.7, 0.4],
  [4.6, 3.4, 1.4, 0.3],
  [5.0, 3.4, 1.5, 0.2],
  [4.4, 2.9, 1.4, 0.2],
  [4.9, 3.1, 1.5, 0.1],
  [5.4, 3.7, 1.5, 0.2],
  [4.8, 3.4, 1.6, 0.2],
  [4.8, 3.0, 1.4, 0.1],
  [4.3, 3.0, 1.1, 0.1],
  [5.8, 4.0, 1.2, 0.2],
  [5.7, 4.4, 1.5, 0.4],
  [5.4, 3.9, 1.3, 0.4],
  [5.1, 3.5, 1.4, 0.3],
  [5.7, 3.8, 1.7, 0.3],
  [5.1, 3.8, 1.5, 0.3],
  [5.4, 3.4, 1.7, 0.2],
  [5.1, 3.7, 1.5, 0.4],
  [4.6, 3.6, 1.0, 0.2],
  [5.1, 3.3, 1.7, 0.5],
  [4.8, 3.4, 1.9, 0.2],
  [5.0, 3.0, 1.6, 0.2],
  [5.0, 3.4, 1.6, 0.4],
  [5.2, 3.5, 1.5, 0.2],
  [5.2, 3.4, 1.4, 0.2],
  [4.7, 3.2, 1.6, 0.2],
  [4.8, 3.1, 1.6, 0.2],
  [5.4, 3.4, 1.5, 0.4],
  [5.2, 4.1, 1.5, 0.1],
  [5.5, 4.2, 1.4, 0.2],
  [4.9, 3.1, 1.5, 0.2],
  [5.0, 3.2, 1.2, 0.2],
  [5.5, 3.5, 1.3, 0.2],
  [4.9, 3.6, 1.4, 0.1],
  [4.4, 3.0, 1.3, 0.2],
  [5.1, 3.4, 1.5, 0.2],
  [5.0, 3.5, 1.3, 0.3],
  [4.5, 2.3, 1.3, 0.3],
  [4.4, 3.2, 1.3, 0.2],
  [5.0, 3.5, 1.6, 0.6],
  [5.1, 3.8, 1.9, 0.4],
  [4.8, 3.0, 1.4, 0.3],
  [5.1, 3.8, 1.6, 0.2],
  [4.6, 3.2, 1.4, 0.2],
  [5.3, 3.7, 1.5, 0.2],
  [5.0, 3.3, 1.4, 0.2],
  // versicolor (label +1)
  [7.0, 3.2, 4.7, 1.4],
  [6.4, 3.2, 4.5, 1.5],
  [6.9, 3.1, 4.9, 1.5],
  [5.5, 2.3, 4.0, 1.3],
  [6.5, 2.8, 4.6, 1.5],
  [5.7, 2.8, 4.5, 1.3],
  [6.3, 3.3, 4.7, 1.6],
  [4.9, 2.4, 3.3, 1.0],
  [6.6, 2.9, 4.6, 1.3],
  [5.2, 2.7, 3.9, 1.4],
  [5.0, 2.0, 3.5, 1.0],
  [5.9, 3.0, 4.2, 1.5],
  [6.0, 2.2, 4.0, 1.0],
  [6.1, 2.9, 4.7, 1.4],
  [5.6, 2.9, 3.6, 1.3],
  [6.7, 3.1, 4.4, 1.4],
  [5.6, 3.0, 4.5, 1.5],
  [5.8, 2.7, 4.1, 1.0],
  [6.2, 2.2, 4.5, 1.5],
  [5.6, 2.5, 3.9, 1.1],
  [5.9, 3.2, 4.8, 1.8],
  [6.1, 2.8, 4.0, 1.3],
  [6.3, 2.5, 4.9, 1.5],
  [6.1, 2.8, 4.7, 1.2],
  [6.4, 2.9, 4.3, 1.3],
  [6.6, 3.0, 4.4, 1.4],
  [6.8, 2.8, 4.8, 1.4],
  [6.7, 3.0, 5.0, 1.7],
  [6.0, 2.9, 4.5, 1.5],
  [5.7, 2.6, 3.5, 1.0],
  [5.5, 2.4, 3.8, 1.1],
  [5.5, 2.4, 3.7, 1.0],
  [5.8, 2.7, 3.9, 1.2],
  [6.0, 2.7, 5.1, 1.6],
  [5.4, 3.0, 4.5, 1.5],
  [6.0, 3.4, 4.5, 1.6],
  [6.7, 3.1, 4.7, 1.5],
  [6.3, 2.3, 4.4, 1.3],
  [5.6, 3.0, 4.1, 1.3],
  [5.5, 2.5, 4.0, 1.3],
  [5.5, 2.6, 4.4, 1.2],
  [6.1, 3.0, 4.6, 1.4],
  [5.8, 2.6, 4.0, 1.2],
  [5.0, 2.3, 3.3, 1.0],
  [5.6, 2.7, 4.2, 1.3],
  [5.7, 3.0, 4.2, 1.2],
  [5.7, 2.9, 4.2, 1.3],
  [6.2, 2.9, 4.3, 1.3],
  [5.1, 2.5, 3.0, 1.1],
  [5.7, 2.8, 4.1, 1.3],
];

/** Provenance of {@link irisSetosaVersicolor}. */
export const IRIS_SOURCE =
  'R. A. Fisher (1936), The use of multiple measurements in taxonomic problems, Annals of ' +
  'Eugenics 7(2):179-188 (data collected by E. Anderson); also UCI Machine Learning Repository, ' +
  'Iris, doi:10.24432/C56C76. Values as in R datasets::iris.';

/** License of {@link irisSetosaVersicolor}. */
export const IRIS_LICENSE =
  'CC BY 4.0 (UCI Machine Learning Repository distribution); the 1936 measurements ' +
  'themselves are facts, widely treated as public domain';

/**
 * The two-class Iris subset setosa (y = −1, rows 0–49) vs versicolor (y = +1, rows 50–99):
 * n = 100, d = 4, raw measurements in cm. Linearly separable; after `standardize`
 * the petal-length coordinate alone separates the classes through the origin.
 */
export function irisSetosaVersicolor(): Dataset {
  const n = ROWS.length;
  const data = new Float64Array(n * 4);
  ROWS.forEach((r, i) => data.set(r, 4 * i));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = i < 50 ? -1 : 1;
  return {
    task: 'classification',
    X: { rows: n, cols: 4, data },
    y,
    meta: {
      name: 'iris-setosa-versicolor',
      n,
      d: 4,
      source: IRIS_SOURCE,
      license: IRIS_LICENSE,
      featureNames: [
        'sepal length (cm)',
        'sepal width (cm)',
        'petal length (cm)',
        'petal width (cm)',
      ],
      description:
        'Fisher/Anderson Iris flowers, setosa (−1) vs versicolor (+1), 4 raw measurements in cm; ' +
        'linearly separable (standardize before training on it).',
    },
  };
}

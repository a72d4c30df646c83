import type { Dataset } from '../dataset.js';

/**
 * Longley's (1967) macroeconomic data for the USA, 1947–1962, with the units of R's
 * `datasets::longley`: GNP implicit price deflator (1954 = 100), GNP (billions of dollars),
 * unemployed (thousands), armed forces (thousands), non-institutionalized population ≥ 14
 * years (millions), year, and the target: employed persons (millions).
 * (NIST StRD scales GNP, population and employed by 1000 and unemployed, armed forces by 10.)
 */
const ROWS: readonly (readonly [number, number, number, number, number, number, number])[] = [
  [83.0, 234.289, 235.6, 159.0, 107.608, 1947, 60.323],
  [88.5, 259.426, 232.5, 145.6, 108.632, 1948, 61.122],
  [88.2, 258.054, 368.2, 161.6, 109.773, 1949, 60.171],
  [89.5, 284.599, 335.1, 165.0, 110.929, 1950, 61.187],
  [96.2, 328.975, 209.9, 309.9, 112.075, 1951, 63.221],
  [98.1, 346.999, 193.2, 359.4, 113.27, 1952, 63.639],
  [99.0, 365.385, 187.0, 354.7, 115.094, 1953, 64.989],
  [100.0, 363.112, 357.8, 335.0, 116.219, 1954, 63.761],
  [101.2, 397.469, 290.4, 304.8, 117.388, 1955, 66.019],
  [104.6, 419.18, 282.2, 285.7, 118.734, 1956, 67.857],
  [108.4, 442.769, 293.6, 279.8, 120.445, 1957, 68.169],
  [110.8, 444.546, 468.1, 263.7, 121.95, 1958, 66.513],
  [112.6, 482.704, 381.3, 255.2, 123.366, 1959, 68.655],
  [114.2, 502.601, 393.1, 251.4, 125.368, 1960, 69.564],
  [115.7, 518.173, 480.6, 257.2, 127.852, 1961, 69.331],
  [116.9, 554.894, 400.7, 282.7, 130.081, 1962, 70.551],
];

/** Provenance of {@link longley}. */
export const LONGLEY_SOURCE =
  'J. W. Longley (1967), An appraisal of least squares programs for the electronic computer ' +
  'from the point of view of the user, JASA 62(319):819-841; US Bureau of Labor Statistics and ' +
  'Department of Commerce series; also NIST StRD "Longley" and R datasets::longley.';

/** License of {@link longley}. */
export const LONGLEY_LICENSE = 'Public domain (US government statistics)';

/**
 * Longley's ill-conditioned regression data: n = 16 years, d = 6 features (deflator, GNP,
 * unemployed, armed forces, population, year), target employed (millions). For the
 * underdetermined setting take fewer than 6 rows with `takeRows`, after standardizing.
 */
export function longley(): Dataset {
  const n = ROWS.length;
  const d = 6;
  const data = new Float64Array(n * d);
  const y = new Float64Array(n);
  ROWS.forEach((r, i) => {
    for (let j = 0; j < d; j++) data[i * d + j] = r[j]!;
    y[i] = r[d]!;
  });
  return {
    task: 'regression',
    X: { rows: n, cols: d, data },
    y,
    meta: {
      name: 'longley',
      n,
      d,
      source: LONGLEY_SOURCE,
      license: LONGLEY_LICENSE,
      featureNames: [
        'GNP deflator (1954 = 100)',
        'GNP (billion $)',
        'unemployed (thousands)',
        'armed forces (thousands)',
        'population ≥ 14 (millions)',
        'year',
      ],
      description:
        'Longley (1967) US macroeconomic data 1947–1962: employed (millions) against 6 ' +
        'highly collinear predictors; a classic numerical-accuracy benchmark (NIST StRD).',
    },
  };
}

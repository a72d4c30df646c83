import type { ExperimentDefinition } from '../experiment.js';
import { classificationExperiment } from './classification.js';
import { groupExperiment } from './group.js';
import { regressionExperiment } from './regression.js';
import { soudryExperiment } from './soudry.js';
import { woodworthExperiment } from './woodworth.js';

/** The paper suite run by `implicit-bias reproduce`, in report order. */
export const paperSuite: readonly ExperimentDefinition[] = [
  regressionExperiment,
  classificationExperiment,
  soudryExperiment,
  woodworthExperiment,
  groupExperiment,
];

/** What the report says about our protocol. */
export const PROTOCOL =
  'We reproduce the questions of Yun, Krishnan & Mobahi (ICLR 2021) on our own protocol: synthetic data from seeded generators, float64 arithmetic, gradient flow integrated with error-controlled adaptive methods, and predictions computed independently in float64. ' +
  "The paper's exact hyper-parameters (data sizes, seeds, step sizes, iteration counts) are not available to us and are NOT reproduced; no number here is the paper's.\n\n" +
  'Every distance below is measured, not assumed: for classification we report the gap at the margin actually reached, because convergence in direction is only logarithmic in time.';

export {
  classificationExperiment,
  groupExperiment,
  regressionExperiment,
  soudryExperiment,
  woodworthExperiment,
};

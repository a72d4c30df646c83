/**
 * The experiments of implicit-bias reproducing the paper's research questions, with a result
 * store and reports.
 *
 * @packageDocumentation
 */
export { parseRunConfig, runConfigSchema } from './run-config.js';
export type { RunConfig, DataConfig } from './run-config.js';
export { loadRunData, buildNetwork, initialParams, underPath } from './resolve.js';
export { gridOf, pointId, PointInterruptedError } from './experiment.js';
export type {
  ExperimentDefinition,
  PointParams,
  PointMetrics,
  PointContext,
} from './experiment.js';
export { runSuite } from './run-suite.js';
export type { SuiteOptions, SuiteProgress, SuiteResult } from './run-suite.js';
export { renderFigureSvg, vegaLiteSpec } from './figure.js';
export type { AxisSpec, FigureSpec, FigureRow } from './figure.js';
export { PointStore, writeFileAtomic } from './point-store.js';
export type { PointResult, PointStoreKey } from './point-store.js';
export { renderReportHtml, escapeHtml, formatNumber } from './report.js';
export type { Report, ReportSection, ReportFigure, ReportTable, ReportCheck } from './report.js';
export { trainRun, flowOptions, defaultUntil, runKey, DEFAULT_MAX_STEPS } from './train.js';
export type { TrainResult, TrainOptions } from './train.js';
export { predictFor, distanceTo, certificatesFor, initScaleShape } from './predict.js';
export type { PredictionJson } from './predict.js';
export { compareRun, judgeTrained } from './compare-run.js';
export type { Comparison, Judgement } from './compare-run.js';
export {
  paperSuite,
  PROTOCOL,
  regressionExperiment,
  classificationExperiment,
  soudryExperiment,
  woodworthExperiment,
} from './suite/index.js';
export { reducedFlowField, solveReducedFlow } from './reduced-flow.js';
export type {
  ReducedFlowProblem,
  ReducedFlowField,
  ReducedFieldSettings,
  ReducedFlowOptions,
  ReducedFlowPoint,
  ReducedFlowResult,
} from './reduced-flow.js';
export * from './sweep/index.js';

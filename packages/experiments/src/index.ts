/**
 * The experiments of implicit-bias reproducing the paper's research questions, with a result
 * store and reports.
 *
 * @packageDocumentation
 */
export { parseRunConfig, runConfigSchema, DEFAULT_MAX_STEPS } from './run-config.js';
export type { RunConfig, DataConfig } from './run-config.js';
export { loadRunData, buildNetwork, initialParams, prepareRun, underPath } from './resolve.js';
export type { PreparedRun } from './resolve.js';
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
export { renderReportHtml, escapeHtml, formatNumber, describeStationary } from './report.js';
export type { Report, ReportSection, ReportFigure, ReportTable, ReportCheck } from './report.js';
export {
  trainRun,
  runTraining,
  flowOptions,
  defaultUntil,
  runKey,
  accumulateHistory,
  thinHistory,
  HISTORY_POINTS,
  DEFAULT_CHUNK_MS,
  DEFAULT_CHECKPOINT_MS,
} from './train.js';
export type { TrainResult, TrainOptions, TrainOutcome } from './train.js';
export { exactUnsupported, usesExactMethod } from './train-exact.js';
export {
  readTrainCheckpoint,
  writeTrainCheckpoint,
  removeTrainCheckpoint,
  removeStaleTemps,
  TRAIN_CHECKPOINT_FORMAT,
  TRAIN_CHECKPOINT_VERSION,
} from './train-checkpoint.js';
export type {
  CheckpointBackend,
  ExactCheckpoint,
  TrainCheckpointBody,
  TrainHistory,
} from './train-checkpoint.js';
export { stringifyJson, parseJson } from './json-text.js';
export { predictFor, distanceTo, certificatesFor, initScaleShape } from './predict.js';
export type { PredictionJson } from './predict.js';
export { stationaryFor, SAME_POINT_TOLERANCE } from './stationary-point.js';
export type { StationaryComparison, KktCertificateJson } from './stationary-point.js';
export { compareRun, judgeTrained, judgeOrExplain, TrainingInterrupted } from './compare-run.js';
export type { Comparison, Judgement, Explained } from './compare-run.js';
export {
  paperSuite,
  PROTOCOL,
  regressionExperiment,
  classificationExperiment,
  soudryExperiment,
  woodworthExperiment,
} from './suite/index.js';
export { reducedFlowField } from './reduced-flow.js';
export type { ReducedFlowProblem, ReducedFlowField, ReducedFieldSettings } from './reduced-flow.js';
export { solveReducedFlow } from './reduced-flow-solve.js';
export type {
  ReducedFlowOptions,
  ReducedFlowPoint,
  ReducedFlowResult,
} from './reduced-flow-solve.js';
export * from './sweep/index.js';

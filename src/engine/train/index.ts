/** The fine-tuning engine's public API. */
export { train, resumeRun, type TrainOptions, type TrainSettings, type TrainResult, type TrainMode, type DataSource } from './trainer';
export { evaluateEncoderRun, type EvalRunOptions, type EvalRunResult } from './eval-run';
export { runSweep, expandGrid, type SweepGrid, type SweepPoint, type SweepResult } from './sweep';
export { listRuns, locateRun, readMetrics, readSummary, runState, type RunInfo, type RunState, type RunStatus, type RunSummary } from './runs';
export { LOSS_NAMES, isLossName, type LossName, type LossOptions } from './losses/index';
export { loadTrainingSet, dataKindFor, type DataFields, type DataKind, type TrainingSet } from './training-data';
export { useTrainingBackend, type TrainingBackend } from './backend';
export type { EvalMetrics } from './evaluate';

/**
 * What defines a training run (the settings saved in its config.json), what a run returns,
 * and the settings' defaults and checks. Shared by head mode (head/head-trainer.ts) and full
 * mode (transformer/full-trainer.ts).
 */
import type { TrainingBackend } from './backend';
import type { EncoderContext } from '../encoders/provider';
import type { JobOptions } from '../util/job';
import { InputError } from '../util/errors';
import { DEFAULT_SEED, TRAIN_DEFAULTS } from '../defaults';
import type { LossName, LossOptions } from './losses/index';
import type { DataShape, RequestedLoss } from './choose-loss';
import type { DataFields } from './training-data';
import type { HeadKind } from './heads/index';
import type { EvalMetrics } from './evaluate';
import type { DataSkips, RunStatus, RunSummary } from './runs';

export type TrainMode = 'head' | 'full';

export interface DataSource {
  file: string;
  fields?: DataFields;
}

/** What a run trained on besides human scores: a language model's pre-scored pairs (opt-in). */
export interface WeakLabelRecord {
  source: 'llm';
  models: string[];
  /** LLM pre-scored pairs in the training data. */
  pairs: number;
  /** Human-scored pairs in the training data, and held out for evaluation (human scores only). */
  humanPairs: number;
  heldOutHumanPairs: number;
}

/** Everything that defines a run; saved in config.json (`options`) so it can be repeated. */
export interface TrainSettings {
  train: DataSource;
  /** Held-out data (same fields as train unless given). Without it, `evalFraction` of train is held out. */
  eval?: DataSource;
  /** Default 0.1 (0 = no evaluation). DEC evaluates on its training texts instead. */
  evalFraction?: number;
  /** Train on at most this many examples (≤ 1: this fraction), after the held-out split. */
  trainLimit?: number;
  /** The loss to train with (chosen from the data when asked for "auto": choose-loss.ts). */
  loss: LossName;
  /** What the user asked for, the data's shape and why this loss (written by chooseRunLoss). */
  lossChoice?: { requested: RequestedLoss; shape: DataShape; reason: string };
  /** MNR/MegaBatch on scored pairs: only the pairs scored at or above this train (default TRAIN_DEFAULTS.mnrMinScore). */
  minScore?: number;
  lossOptions?: LossOptions;
  mode?: TrainMode;
  /** Encoder spec for resolveEncoder. Default "builtin". */
  encoder?: string;
  head?: { kind?: HeadKind; hidden?: number };
  /** Full mode: dropout probability for hidden states and attention (default: the model's config.json). */
  dropout?: number;
  /**
   * Full mode: texts per forward pass with a gradient cache (as CachedMNRL), so that the batch,
   * and its in-batch negatives, can exceed what fits in memory. Default: the whole batch at once.
   */
  miniBatch?: number;
  /**
   * With evaluation data: the most epochs to train (default TRAIN_DEFAULTS.maxEpochs), stopping early
   * when the evaluation metric has not improved for `patience` evaluations. Without: the epochs to
   * train (default: from the data size, TRAIN_DEFAULTS.examplesPerRun examples seen, 1 to maxEpochs).
   */
  epochs?: number;
  /** Evaluations without improvement before stopping early (default TRAIN_DEFAULTS.patience; 0: never stop early). */
  patience?: number;
  batchSize?: number;
  lr?: number;
  /** Fraction of the steps spent warming up. Default 0.1. */
  warmupRatio?: number;
  weightDecay?: number;
  maxSteps?: number;
  /** Evaluate every N steps (default: at the end of each epoch). */
  evalEvery?: number;
  /** Save a resumable checkpoint every N steps (default: at each evaluation, at least every 200). */
  checkpointEvery?: number;
  seed?: number;
  backend?: TrainingBackend | 'auto';
  /** Any skipped row of the data is an error naming its file, line and field (default: skip and report). */
  strict?: boolean;
  /** Recorded only: the training data holds a language model's pre-scores as weak labels (train-job.ts). */
  weakLabels?: WeakLabelRecord;
  sweep?: { id: string; index: number; params: Record<string, unknown> };
  /**
   * Set on runs the active loop made: its round, the scored pairs there were, how many it
   * trained on, and the held-out share (pairs chosen by a hash of their ids, never trained on).
   */
  activeLoop?: { round: number; annotations: number; trained: number; heldOut: number; heldOutPercent: number };
}

/** A run as asked for: its loss may be "auto" (or left out), chosen from the data before training. */
export type TrainRequest = Omit<TrainOptions, 'loss'> & { loss?: RequestedLoss };

export interface TrainOptions extends TrainSettings, JobOptions {
  /** The folder holding runs/ (a project folder or --out). */
  root: string;
  runId?: string;
  /** Replace an existing run of the same id (otherwise reusing an id is an error). */
  overwrite?: boolean;
  /** Passed to resolveEncoder (its secrets are never written to the run). */
  encoderContext?: EncoderContext;
  /**
   * Full mode on the wasm backend: the bytes of wasm memory a step may plan to use (default 80 %
   * of the 4 GB limit). Tests set it small to exercise the automatic mini-batch without 4 GB.
   */
  memoryBudgetBytes?: number;
}

export interface TrainResult {
  run: string;
  id: string;
  status: RunStatus;
  before: EvalMetrics;
  after: EvalMetrics;
  best?: RunSummary['best'];
  steps: number;
  totalSteps: number;
  durationMs: number;
  backend: TrainingBackend;
  /** Rows of the data files that were skipped, as `import` reports them. */
  skipped?: DataSkips;
  /** The runner that trained it (builtin when absent) and, for python and ray, the torch device. */
  runner?: 'builtin' | 'python' | 'ray';
  device?: string;
  /** Epochs planned (the cap when stopping early), and whether the run stopped before them. */
  epochs?: number;
  stoppedEarly?: RunSummary['stoppedEarly'];
  /** What the run chose and warned about: the loss, the data filter, a small evaluation set, the epochs. */
  notes?: string[];
  /** ray: where it ran (the cluster, the Ray job), as recorded in the run's ray.json. */
  ray?: { address: string; jobId?: string; submissionId?: string; workers?: number; useGpu?: boolean };
}

export interface Resolved {
  loss: LossName;
  lossOptions: LossOptions;
  /** Epochs planned: given, or chosen from the data (resolveEpochs); the cap when stopping early. */
  epochs: number;
  /** How `epochs` was set. */
  epochsFrom: 'given' | 'cap' | 'data size';
  /** Evaluations without improvement before stopping early (0: the run never stops early). */
  patience: number;
  batchSize: number;
  lr: number;
  warmupRatio: number;
  weightDecay: number;
  seed: number;
  evalFraction: number;
}

export interface CheckpointState {
  step: number;
  epoch: number;
  optimizerStep: number;
  best?: RunSummary['best'];
  bestMetrics?: EvalMetrics;
  last?: EvalMetrics;
  before: EvalMetrics;
  /** Evaluations since the best one (early stopping goes on counting after a resume). */
  evalsSinceBest?: number;
  startedAt: string;
  elapsedMs: number;
}

export function resolveSettings(s: TrainSettings): Resolved {
  const r: Resolved = {
    loss: s.loss,
    lossOptions: { ...(s.lossOptions ?? {}) },
    epochs: s.epochs ?? TRAIN_DEFAULTS.maxEpochs,
    epochsFrom: s.epochs !== undefined ? 'given' : 'cap',
    patience: s.patience ?? TRAIN_DEFAULTS.patience,
    batchSize: s.batchSize ?? TRAIN_DEFAULTS.batchSize,
    lr: s.lr ?? TRAIN_DEFAULTS.headLearningRate,
    warmupRatio: s.warmupRatio ?? TRAIN_DEFAULTS.warmupRatio,
    weightDecay: s.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
    seed: s.seed ?? DEFAULT_SEED,
    evalFraction: s.evalFraction ?? TRAIN_DEFAULTS.evalFraction,
  };
  const bad = (field: string, why: string) => new InputError(why, { field });
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw bad('epochs', `epochs must be a positive integer, got ${r.epochs}`);
  if (!Number.isInteger(r.patience) || r.patience < 0) throw bad('patience', `the patience must be a whole number of evaluations ≥ 0, got ${r.patience}`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 2) throw bad('batch-size', `the batch size must be an integer ≥ 2, got ${r.batchSize}`);
  if (!(r.lr > 0)) throw bad('lr', `the learning rate must be positive, got ${r.lr}`);
  if (!(r.evalFraction >= 0 && r.evalFraction < 1)) throw bad('eval-fraction', `the held-out fraction must be in [0, 1), got ${r.evalFraction}`);
  if (s.miniBatch !== undefined) {
    if ((s.mode ?? 'head') !== 'full') throw bad('mini-batch', 'the gradient cache (--mini-batch) is for full mode: head mode trains on cached embeddings already');
    if (!Number.isInteger(s.miniBatch) || s.miniBatch < 1) throw bad('mini-batch', `the mini-batch must be a positive integer, got ${s.miniBatch}`);
  }
  return r;
}

/**
 * The epochs of a run once its data is known. A run that evaluates (held-out data, and a loss
 * whose evaluation may choose the model: not DEC) trains up to `epochs` (default the cap) and
 * stops early after `patience` evaluations without improvement. One that does not cannot stop
 * early: it trains the given epochs, else as many as make about TRAIN_DEFAULTS.examplesPerRun
 * examples seen (1 to the cap).
 */
export function resolveEpochs(s: TrainSettings, r: Resolved, trainSize: number, evaluates: boolean): Resolved {
  if (evaluates) return r;
  const fromSize = Math.min(TRAIN_DEFAULTS.maxEpochs, Math.max(1, Math.ceil(TRAIN_DEFAULTS.examplesPerRun / Math.max(1, trainSize))));
  return { ...r, patience: 0, ...(s.epochs === undefined ? { epochs: fromSize, epochsFrom: 'data size' as const } : {}) };
}

export function stripJob(o: TrainOptions): TrainSettings {
  const { signal: _s, onProgress: _p, root: _r, runId: _i, overwrite: _o, encoderContext, memoryBudgetBytes: _m, ...rest } = o;
  void _o;
  void _m;
  void _s;
  void _p;
  void _r;
  void _i;
  void encoderContext;
  return JSON.parse(JSON.stringify(rest)) as TrainSettings;
}

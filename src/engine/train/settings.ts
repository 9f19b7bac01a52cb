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
import type { DataFields } from './training-data';
import type { HeadKind } from './heads/index';
import type { EvalMetrics } from './evaluate';
import type { DataSkips, RunStatus, RunSummary } from './runs';

export type TrainMode = 'head' | 'full';

export interface DataSource {
  file: string;
  fields?: DataFields;
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
  loss: LossName;
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
  epochs?: number;
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
  sweep?: { id: string; index: number; params: Record<string, unknown> };
}

export interface TrainOptions extends TrainSettings, JobOptions {
  /** The folder holding runs/ (a project folder or --out). */
  root: string;
  runId?: string;
  /** Replace an existing run of the same id (otherwise reusing an id is an error). */
  overwrite?: boolean;
  /** Passed to resolveEncoder (its secrets are never written to the run). */
  encoderContext?: EncoderContext;
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
  /** ray: where it ran (the cluster, the Ray job), as recorded in the run's ray.json. */
  ray?: { address: string; jobId?: string; submissionId?: string; workers?: number; useGpu?: boolean };
}

export interface Resolved {
  loss: LossName;
  lossOptions: LossOptions;
  epochs: number;
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
  startedAt: string;
  elapsedMs: number;
}

export function resolveSettings(s: TrainSettings): Resolved {
  const r: Resolved = {
    loss: s.loss,
    lossOptions: { ...(s.lossOptions ?? {}) },
    epochs: s.epochs ?? TRAIN_DEFAULTS.epochs,
    batchSize: s.batchSize ?? TRAIN_DEFAULTS.batchSize,
    lr: s.lr ?? TRAIN_DEFAULTS.headLearningRate,
    warmupRatio: s.warmupRatio ?? TRAIN_DEFAULTS.warmupRatio,
    weightDecay: s.weightDecay ?? TRAIN_DEFAULTS.weightDecay,
    seed: s.seed ?? DEFAULT_SEED,
    evalFraction: s.evalFraction ?? TRAIN_DEFAULTS.evalFraction,
  };
  const bad = (field: string, why: string) => new InputError(why, { field });
  if (!Number.isInteger(r.epochs) || r.epochs < 1) throw bad('epochs', `epochs must be a positive integer, got ${r.epochs}`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 2) throw bad('batch-size', `the batch size must be an integer ≥ 2, got ${r.batchSize}`);
  if (!(r.lr > 0)) throw bad('lr', `the learning rate must be positive, got ${r.lr}`);
  if (!(r.evalFraction >= 0 && r.evalFraction < 1)) throw bad('eval-fraction', `the held-out fraction must be in [0, 1), got ${r.evalFraction}`);
  if (s.miniBatch !== undefined) {
    if ((s.mode ?? 'head') !== 'full') throw bad('mini-batch', 'the gradient cache (--mini-batch) is for full mode: head mode trains on cached embeddings already');
    if (!Number.isInteger(s.miniBatch) || s.miniBatch < 1) throw bad('mini-batch', `the mini-batch must be a positive integer, got ${s.miniBatch}`);
  }
  return r;
}

export function stripJob(o: TrainOptions): TrainSettings {
  const { signal: _s, onProgress: _p, root: _r, runId: _i, overwrite: _o, encoderContext, ...rest } = o;
  void _o;
  void _s;
  void _p;
  void _r;
  void _i;
  void encoderContext;
  return JSON.parse(JSON.stringify(rest)) as TrainSettings;
}

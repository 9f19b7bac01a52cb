/**
 * The choices of "Fine-tune…" and their defaults (the ones the sources found best: MNR
 * loss, batch 16, 6 epochs). Pure data, so the quick picks and the tests share it.
 */
import type { LossName } from '../../engine/train/losses/names';
import { TRAIN_DEFAULTS } from '../../engine/defaults';

export type TrainLoss = LossName;
export type TrainMode = 'head' | 'full';

export interface FineTunePlan {
  projectDir: string;
  /** "annotations" (scored pairs) or a dataset name (label pairs). */
  data: string;
  loss: TrainLoss;
  mode: TrainMode;
  epochs: number;
  batchSize: number;
  learningRate: number;
  baseEncoder: string;
  /** Where the steps run (builtin when absent) and what to say about it. */
  runner?: 'builtin' | 'python' | 'ray';
  where?: string;
  /** ray: the cluster address. */
  rayAddress?: string;
}

export const lossChoices: { id: TrainLoss; label: string; detail: string }[] = [
  { id: 'mnr', label: 'Multiple negatives ranking (MNR)', detail: 'in-batch negatives; best in the sources for retrieval and clustering' },
  { id: 'cosent', label: 'CoSENT', detail: 'ranks pairs by their 0–1 annotation scores' },
  { id: 'cosine', label: 'Cosine similarity', detail: 'regresses the cosine on the 0–1 annotation scores' },
  { id: 'triplet', label: 'Triplet', detail: 'anchor, positive, negative from labels' },
  { id: 'megabatch', label: 'MegaBatch margin', detail: 'hardest in-batch negatives for pairs' },
  { id: 'dec', label: 'DEC (unsupervised clustering)', detail: 'sharpens clusters without labels' },
];

export const modeChoices: { id: TrainMode; label: string; detail: string }[] = [
  { id: 'head', label: 'Head only (fast)', detail: 'a small projection on frozen embeddings: minutes on CPU' },
  { id: 'full', label: 'Full model', detail: 'fine-tunes the transformer itself: slow on CPU' },
];

export const epochChoices = [1, 2, 3, 4, 6, 8, 10];
export const batchChoices = [8, 16, 32, 64];
export const learningRateChoices = [1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 1e-3, 3e-3, 1e-2];

export interface FineTuneDefaults {
  loss: TrainLoss;
  epochs: number;
  batchSize: number;
  /** Full-model fine-tunes. */
  learningRate: number;
  /** Head-only fine-tunes. */
  headLearningRate: number;
}

export interface FineTuneSettingValues {
  'train.loss': string;
  'train.epochs': number;
  'train.batchSize': number;
  'train.learningRate': number;
  'train.headLearningRate': number;
}

/** Defaults from the settings, falling back to engine/defaults.ts (TRAIN_DEFAULTS). */
export function fineTuneDefaults(settings: FineTuneSettingValues): FineTuneDefaults {
  const loss = lossChoices.find((l) => l.id === settings['train.loss'])?.id ?? TRAIN_DEFAULTS.loss;
  return {
    loss,
    epochs: settings['train.epochs'] > 0 ? settings['train.epochs'] : TRAIN_DEFAULTS.epochs,
    batchSize: settings['train.batchSize'] > 0 ? settings['train.batchSize'] : TRAIN_DEFAULTS.batchSize,
    learningRate: settings['train.learningRate'] > 0 ? settings['train.learningRate'] : TRAIN_DEFAULTS.fullLearningRate,
    headLearningRate: settings['train.headLearningRate'] > 0 ? settings['train.headLearningRate'] : TRAIN_DEFAULTS.headLearningRate,
  };
}

/** The learning rate offered first for a mode. */
export function defaultLearningRate(d: FineTuneDefaults, mode: TrainMode): number {
  return mode === 'head' ? d.headLearningRate : d.learningRate;
}

/** Puts the default first in a list of numeric choices (adding it when absent). */
export function withDefaultFirst(choices: number[], value: number): number[] {
  return [value, ...choices.filter((c) => c !== value)];
}

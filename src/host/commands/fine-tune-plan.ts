/**
 * The choices of "Fine-tune…" and their defaults, from engine/defaults.ts as the CLI's: the loss
 * follows the data ("auto", engine/train/choose-loss.ts) and the epochs are automatic (early
 * stopping on the held-out part, up to a cap). Pure data, so the quick picks and the tests share it.
 */
import { chooseLoss, usableLosses, type DataShape, type RequestedLoss } from '../../engine/train/choose-loss';
import { TRAIN_DEFAULTS } from '../../engine/defaults';
import { AUTO_EPOCHS } from '../config-schema';

export type TrainLoss = RequestedLoss;
/** A number of epochs, or "auto". */
export type TrainEpochs = number | 'auto';
export type TrainMode = 'head' | 'full';

export interface FineTunePlan {
  projectDir: string;
  /** "annotations" (scored pairs) or a dataset name (label pairs). */
  data: string;
  loss: TrainLoss;
  mode: TrainMode;
  epochs: TrainEpochs;
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
  {
    id: 'auto',
    label: 'Follow the data',
    detail: 'annotated pairs: cosine on the 0–1 scores; labels: MNR on same-label pairs (a loss that cannot use the data is refused)',
  },
  { id: 'mnr', label: 'Multiple negatives ranking (MNR)', detail: `in-batch negatives; on annotated pairs only those scored ≥ ${TRAIN_DEFAULTS.mnrMinScore} train` },
  { id: 'cosent', label: 'CoSENT', detail: 'ranks pairs by their 0–1 annotation scores' },
  { id: 'cosine', label: 'Cosine similarity', detail: 'regresses the cosine on the 0–1 annotation scores' },
  { id: 'triplet', label: 'Triplet', detail: 'anchor, positive, negative from labels' },
  { id: 'megabatch', label: 'MegaBatch margin', detail: 'hardest in-batch negatives for pairs' },
  { id: 'dec', label: 'DEC (unsupervised clustering)', detail: 'sharpens clusters without labels' },
];

export interface LossItem {
  id: TrainLoss;
  label: string;
  detail: string;
  description?: string;
}

/**
 * The loss step's items for data of `shape`: only the losses that can use it (the engine's
 * usableLosses; the others would be refused by the run), the default first. "Follow the data"
 * names the loss it picks (cosine on scored pairs); MNR and MegaBatch on scored pairs say they
 * keep only the pairs scored at or above `defaults.mnrMinScore`. A default loss from the settings
 * that cannot use the data gives way to "Follow the data".
 */
export function lossItems(shape: DataShape, defaults: Pick<FineTuneDefaults, 'loss' | 'mnrMinScore'>): LossItem[] {
  const usable = usableLosses(shape);
  const offered = lossChoices.filter((l) => l.id === 'auto' ? shape !== 'texts' : usable.includes(l.id));
  const fallback = offered[0]?.id ?? 'auto';
  const def = offered.some((l) => l.id === defaults.loss) ? defaults.loss : fallback;
  const items = offered.map((l): LossItem => {
    if (l.id === 'auto') {
      const auto = chooseLoss(shape, 'auto');
      return { id: l.id, label: `${l.label}: ${auto.loss}`, detail: auto.reason };
    }
    if (shape === 'scored' && (l.id === 'mnr' || l.id === 'megabatch'))
      return { id: l.id, label: l.label, detail: chooseLoss(shape, l.id, { minScore: defaults.mnrMinScore }).reason };
    return { id: l.id, label: l.label, detail: l.detail };
  });
  return [...items.filter((i) => i.id === def).map((i) => ({ ...i, description: 'default' })), ...items.filter((i) => i.id !== def)];
}

export const modeChoices: { id: TrainMode; label: string; detail: string }[] = [
  { id: 'head', label: 'Head only (fast)', detail: 'a small projection on frozen embeddings: minutes on CPU' },
  { id: 'full', label: 'Full model', detail: 'fine-tunes the transformer itself: slow on CPU' },
];

export const epochChoices = [1, 2, 3, 4, 6, 8, 10];

/** The epochs step's items: automatic first, then fixed numbers (each the cap when the run stops early). */
export function epochItems(value: TrainEpochs): { label: string; description?: string; detail?: string; epochs: TrainEpochs }[] {
  const auto = {
    label: 'Automatic',
    detail: `up to ${TRAIN_DEFAULTS.maxEpochs}, stopping early when the held-out metric stops improving (the best epoch is kept)`,
    epochs: 'auto' as const,
  };
  const numbers = epochChoices.map((n) => ({ label: String(n), epochs: n as TrainEpochs }));
  const items = [auto, ...numbers];
  const first = items.find((i) => i.epochs === value) ?? { label: String(value), epochs: value };
  return [{ ...first, description: 'default' }, ...items.filter((i) => i.epochs !== value)];
}
export const batchChoices = [8, 16, 32, 64];
export const learningRateChoices = [1e-5, 2e-5, 3e-5, 5e-5, 1e-4, 1e-3, 3e-3, 1e-2];

export interface FineTuneDefaults {
  loss: TrainLoss;
  epochs: TrainEpochs;
  /** MNR on annotated pairs: the lowest score that trains. */
  mnrMinScore: number;
  batchSize: number;
  /** Full-model fine-tunes. */
  learningRate: number;
  /** Head-only fine-tunes. */
  headLearningRate: number;
}

export interface FineTuneSettingValues {
  'train.loss': string;
  'train.epochs': number;
  'train.mnrMinScore': number;
  'train.batchSize': number;
  'train.learningRate': number;
  'train.headLearningRate': number;
}

/** Defaults from the settings, falling back to engine/defaults.ts (TRAIN_DEFAULTS). */
export function fineTuneDefaults(settings: FineTuneSettingValues): FineTuneDefaults {
  const loss = lossChoices.find((l) => l.id === settings['train.loss'])?.id ?? TRAIN_DEFAULTS.loss;
  return {
    loss,
    epochs: settings['train.epochs'] > AUTO_EPOCHS ? Math.round(settings['train.epochs']) : TRAIN_DEFAULTS.epochs,
    mnrMinScore: settings['train.mnrMinScore'] >= 0 && settings['train.mnrMinScore'] <= 1 ? settings['train.mnrMinScore'] : TRAIN_DEFAULTS.mnrMinScore,
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

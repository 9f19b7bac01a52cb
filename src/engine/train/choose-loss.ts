/**
 * The loss follows the data. Given the shape of the training data (scored pairs, labelled texts,
 * unscored pairs, plain texts) and the loss the user asked for (or "auto"), `chooseLoss` returns
 * the loss to train with, the data filter it needs (MNR and MegaBatch on scored pairs keep only
 * the pairs scored at or above a threshold: they treat every pair as a match) and a sentence
 * saying what was chosen; a loss that cannot use the data is refused with an InputError that says
 * what would. `chooseRunLoss` reads the shape from the training file and applies the choice to a
 * run's settings: `train()` and the python runner call it, so `embedlab train`, `embedlab sweep`
 * and the extension's Fine-tune… all get the same choice.
 */
import { readRecords } from '../data/read-records';
import { InputError } from '../util/errors';
import { TRAIN_DEFAULTS } from '../defaults';
import type { DataFields } from './training-data';
import type { LossName } from './losses/names';
import type { TrainOptions, TrainRequest } from './settings';

/** What the training data holds. */
export type DataShape = 'scored' | 'pairs' | 'labelled' | 'texts';

/** The loss a run asks for: a loss name, or "auto" (the loss follows the data). */
export type RequestedLoss = LossName | 'auto';

/** The loss scored pairs train with by default (picked by measuring on STSb: see README, Results). */
export const DEFAULT_SCORED_LOSS: LossName = 'cosine';

export interface LossChoice {
  loss: LossName;
  /** MNR/MegaBatch on scored pairs: only the pairs scored at or above this train (as positives). */
  minScore?: number;
  /** What was chosen and why, for the run's notes and the command's output. */
  reason: string;
}

const SHAPE_TEXT: Record<DataShape, string> = {
  scored: 'scored pairs (text1, text2, score)',
  pairs: 'unscored pairs (text1, text2)',
  labelled: 'labelled texts (a label field)',
  texts: 'plain texts (no pairs, scores or labels)',
};

/** The losses that can train on each shape (the first is the default; plain texts have none). */
const USABLE: Record<DataShape, readonly LossName[]> = {
  scored: [DEFAULT_SCORED_LOSS, ...(['cosent', 'cosine', 'mnr', 'megabatch'] as const).filter((l) => l !== DEFAULT_SCORED_LOSS)],
  pairs: ['mnr', 'megabatch'],
  labelled: ['mnr', 'triplet', 'dec'],
  texts: ['dec'],
};

/** The losses that can use data of this shape. */
export function usableLosses(shape: DataShape): readonly LossName[] {
  return USABLE[shape];
}

function checkMinScore(minScore: number): number {
  if (!(minScore >= 0 && minScore <= 1)) throw new InputError(`the minimum score must be in 0–1, got ${minScore}`, { field: 'min-score' });
  return minScore;
}

/**
 * The loss for data of `shape`, given the user's loss (`auto` or undefined: the default for the
 * shape). Scored pairs default to a score-aware loss; labelled texts to MNR on same-label pairs;
 * unscored pairs to MNR. Plain texts have no default (DEC must be asked for).
 */
export function chooseLoss(shape: DataShape, requested: RequestedLoss | undefined, options: { minScore?: number; file?: string } = {}): LossChoice {
  const where = options.file ? { file: options.file, field: 'loss' } : { field: 'loss' };
  const usable = USABLE[shape];
  if (requested === undefined || requested === 'auto') {
    if (shape === 'texts')
      throw new InputError(
        `the training data holds ${SHAPE_TEXT.texts}: name a label field (--label), pair fields (--text1, --text2), or ask for the unsupervised dec loss (--loss dec)`,
        where,
      );
    const loss = usable[0];
    const why =
      shape === 'scored'
        ? `the ${loss} loss, which follows the 0–1 scores (pairs scored 0 are taught as unrelated)`
        : shape === 'labelled'
          ? 'the mnr loss on pairs of texts that share a label (other labels in the batch are the negatives)'
          : 'the mnr loss (each pair a match, the other pairs of the batch the negatives)';
    return { loss, reason: `${SHAPE_TEXT[shape]}: ${why}` };
  }
  if (!usable.includes(requested)) {
    const use = usable.length ? `use ${usable.join(' or ')}` : 'name a label field (--label) or pair fields (--text1, --text2)';
    const need: Record<LossName, string> = {
      cosine: 'scored pairs',
      cosent: 'scored pairs',
      mnr: 'pairs or labelled texts',
      megabatch: 'pairs',
      triplet: 'labelled texts (--label)',
      dec: 'texts (--text, optionally --label to score the clusters)',
    };
    throw new InputError(`the ${requested} loss cannot use ${SHAPE_TEXT[shape]}: it trains on ${need[requested]}; ${use}`, where);
  }
  if (shape === 'scored' && (requested === 'mnr' || requested === 'megabatch')) {
    const minScore = checkMinScore(options.minScore ?? TRAIN_DEFAULTS.mnrMinScore);
    return {
      loss: requested,
      minScore,
      reason: `${SHAPE_TEXT.scored}: the ${requested} loss treats every pair as a match, so only the pairs scored ≥ ${minScore} train`,
    };
  }
  return { loss: requested, reason: `${SHAPE_TEXT[shape]}: the ${requested} loss, as asked` };
}

/**
 * The shape of a training file, from the fields the user named and the first readable record:
 * a label field named (and no second text): labelled texts; the pair fields present: scored
 * pairs when the score field is there too, else unscored pairs; otherwise plain texts. The dec
 * loss always reads plain texts (labels, when named, only score it).
 */
export async function dataShapeOf(file: string, fields: DataFields, requested: RequestedLoss | undefined, signal?: AbortSignal): Promise<DataShape> {
  if (requested === 'dec') return fields.label ? 'labelled' : 'texts';
  if (fields.label && !fields.text2) return 'labelled';
  for await (const rec of readRecords(file, { signal, onSkip: () => undefined })) {
    const has = (f: string) => rec.fields[f] !== undefined && rec.fields[f] !== null;
    if (has(fields.text1 ?? 'text1') && has(fields.text2 ?? 'text2')) return has(fields.score ?? 'score') ? 'scored' : 'pairs';
    return 'texts';
  }
  throw new InputError('the training file has no readable record', { file });
}

/**
 * A run's settings with its loss chosen from the data: `loss` is a loss name, `minScore` the
 * filter the loss needs, and `lossChoice` records what was asked and why (saved in config.json).
 * A run whose loss was already chosen (a resume, a sweep point) is returned as is.
 */
export async function chooseRunLoss(request: TrainRequest): Promise<TrainOptions> {
  if (request.lossChoice && request.loss && request.loss !== 'auto') return { ...request, loss: request.loss };
  const fields = request.train.fields ?? {};
  const shape = await dataShapeOf(request.train.file, fields, request.loss, request.signal);
  const choice = chooseLoss(shape, request.loss, { minScore: request.minScore, file: request.train.file });
  return {
    ...request,
    loss: choice.loss,
    minScore: choice.minScore,
    lossChoice: { requested: request.loss ?? 'auto', shape, reason: choice.reason },
  };
}

/**
 * Loads a run's training data, splits off its held-out part and training limit, applies the
 * loss's data filter (MNR on scored pairs: only the pairs scored at or above the threshold),
 * settles the epochs (resolveEpochs) and says what it did in the run's notes: the loss chosen,
 * the pairs kept, an evaluation set too small to mean much, the epochs.
 */
import { createRng, shuffle } from '../util/random';
import { TRAIN_DEFAULTS } from '../defaults';
import { InputError } from '../util/errors';
import { checkLabelGroups, dataKindFor, loadTrainingSet, setSize, subset, type ScoredPairs, type TrainingSet } from './training-data';
import { resolveEpochs, type Resolved, type TrainOptions } from './settings';

export interface PreparedData {
  train: TrainingSet;
  eval?: TrainingSet;
  /** The settings with the epochs settled from the data. */
  resolved: Resolved;
  /** Sentences for the run's summary and the command's output. */
  notes: string[];
  /** Positions in the training file of the held-out examples (a held-out split of --train only). */
  heldOut?: number[];
}

/** The scored pairs at or above `minScore`, as (anchor, positive) pairs. */
function positivePairs(set: TrainingSet & ScoredPairs, minScore: number): TrainingSet {
  const keep = [...set.scores.keys()].filter((i) => set.scores[i] >= minScore);
  return { kind: 'pairs', file: set.file, anchors: keep.map((i) => set.text1[i]), positives: keep.map((i) => set.text2[i]), skipped: set.skipped };
}

/**
 * Makes the first `nEval` of `order` (the held-out pairs) hold two different scores when the data
 * has them: a few annotations drawn at random can all carry the same score, and Spearman is then
 * undefined (the run would fail at its first evaluation). The last held-out pair is swapped with
 * the first training pair, in shuffled order, whose score differs. False when every score is the same.
 */
function holdOutTwoScores(scores: Float32Array, order: number[], nEval: number): boolean {
  const first = scores[order[0]];
  for (let t = 1; t < nEval; t++) if (scores[order[t]] !== first) return true;
  for (let t = nEval; t < order.length; t++) {
    if (scores[order[t]] !== first) {
      [order[nEval - 1], order[t]] = [order[t], order[nEval - 1]];
      return true;
    }
  }
  return false;
}

/** What an evaluation on `n` examples is worth saying. */
function evalNote(n: number, kind: TrainingSet['kind']): string | undefined {
  if (n >= TRAIN_DEFAULTS.minEvalExamples) return undefined;
  const what = kind === 'scored' || kind === 'pairs' ? 'annotations' : 'labelled records';
  return `not enough ${what} yet (n < ${TRAIN_DEFAULTS.minEvalExamples}): the evaluation uses ${n} held-out example${n === 1 ? '' : 's'}, so its metrics and early stopping mean little`;
}

export async function prepareData(options: TrainOptions, r: Resolved): Promise<PreparedData> {
  const fields = options.train.fields ?? {};
  const filterScores = options.minScore !== undefined && (r.loss === 'mnr' || r.loss === 'megabatch') && !fields.label;
  const kind = filterScores ? 'scored' : dataKindFor(r.loss, fields);
  const needGroups = kind === 'labelled';
  const notes: string[] = options.lossChoice ? [options.lossChoice.reason] : [];
  let train = await loadTrainingSet(options.train.file, kind, fields, { ...options, requireTwoLabels: needGroups });
  let evalSet: TrainingSet | undefined;
  let heldOut: number[] | undefined;
  if (options.eval) {
    evalSet = await loadTrainingSet(options.eval.file, kind, { ...fields, ...(options.eval.fields ?? {}) }, options);
  } else if (kind === 'texts') {
    evalSet = train.kind === 'texts' && train.labels ? train : undefined;
  } else if (r.evalFraction > 0) {
    const n = setSize(train);
    const order = shuffle(
      Array.from({ length: n }, (_, i) => i),
      createRng(r.seed + 17),
    );
    const nEval = Math.min(n - 2, Math.max(2, Math.round(n * r.evalFraction)));
    if (nEval >= 2 && train.kind === 'scored' && !holdOutTwoScores(train.scores, order, nEval)) {
      // Spearman needs two different scores among the held-out pairs: with all pairs scored alike
      // there is nothing to rank, and the run trains on every pair without an evaluation.
      notes.push(`every annotated pair has the score ${train.scores[0]}: no held-out evaluation (Spearman needs two different scores); every pair trains`);
    } else if (nEval >= 2) {
      heldOut = order.slice(0, nEval).sort((a, b) => a - b);
      evalSet = subset(train, heldOut);
      train = subset(train, order.slice(nEval).sort((a, b) => a - b));
    }
  }
  if (options.trainLimit !== undefined) {
    const n = setSize(train);
    const limit = options.trainLimit <= 1 ? Math.round(n * options.trainLimit) : Math.floor(options.trainLimit);
    if (limit < n) {
      const order = shuffle(
        Array.from({ length: n }, (_, i) => i),
        createRng(r.seed + 29),
      );
      train = subset(train, order.slice(0, Math.max(2, limit)).sort((a, b) => a - b));
    }
  }
  if (filterScores && train.kind === 'scored') {
    const minScore = options.minScore!;
    const all = setSize(train);
    train = positivePairs(train, minScore);
    const kept = setSize(train);
    let note = `kept ${kept} of ${all} training pairs (scored ≥ ${minScore})`;
    if (evalSet?.kind === 'scored') {
      const evalAll = setSize(evalSet);
      evalSet = positivePairs(evalSet, minScore);
      note += ` and ${setSize(evalSet)} of ${evalAll} held-out pairs`;
      if (setSize(evalSet) < 2) evalSet = undefined;
    }
    notes.push(note);
    if (kept < 2)
      throw new InputError(`only ${kept} of ${all} pairs are scored ≥ ${minScore}: too few for the ${r.loss} loss; lower --min-score or use a score-aware loss (cosine, cosent)`, {
        file: options.train.file,
        field: 'min-score',
      });
  }
  if (train.kind === 'labelled') checkLabelGroups(train.labels, train.file, fields.label ?? 'label');

  // DEC's evaluation scores its own training texts against labels it never saw: it reports, it does not choose.
  const evaluates = evalSet !== undefined && r.loss !== 'dec';
  const resolved = resolveEpochs(options, r, setSize(train), evaluates);
  if (evalSet && r.loss !== 'dec') {
    const small = evalNote(setSize(evalSet), evalSet.kind);
    if (small) notes.push(small);
  }
  notes.push(
    resolved.patience > 0
      ? `up to ${resolved.epochs} epochs, stopping early after ${resolved.patience} evaluations without improvement; the best evaluation's model is kept`
      : `${resolved.epochs} epoch${resolved.epochs === 1 ? '' : 's'}${resolved.epochsFrom === 'data size' ? ` (from the data size: about ${TRAIN_DEFAULTS.examplesPerRun} examples seen)` : ''}${evaluates ? '' : ', no evaluation data to stop early on'}`,
  );
  return { train, eval: evalSet, resolved, notes, heldOut };
}

/** Loads a run's training data and splits off its held-out part and training limit. */
import { createRng, shuffle } from '../util/random';
import { checkLabelGroups, dataKindFor, loadTrainingSet, setSize, subset, type TrainingSet } from './training-data';
import type { Resolved, TrainOptions } from './settings';

export async function prepareData(options: TrainOptions, r: Resolved): Promise<{ train: TrainingSet; eval?: TrainingSet }> {
  const fields = options.train.fields ?? {};
  const kind = dataKindFor(r.loss, fields);
  const needGroups = kind === 'labelled';
  let train = await loadTrainingSet(options.train.file, kind, fields, { ...options, requireTwoLabels: needGroups });
  let evalSet: TrainingSet | undefined;
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
    if (nEval >= 2) {
      evalSet = subset(train, order.slice(0, nEval).sort((a, b) => a - b));
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
  if (train.kind === 'labelled') checkLabelGroups(train.labels, train.file, fields.label ?? 'label');
  return { train, eval: evalSet };
}

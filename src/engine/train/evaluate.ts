/**
 * Evaluation of embeddings on a held-out set, with the metrics that fit its shape:
 * Spearman/Pearson of cosines for scored pairs, top-k same-label for label groups,
 * recall@1/MRR@10 for (anchor, positive) pairs, NMI/purity for clusters.
 */
import { nmi, purity, topkSameLabel, scoredPairCorrelations, UndefinedCorrelationError } from '../metrics/index';
import { InputError } from '../util/errors';
import type { Matrix } from '../util/matrix';
import { row, dot } from '../util/matrix';

export type EvalMetrics = Record<string, number>;

/** Integer ids for string labels, in first-seen order. */
export function labelIds(labels: readonly string[]): { ids: Int32Array; names: string[] } {
  const map = new Map<string, number>();
  const ids = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    let id = map.get(l);
    if (id === undefined) map.set(l, (id = map.size));
    ids[i] = id;
  });
  return { ids, names: [...map.keys()] };
}

/**
 * Rows must be L2-normalised. Spearman and Pearson of cos(a_i, b_i) with the scores. When they
 * are undefined (scores all equal, similarities all equal) this throws an InputError saying why,
 * never a NaN that would read later as a failed run.
 */
export function evalScoredPairs(a: Matrix, b: Matrix, scores: Float32Array): EvalMetrics {
  const cos = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) cos[i] = dot(row(a, i), row(b, i));
  try {
    return scoredPairCorrelations(cos, scores);
  } catch (e) {
    if (e instanceof UndefinedCorrelationError) throw new InputError(`the evaluation pairs cannot be scored: ${e.message}`);
    throw e;
  }
}

/**
 * Top-k same-label rates for k in 1, 10, 25 and 1000 (when k < n), over at most `sample`
 * seeded query records (default 1000; the same queries before and after training).
 */
export function evalLabelGroups(x: Matrix, labels: Int32Array, seed = 42, sample = 1000): EvalMetrics {
  const out: EvalMetrics = {};
  for (const k of [1, 10, 25, 1000]) if (k < x.rows) out[`top${k}`] = topkSameLabel(x, labels, { k, seed, sample });
  return out;
}

/** Rows must be L2-normalised. For each anchor, the rank of its own positive among all positives. */
export function evalPairs(a: Matrix, b: Matrix): EvalMetrics {
  let hits = 0;
  let mrr = 0;
  for (let i = 0; i < a.rows; i++) {
    const ai = row(a, i);
    const own = dot(ai, row(b, i));
    let rank = 1;
    for (let j = 0; j < b.rows; j++) if (j !== i && dot(ai, row(b, j)) > own) rank++;
    if (rank === 1) hits++;
    if (rank <= 10) mrr += 1 / rank;
  }
  return { recall1: hits / a.rows, mrr10: mrr / a.rows };
}

/** NMI and purity of a clustering against the true labels. */
export function evalClusters(assignments: Int32Array, labels: Int32Array): EvalMetrics {
  return { nmi: nmi(labels, assignments), purity: purity(labels, assignments) };
}

/** The metric a run keeps its best checkpoint by, for each data shape (higher is better). */
export function primaryMetric(metrics: EvalMetrics): string | undefined {
  for (const name of ['spearman', 'top25', 'top10', 'top1', 'mrr10', 'nmi']) if (name in metrics) return name;
  return undefined;
}

/**
 * True when the evaluation only reports and must not choose the checkpoint: a clustering scored
 * against labels the (unsupervised) DEC loss never saw. Picking the best NMI would let those labels
 * select the model, so such runs keep their latest checkpoint instead.
 */
export function keepsLatestCheckpoint(metrics: EvalMetrics): boolean {
  return primaryMetric(metrics) === 'nmi';
}

/** The training losses by name, and one entry point that computes any of them on a batch. */
import type { tf } from '../backend';
import { mnrLoss } from './mnr';
import { cosentLoss } from './cosent';
import { cosineMseLoss } from './cosine-mse';
import { batchHardTripletLoss, type TripletDistance } from './batch-hard-triplet';
import { megaBatchMarginLoss } from './megabatch-margin';
import { decLoss } from './dec';

import type { LossName } from './names';

export { LOSS_NAMES, isLossName, type LossName } from './names';

/** Every loss's options; each loss reads the ones it knows. Defaults follow sentence-transformers. */
export interface LossOptions {
  /** mnr, cosent: similarity scale (default 20). */
  scale?: number;
  /** mnr: also rank anchors for each positive. */
  symmetric?: boolean;
  /** triplet: margin (default 5 for euclidean, as in ST; 0.5 suits cosine). */
  margin?: number;
  /** triplet: euclidean (default) or cosine distance. */
  distance?: TripletDistance;
  /** megabatch margins (defaults 0.8 and 0.3). */
  positiveMargin?: number;
  negativeMargin?: number;
  /** dec: number of clusters (default: number of labels, else 8) and Student-t alpha (1). */
  clusters?: number;
  alpha?: number;
}

/** Two sides of pairs with a similarity score each (cosent, cosine). */
export interface ScoredInput {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  scores: tf.Tensor1D;
}

/** Anchors and their positives (mnr, megabatch); mnr may mask same-label positives out of the negatives. */
export interface PairsInput {
  a: tf.Tensor2D;
  b: tf.Tensor2D;
  /** n × n, 1 where positive j must not count as a negative for anchor i (label-grouped pairs). */
  falseNegatives?: tf.Tensor2D;
}

/** Embeddings with a label id each (triplet). */
export interface LabelledInput {
  a: tf.Tensor2D;
  labels: tf.Tensor1D;
}

/** Embeddings, the trainable centroids and the batch's rows of the fixed target distribution (dec). */
export interface DecInput {
  a: tf.Tensor2D;
  centroids: tf.Tensor2D;
  target: tf.Tensor2D;
}

/** The input each loss computes on. */
export interface LossInputs {
  mnr: PairsInput;
  megabatch: PairsInput;
  cosent: ScoredInput;
  cosine: ScoredInput;
  triplet: LabelledInput;
  dec: DecInput;
}

/** One training batch of model outputs and targets, tagged with its family. */
export type LossBatch =
  | ({ kind: 'scored' } & ScoredInput)
  | ({ kind: 'pairs' } & PairsInput)
  | ({ kind: 'labelled' } & LabelledInput)
  | ({ kind: 'dec' } & DecInput);

const LOSSES: { [L in LossName]: (input: LossInputs[L], options: LossOptions) => tf.Scalar } = {
  mnr: (x, o) => mnrLoss(x.a, x.b, { scale: o.scale, symmetric: o.symmetric, falseNegatives: x.falseNegatives }),
  cosent: (x, o) => cosentLoss(x.a, x.b, x.scores, { scale: o.scale }),
  cosine: (x) => cosineMseLoss(x.a, x.b, x.scores),
  triplet: (x, o) => batchHardTripletLoss(x.a, x.labels, { margin: o.margin, distance: o.distance }),
  megabatch: (x, o) => megaBatchMarginLoss(x.a, x.b, o),
  dec: (x, o) => decLoss(x.a, x.centroids, x.target, { alpha: o.alpha }),
};

/** One loss on its input. */
export function computeLoss<L extends LossName>(loss: L, input: LossInputs[L], options: LossOptions = {}): tf.Scalar {
  return LOSSES[loss](input, options);
}

/** A loss on a tagged batch; a batch of another family than the loss trains on is an error. */
export function computeBatchLoss(loss: LossName, batch: LossBatch, options: LossOptions = {}): tf.Scalar {
  switch (batch.kind) {
    case 'scored':
      if (loss === 'cosent' || loss === 'cosine') return computeLoss(loss, batch, options);
      break;
    case 'pairs':
      if (loss === 'mnr' || loss === 'megabatch') return computeLoss(loss, batch, options);
      break;
    case 'labelled':
      if (loss === 'triplet') return computeLoss(loss, batch, options);
      break;
    case 'dec':
      if (loss === 'dec') return computeLoss(loss, batch, options);
      break;
  }
  throw new Error(`the ${loss} loss does not train on ${batch.kind} batches`);
}

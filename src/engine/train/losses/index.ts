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

/** The head outputs and targets of one batch; which fields are set depends on the loss. */
export interface LossBatch {
  a: tf.Tensor2D;
  b?: tf.Tensor2D;
  scores?: tf.Tensor1D;
  labels?: tf.Tensor1D;
  falseNegatives?: tf.Tensor2D;
  target?: tf.Tensor2D;
  centroids?: tf.Tensor2D;
}

function need<T>(x: T | undefined, what: string, loss: LossName): T {
  if (x === undefined) throw new Error(`the ${loss} loss needs ${what} in its batch`);
  return x;
}

export function computeLoss(loss: LossName, batch: LossBatch, options: LossOptions = {}): tf.Scalar {
  switch (loss) {
    case 'mnr':
      return mnrLoss(batch.a, need(batch.b, 'positives', loss), {
        scale: options.scale,
        symmetric: options.symmetric,
        falseNegatives: batch.falseNegatives,
      });
    case 'cosent':
      return cosentLoss(batch.a, need(batch.b, 'second texts', loss), need(batch.scores, 'scores', loss), { scale: options.scale });
    case 'cosine':
      return cosineMseLoss(batch.a, need(batch.b, 'second texts', loss), need(batch.scores, 'scores', loss));
    case 'triplet':
      return batchHardTripletLoss(batch.a, need(batch.labels, 'labels', loss), {
        margin: options.margin,
        distance: options.distance,
      });
    case 'megabatch':
      return megaBatchMarginLoss(batch.a, need(batch.b, 'positives', loss), options);
    case 'dec':
      return decLoss(batch.a, need(batch.centroids, 'centroids', loss), need(batch.target, 'a target', loss), { alpha: options.alpha });
  }
}

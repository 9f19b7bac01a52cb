/**
 * Batch-hard triplet loss within label groups (sentence-transformers' BatchHardTripletLoss,
 * after Hermans et al. 2017): for each anchor, its farthest same-label row and its nearest
 * other-label row; loss = mean(max(0, d_pos − d_neg + margin)).
 */
import { tf } from '../backend';
import { matMul } from '../ops';
import { cosineMatrix } from './similarity';

export type TripletDistance = 'euclidean' | 'cosine';

export interface TripletOptions {
  /** Default 5, as in sentence-transformers. */
  margin?: number;
  /** Default "euclidean". */
  distance?: TripletDistance;
}

/** Euclidean distances from the Gram matrix, kept finite at 0. */
function euclideanDistances(x: tf.Tensor2D): tf.Tensor2D {
  const gram = matMul(x, x, false, true);
  const sq = tf.sum(tf.square(x), 1);
  const d2 = tf.relu(tf.add(tf.sub(tf.expandDims(sq, 0), tf.mul(gram, 2)), tf.expandDims(sq, 1)));
  // ST adds 1e-16 only where d² = 0 and zeroes those entries after the sqrt; adding it
  // everywhere changes no distance above ~1e-8 and needs no mask (tfjs has no gradient for
  // equal()). The diagonal is masked out of the positives and never the hardest negative.
  return tf.sqrt(tf.add(d2, 1e-16)) as tf.Tensor2D;
}

/** embeddings: n × d; labels: n integer group ids. */
export function batchHardTripletLoss(
  embeddings: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: TripletOptions = {},
): tf.Scalar {
  const margin = options.margin ?? 5;
  return tf.tidy(() => {
    const n = embeddings.shape[0];
    const dist =
      options.distance === 'cosine' ? (tf.sub(1, cosineMatrix(embeddings, embeddings)) as tf.Tensor2D) : euclideanDistances(embeddings);
    const sameLabel = tf.cast(tf.equal(tf.expandDims(labels, 0), tf.expandDims(labels, 1)), 'float32');
    const positiveMask = tf.mul(sameLabel, tf.sub(1, tf.eye(n)));
    const hardestPositive = tf.max(tf.mul(positiveMask, dist), 1);
    const negativeMask = tf.sub(1, sameLabel);
    const rowMax = tf.max(dist, 1, true);
    const hardestNegative = tf.min(tf.add(dist, tf.mul(rowMax, tf.sub(1, negativeMask))), 1);
    return tf.mean(tf.relu(tf.add(tf.sub(hardestPositive, hardestNegative), margin))) as tf.Scalar;
  });
}

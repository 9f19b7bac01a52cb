/**
 * MegaBatchMarginLoss (sentence-transformers; Wieting & Gimpel 2018): each anchor's positive
 * should have cosine ≥ positiveMargin, and the hardest in-batch negative (another anchor's
 * positive) cosine ≤ negativeMargin.
 */
import { tf } from '../backend';
import { cosineMatrix } from './similarity';

export interface MegaBatchOptions {
  /** Default 0.8. */
  positiveMargin?: number;
  /** Default 0.3. */
  negativeMargin?: number;
}

/** anchors, positives: n × d. */
export function megaBatchMarginLoss(anchors: tf.Tensor2D, positives: tf.Tensor2D, options: MegaBatchOptions = {}): tf.Scalar {
  const pos = options.positiveMargin ?? 0.8;
  const neg = options.negativeMargin ?? 0.3;
  return tf.tidy(() => {
    const n = anchors.shape[0];
    const cos = cosineMatrix(anchors, positives);
    const eye = tf.eye(n);
    const positiveScores = tf.sum(tf.mul(cos, eye), 1);
    const negatives = tf.sub(cos, tf.mul(eye, 1e4));
    const hardest = tf.max(negatives, 1);
    const perRow = tf.add(tf.relu(tf.sub(pos, positiveScores)), tf.relu(tf.sub(hardest, neg)));
    return tf.div(tf.sum(perRow), n) as tf.Scalar;
  });
}

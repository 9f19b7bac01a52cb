/**
 * MultipleNegativesRankingLoss (InfoNCE with in-batch negatives), as in
 * sentence-transformers: cross-entropy of scale·cos(anchor_i, positive_j) with the target
 * j = i. The symmetric form averages the anchor→positive and positive→anchor directions
 * (ST's MultipleNegativesSymmetricRankingLoss).
 */
import { tf } from '../backend';
import { cosineMatrix } from './similarity';

export interface MnrOptions {
  /** Multiplies the cosine similarities (1 / temperature). Default 20. */
  scale?: number;
  symmetric?: boolean;
  /**
   * Optional n × n mask, 1 where positive j must not count as a negative for anchor i
   * (same label, off the diagonal). Not in ST; used when pairs come from label groups.
   */
  falseNegatives?: tf.Tensor2D;
}

function crossEntropyDiagonal(logits: tf.Tensor2D): tf.Scalar {
  const n = logits.shape[0];
  const logProbs = tf.logSoftmax(logits, 1);
  return tf.neg(tf.div(tf.sum(tf.mul(logProbs, tf.eye(n))), n)) as tf.Scalar;
}

/** Loss over a batch of (anchor, positive) rows; both n × d. */
export function mnrLoss(anchors: tf.Tensor2D, positives: tf.Tensor2D, options: MnrOptions = {}): tf.Scalar {
  const scale = options.scale ?? 20;
  return tf.tidy(() => {
    let logits = tf.mul(cosineMatrix(anchors, positives), scale) as tf.Tensor2D;
    if (options.falseNegatives) logits = tf.sub(logits, tf.mul(options.falseNegatives, 1e4)) as tf.Tensor2D;
    const forward = crossEntropyDiagonal(logits);
    if (!options.symmetric) return forward;
    const backward = crossEntropyDiagonal(tf.transpose(logits) as tf.Tensor2D);
    return tf.div(tf.add(forward, backward), 2) as tf.Scalar;
  });
}

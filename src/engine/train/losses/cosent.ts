/**
 * CoSENT (sentence-transformers' CoSENTLoss): for every two pairs where pair i should be
 * less similar than pair j (score_i < score_j), penalise scale·(cos_i − cos_j) through
 * log(1 + Σ exp(scale·(cos_i − cos_j))).
 */
import { tf } from '../backend';
import { pairwiseCosine } from './similarity';

export interface CosentOptions {
  /** Default 20. */
  scale?: number;
}

/** a, b: n × d; scores: n gold similarities (any monotone scale). */
export function cosentLoss(a: tf.Tensor2D, b: tf.Tensor2D, scores: tf.Tensor1D, options: CosentOptions = {}): tf.Scalar {
  const scale = options.scale ?? 20;
  return tf.tidy(() => {
    const s = tf.mul(pairwiseCosine(a, b), scale);
    const diff = tf.sub(tf.expandDims(s, 1), tf.expandDims(s, 0)); // s_i − s_j
    const relevant = tf.cast(tf.less(tf.expandDims(scores, 1), tf.expandDims(scores, 0)), 'float32');
    const masked = tf.sub(diff, tf.mul(tf.sub(1, relevant), 1e12));
    const flat = tf.concat([tf.zeros([1]), tf.reshape(masked, [-1])]);
    return tf.logSumExp(flat) as tf.Scalar;
  });
}

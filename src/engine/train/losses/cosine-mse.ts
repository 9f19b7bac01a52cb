/**
 * Cosine-similarity MSE (sentence-transformers' CosineSimilarityLoss): the mean squared
 * difference between cos(a_i, b_i) and the gold score in 0–1.
 */
import { tf } from '../backend';
import { pairwiseCosine } from './similarity';

/** a, b: n × d; scores: n gold similarities in 0–1. */
export function cosineMseLoss(a: tf.Tensor2D, b: tf.Tensor2D, scores: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pairwiseCosine(a, b), scores))) as tf.Scalar);
}

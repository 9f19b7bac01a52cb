/**
 * The DEC clustering loss (Xie, Girshick & Farhadi 2016): a Student-t soft assignment q of
 * each embedding to trainable centroids, a sharpened target p = (q²/f) normalised per row
 * (f = soft cluster sizes), and KL(P‖Q) averaged over the batch. The target is held fixed
 * while training and recomputed each epoch.
 */
import { tf } from '../backend';
import { matMul } from '../ops';

export interface DecOptions {
  /** Degrees of freedom of the Student-t kernel. Default 1. */
  alpha?: number;
}

/** q: n × k soft assignments of z (n × d) to centroids (k × d). */
export function decSoftAssignment(z: tf.Tensor2D, centroids: tf.Tensor2D, options: DecOptions = {}): tf.Tensor2D {
  const alpha = options.alpha ?? 1;
  return tf.tidy(() => {
    const zz = tf.sum(tf.square(z), 1, true);
    const cc = tf.sum(tf.square(centroids), 1, true);
    const d2 = tf.relu(tf.add(tf.sub(zz, tf.mul(matMul(z, centroids, false, true), 2)), tf.transpose(cc)));
    const kernel = tf.pow(tf.add(1, tf.div(d2, alpha)), -(alpha + 1) / 2);
    return tf.div(kernel, tf.sum(kernel, 1, true)) as tf.Tensor2D;
  });
}

/** p = (q² / Σ_i q) normalised per row; a constant (no gradient). */
export function decTargetDistribution(q: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const weight = tf.div(tf.square(q), tf.sum(q, 0, true));
    return tf.div(weight, tf.sum(weight, 1, true)) as tf.Tensor2D;
  });
}

/** KL(P‖Q) / n for a batch: p is the fixed target rows of the batch. */
export function decLoss(z: tf.Tensor2D, centroids: tf.Tensor2D, p: tf.Tensor2D, options: DecOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const q = decSoftAssignment(z, centroids, options);
    const eps = 1e-12;
    const kl = tf.mul(p, tf.sub(tf.log(tf.add(p, eps)), tf.log(tf.add(q, eps))));
    return tf.div(tf.sum(kl), z.shape[0]) as tf.Scalar;
  });
}

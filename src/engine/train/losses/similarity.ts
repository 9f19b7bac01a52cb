/** Similarity helpers shared by the losses (tfjs, differentiable). */
import { tf } from '../backend';
import { matMul } from '../ops';

/** Rows scaled to unit length; like torch.nn.functional.normalize (eps 1e-12 on the norm). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const norm = tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12);
    return tf.div(x, norm) as tf.Tensor2D;
  });
}

/** The a.rows × b.rows matrix of cosine similarities. */
export function cosineMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => matMul(l2Normalize(a), l2Normalize(b), false, true));
}

/** Cosine similarity of row i of a with row i of b. */
export function pairwiseCosine(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(l2Normalize(a), l2Normalize(b)), 1) as tf.Tensor1D);
}

/** A square matrix with `value` on the diagonal and 0 elsewhere (a constant). */
export function diagonalMask(n: number, value = 1): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.eye(n), value) as tf.Tensor2D);
}

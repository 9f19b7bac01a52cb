/**
 * A matrix product whose forward and backward passes use only untransposed products.
 * tfjs-backend-wasm runs `matMul` with transposeA/transposeB several times slower than a
 * plain product after an explicit `transpose` (measured ~5× at 32×384·384×384), and tfjs's
 * own matMul gradient uses exactly those transposed forms.
 */
import { tf } from './backend';

const plain = tf.customGrad((...args: Array<tf.Tensor | ((s: tf.Tensor[]) => void)>) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, (s: tf.Tensor[]) => void];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
});

/** op(a)·op(b), where op transposes when the flag is set; differentiable. */
export function matMul(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  return tf.tidy(() => plain(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b) as tf.Tensor2D);
}

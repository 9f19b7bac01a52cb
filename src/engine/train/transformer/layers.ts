/**
 * The differentiable building blocks of the BERT forward pass in TensorFlow.js, each matching
 * its PyTorch counterpart: embedding lookup, Linear, LayerNorm (biased variance), exact (erf)
 * GELU and inverted dropout.
 */
import { tf } from '../backend';
import { matMul } from '../ops';

/**
 * Rows `ids` of `table` (an embedding lookup). The gradient scatters into a dense table with
 * ScatterNd, which sums repeated ids: tfjs's own gather gradient needs UnsortedSegmentSum,
 * which the wasm backend lacks.
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: Array<tf.Tensor | ((s: tf.Tensor[]) => void)>) => {
    const [t, save] = args as [tf.Tensor2D, (s: tf.Tensor[]) => void];
    save([ids]);
    const shape = t.shape;
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(tf.expandDims(saved[0], 1), dy, shape),
    };
  });
  return op(table) as tf.Tensor2D;
}

/** x·W + b for rows x: [n, in], W: [in, out] (the transpose of PyTorch's Linear weight), b: [out]. */
export function linear(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(matMul(x, weight), bias);
}

/** LayerNorm over the last axis, as torch.nn.LayerNorm: (x − mean) / √(var + eps) · γ + β, biased variance. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

/** The exact GELU of BERT ("gelu"): 0.5 · x · (1 + erf(x / √2)). */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** Seeds for dropout masks: one new seed per call, from a starting seed (same start, same masks). */
export class DropoutSeeds {
  private n = 0;
  constructor(private readonly start: number) {}
  next(): number {
    return (this.start * 1_000_003 + this.n++ * 7919) % 2_147_483_647;
  }
}

/** Inverted dropout (kept values scaled by 1/(1 − rate)), or x itself when rate is 0 or there are no seeds (inference). */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seeds: DropoutSeeds | undefined): T {
  if (!seeds || rate <= 0) return x;
  return tf.dropout(x, rate, undefined, seeds.next()) as T;
}

/**
 * The skip-connection linear head, as in Quaterion: out = normalize(x + x·Wᵀ + b), with W
 * initialised near zero so training starts from the frozen encoder's own embeddings.
 */
import { tf } from '../backend';
import { matMul } from '../ops';
import { createRng, gaussian } from '../../util/random';
import type { HeadWeights, TrainableHead } from './head';
import { l2Normalize } from '../losses/similarity';

/** Fresh skip-linear weights: W ~ N(0, (1e-3)²), b = 0. */
export function initSkipLinear(dim: number, seed: number): HeadWeights {
  const rng = createRng(seed);
  const w = new Float32Array(dim * dim);
  for (let i = 0; i < w.length; i++) w[i] = 1e-3 * gaussian(rng);
  return { weight: { shape: [dim, dim], data: w }, bias: { shape: [dim], data: new Float32Array(dim) } };
}

export function createSkipLinearHead(dim: number, weights: HeadWeights): TrainableHead {
  const variables = {
    weight: tf.variable(tf.tensor2d(weights.weight.data, [dim, dim]), true, undefined),
    bias: tf.variable(tf.tensor1d(weights.bias.data), true, undefined),
  };
  return {
    config: { kind: 'skip-linear', inputDim: dim, outputDim: dim },
    variables,
    decayed: new Set(['weight']),
    apply(x) {
      return tf.tidy(() => l2Normalize(tf.add(tf.add(x, matMul(x, variables.weight as tf.Tensor2D, false, true)), variables.bias) as tf.Tensor2D));
    },
  };
}

/** The same forward pass in plain JS, for inference without tfjs. x is n × dim row-major. */
export function applySkipLinear(x: Float32Array, n: number, dim: number, weights: HeadWeights): Float32Array {
  const w = weights.weight.data;
  const b = weights.bias.data;
  const out = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    const xo = r * dim;
    for (let i = 0; i < dim; i++) {
      let s = x[xo + i] + b[i];
      const wo = i * dim;
      for (let j = 0; j < dim; j++) s += w[wo + j] * x[xo + j];
      out[xo + i] = s;
    }
  }
  return out;
}

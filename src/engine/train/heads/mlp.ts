/**
 * A two-layer MLP head: out = normalize(W2·gelu(W1·x + b1) + b2 (+ x when the widths match)).
 * The residual form with W2 near zero starts from the frozen embeddings, like the skip head.
 */
import { tf } from '../backend';
import { matMul } from '../ops';
import { createRng, gaussian } from '../../util/random';
import type { HeadConfig, HeadWeights, TrainableHead } from './head';
import { l2Normalize } from '../losses/similarity';

export function initMlp(config: HeadConfig, seed: number): HeadWeights {
  const { inputDim: d, outputDim: o } = config;
  const h = config.hidden ?? d;
  const rng = createRng(seed);
  const w1 = new Float32Array(h * d);
  const s1 = Math.sqrt(2 / d);
  for (let i = 0; i < w1.length; i++) w1[i] = s1 * gaussian(rng);
  const w2 = new Float32Array(o * h);
  const s2 = o === d ? 1e-3 : Math.sqrt(1 / h);
  for (let i = 0; i < w2.length; i++) w2[i] = s2 * gaussian(rng);
  return {
    w1: { shape: [h, d], data: w1 },
    b1: { shape: [h], data: new Float32Array(h) },
    w2: { shape: [o, h], data: w2 },
    b2: { shape: [o], data: new Float32Array(o) },
  };
}

function gelu(x: tf.Tensor): tf.Tensor {
  // tanh approximation
  return tf.tidy(() =>
    tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
  );
}

export function createMlpHead(config: HeadConfig, weights: HeadWeights): TrainableHead {
  const names = ['w1', 'b1', 'w2', 'b2'] as const;
  const variables: Record<string, tf.Variable> = {};
  for (const n of names) variables[n] = tf.variable(tf.tensor(weights[n].data, weights[n].shape), true);
  const residual = config.inputDim === config.outputDim;
  return {
    config: { ...config, hidden: weights.w1.shape[0] },
    variables,
    decayed: new Set(['w1', 'w2']),
    apply(x) {
      return tf.tidy(() => {
        const h = gelu(tf.add(matMul(x, variables.w1 as tf.Tensor2D, false, true), variables.b1));
        let out = tf.add(matMul(h as tf.Tensor2D, variables.w2 as tf.Tensor2D, false, true), variables.b2);
        if (residual) out = tf.add(out, x);
        return l2Normalize(out as tf.Tensor2D);
      });
    },
  };
}

/** Plain-JS forward pass (no normalisation), for inference without tfjs. */
export function applyMlp(x: Float32Array, n: number, config: HeadConfig, weights: HeadWeights): Float32Array {
  const d = config.inputDim;
  const o = config.outputDim;
  const h = weights.w1.shape[0];
  const { data: w1 } = weights.w1;
  const { data: b1 } = weights.b1;
  const { data: w2 } = weights.w2;
  const { data: b2 } = weights.b2;
  const out = new Float32Array(n * o);
  const hid = new Float32Array(h);
  const c = Math.sqrt(2 / Math.PI);
  for (let r = 0; r < n; r++) {
    const xo = r * d;
    for (let k = 0; k < h; k++) {
      let s = b1[k];
      for (let j = 0; j < d; j++) s += w1[k * d + j] * x[xo + j];
      hid[k] = 0.5 * s * (1 + Math.tanh(c * (s + 0.044715 * s * s * s)));
    }
    for (let i = 0; i < o; i++) {
      let s = b2[i] + (o === d ? x[xo + i] : 0);
      for (let k = 0; k < h; k++) s += w2[i * h + k] * hid[k];
      out[r * o + i] = s;
    }
  }
  return out;
}

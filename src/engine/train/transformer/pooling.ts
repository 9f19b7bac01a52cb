/**
 * Differentiable sentence-transformers pooling of token embeddings (right-padded batches):
 * mean, cls, max (padding filled with −1e9 as ST does), mean_sqrt_len_tokens and lasttoken;
 * several modes are concatenated in the order given. Normalisation is the Normalize module.
 */
import { tf } from '../backend';
import type { PoolingMode } from '../../encoders/onnx/model-folder';
import type { TokenBatch } from './token-batch';
import { embeddingLookup } from './layers';

export function poolTokens(hidden: tf.Tensor3D, batch: TokenBatch, modes: readonly PoolingMode[]): tf.Tensor2D {
  const [B, S, H] = hidden.shape;
  const mask = tf.reshape(tf.tensor1d(batch.mask), [B, S, 1]);
  const counts = tf.reshape(tf.tensor1d(Float32Array.from(batch.lengths)), [B, 1]);
  const parts: tf.Tensor2D[] = [];
  for (const mode of modes) {
    switch (mode) {
      case 'cls':
        parts.push(tf.reshape(tf.slice(hidden, [0, 0, 0], [B, 1, H]), [B, H]));
        break;
      case 'lasttoken': {
        const rows = Int32Array.from(batch.lengths, (len, b) => b * S + Math.max(0, len - 1));
        parts.push(embeddingLookup(tf.reshape(hidden, [B * S, H]), tf.tensor1d(rows, 'int32')));
        break;
      }
      case 'max':
        parts.push(tf.max(tf.add(tf.mul(hidden, mask), tf.mul(tf.sub(1, mask), -1e9)), 1) as tf.Tensor2D);
        break;
      case 'mean':
      case 'mean_sqrt_len_tokens': {
        const sums = tf.sum(tf.mul(hidden, mask), 1) as tf.Tensor2D;
        const n = tf.maximum(counts, 1e-9);
        parts.push(tf.div(sums, mode === 'mean' ? n : tf.sqrt(n)));
        break;
      }
    }
  }
  return parts.length === 1 ? parts[0] : (tf.concat(parts, 1) as tf.Tensor2D);
}

/** Rows scaled to unit length (torch.nn.functional.normalize, eps 1e-12). */
export function normalizeEmbeddings(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12));
}

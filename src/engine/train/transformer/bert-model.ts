/**
 * A BERT/RoBERTa encoder in TensorFlow.js with every weight a trainable variable. The forward
 * pass computes what transformers' BertModel / RobertaModel compute: embeddings (word +
 * position + token type 0) → LayerNorm → N × (self-attention with the attention mask →
 * dense → residual → LayerNorm → GELU FFN → residual → LayerNorm), with dropout where
 * transformers puts it when training.
 *
 * Variables are keyed by the Hugging Face tensor names. Linear weights are held as [in, out]
 * (the transpose of PyTorch's [out, in]) so the forward pass multiplies without transposing;
 * `readWeights` and `fromWeights` convert.
 */
import { tf } from '../backend';
import type { BertConfig } from '../../onnx/bert-config';
import { bertWeightShapes, checkBertWeights, type BertWeights } from '../../onnx/bert-weights';
import { transpose2d } from '../../onnx/graph-builder';
import { dropout, embeddingLookup, gelu, layerNorm, linear, type DropoutSeeds } from './layers';
import type { TokenBatch } from './token-batch';

/** Dropout probabilities (config.json hidden_dropout_prob, attention_probs_dropout_prob). */
export interface DropoutRates {
  hidden: number;
  attention: number;
}

/** PyTorch Linear weights ([out, in]), held transposed here. */
export function isLinearWeight(name: string): boolean {
  return /\.(query|key|value|dense)\.weight$/.test(name);
}

/** Parameters AdamW decays: everything but biases and LayerNorm weights (as the usual BERT recipe). */
export function isDecayed(name: string): boolean {
  return !name.endsWith('.bias') && !name.includes('LayerNorm');
}

/** A large negative added to the attention scores of padding (exp underflows to exactly 0). */
const MASKED = -1e9;

let instances = 0;

export class TfBert {
  readonly config: BertConfig;
  /** By Hugging Face name; linear weights are [in, out]. */
  readonly variables: Record<string, tf.Variable>;
  /** The names AdamW applies weight decay to. */
  readonly decayed: ReadonlySet<string>;
  private readonly shapes: Map<string, number[]>;

  private constructor(config: BertConfig, variables: Record<string, tf.Variable>) {
    this.config = config;
    this.variables = variables;
    this.shapes = bertWeightShapes(config);
    this.decayed = new Set(Object.keys(variables).filter(isDecayed));
  }

  /** Variables initialised from weights in the Hugging Face layout (as `readSafetensors` → `bertWeightsFromTensors` give). */
  static fromWeights(config: BertConfig, weights: BertWeights): TfBert {
    checkBertWeights(config, weights);
    const prefix = `bert${instances++}/`;
    const variables: Record<string, tf.Variable> = {};
    for (const [name, shape] of bertWeightShapes(config)) {
      const { data, tfShape } = toTfLayout(name, shape, weights.get(name)!);
      const t = tf.tensor(data, tfShape, 'float32');
      variables[name] = tf.variable(t, true, prefix + name);
      t.dispose();
    }
    return new TfBert(config, variables);
  }

  /** The current weights in the Hugging Face layout (fresh copies). */
  readWeights(): BertWeights {
    const out: BertWeights = new Map();
    for (const [name, shape] of this.shapes) {
      const data = this.variables[name].dataSync() as Float32Array;
      out.set(name, isLinearWeight(name) ? transpose2d(data, shape[1], shape[0]) : new Float32Array(data));
    }
    return out;
  }

  /** Overwrites the variables with weights in the Hugging Face layout. */
  assignWeights(weights: BertWeights): void {
    checkBertWeights(this.config, weights);
    for (const [name, shape] of this.shapes) {
      const { data, tfShape } = toTfLayout(name, shape, weights.get(name)!);
      const t = tf.tensor(data, tfShape, 'float32');
      this.variables[name].assign(t);
      t.dispose();
    }
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    let n = 0;
    for (const v of Object.values(this.variables)) n += v.size;
    return n;
  }

  /**
   * last_hidden_state [batch, sequence, hidden] of a padded batch. With `seeds` (training) dropout
   * is applied at `rates`; without, the pass is deterministic (eval mode).
   */
  forward(batch: TokenBatch, seeds?: DropoutSeeds, rates: DropoutRates = { hidden: 0, attention: 0 }): tf.Tensor3D {
    const c = this.config;
    const v = this.variables;
    const h = c.hiddenSize;
    const nh = c.numAttentionHeads;
    const hd = h / nh;
    const { batch: B, sequence: S } = batch;
    const T = B * S;
    const w1 = (name: string) => v[name] as tf.Tensor as tf.Tensor1D;
    const w2 = (name: string) => v[name] as tf.Tensor as tf.Tensor2D;

    // --- embeddings
    const ids = tf.tensor1d(batch.ids, 'int32');
    const positions = tf.tensor1d(batch.positions, 'int32');
    let x = embeddingLookup(w2('embeddings.word_embeddings.weight'), ids);
    x = tf.add(x, embeddingLookup(w2('embeddings.position_embeddings.weight'), positions));
    x = tf.add(x, tf.slice(w2('embeddings.token_type_embeddings.weight'), [0, 0], [1, h]));
    x = layerNorm(x, w1('embeddings.LayerNorm.weight'), w1('embeddings.LayerNorm.bias'), c.layerNormEps);
    x = dropout(x, rates.hidden, seeds);

    // --- additive attention mask [batch, 1, 1, sequence]
    const maskAdd = tf.reshape(tf.mul(tf.sub(1, tf.tensor1d(batch.mask)), MASKED), [B, 1, 1, S]);
    const scale = 1 / Math.sqrt(hd);
    const heads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, S, nh, hd]), [0, 2, 1, 3]) as tf.Tensor4D;

    for (let i = 0; i < c.numHiddenLayers; i++) {
      const p = `encoder.layer.${i}.`;
      const lin = (t: tf.Tensor2D, name: string) => linear(t, w2(`${p}${name}.weight`), w1(`${p}${name}.bias`));
      const q = heads(lin(x, 'attention.self.query'));
      const k = heads(lin(x, 'attention.self.key'));
      const val = heads(lin(x, 'attention.self.value'));
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), maskAdd);
      const probs = dropout(tf.softmax(scores, -1), rates.attention, seeds);
      const context = tf.reshape(tf.transpose(tf.matMul(probs, val), [0, 2, 1, 3]), [T, h]) as tf.Tensor2D;
      const attnOut = dropout(lin(context, 'attention.output.dense'), rates.hidden, seeds);
      x = layerNorm(tf.add(attnOut, x), w1(`${p}attention.output.LayerNorm.weight`), w1(`${p}attention.output.LayerNorm.bias`), c.layerNormEps);
      const inter = gelu(lin(x, 'intermediate.dense'));
      const out = dropout(lin(inter, 'output.dense'), rates.hidden, seeds);
      x = layerNorm(tf.add(out, x), w1(`${p}output.LayerNorm.weight`), w1(`${p}output.LayerNorm.bias`), c.layerNormEps);
    }
    return tf.reshape(x, [B, S, h]);
  }

  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}

function toTfLayout(name: string, shape: number[], data: Float32Array): { data: Float32Array; tfShape: number[] } {
  if (!isLinearWeight(name)) return { data, tfShape: shape };
  const [outDim, inDim] = shape;
  return { data: transpose2d(data, outDim, inDim), tfShape: [inDim, outDim] };
}

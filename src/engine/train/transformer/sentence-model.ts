/**
 * A sentence-transformers model in TensorFlow.js: the folder's tokenizer, the trainable BERT,
 * pooling and the optional Normalize module. `embed` is differentiable (training);
 * `encode` runs inference in batches sorted by length, as the ONNX encoder does.
 */
import { tf } from '../backend';
import { TextTokenizer } from '../../encoders/tokenizer/text-tokenizer';
import type { BertWeights } from '../../onnx/bert-weights';
import { checkpoint, throttleProgress, type JobOptions } from '../../util/job';
import { createMatrix, type Matrix } from '../../util/matrix';
import { TfBert } from './bert-model';
import type { DropoutSeeds } from './layers';
import { loadFolderWeights, readTrainableFolder, type TrainableFolder } from './model-source';
import { normalizeEmbeddings, poolTokens } from './pooling';
import { padTokenBatch, type TokenBatch } from './token-batch';

export class SentenceModel {
  readonly folder: TrainableFolder;
  readonly tokenizer: TextTokenizer;
  readonly bert: TfBert;
  private readonly tokenCache = new Map<string, number[]>();

  private constructor(folder: TrainableFolder, tokenizer: TextTokenizer, bert: TfBert) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.bert = bert;
  }

  /** Loads a model folder with the weights it holds (model.safetensors, else its ONNX initializers). */
  static load(dir: string): SentenceModel {
    const folder = readTrainableFolder(dir);
    return SentenceModel.fromWeights(folder, loadFolderWeights(folder));
  }

  /** The folder's architecture and modules with the given weights (Hugging Face layout). */
  static fromWeights(folder: TrainableFolder, weights: BertWeights): SentenceModel {
    const tokenizer = TextTokenizer.fromFolder(folder.dir);
    return new SentenceModel(folder, tokenizer, TfBert.fromWeights(folder.config, weights));
  }

  /** Output width: hidden size × number of pooling modes. */
  get dimension(): number {
    return this.folder.config.hiddenSize * this.folder.pooling.modes.length;
  }

  /** Token ids of a text as fed to the model (special tokens, truncated at max_seq_length); cached. */
  tokens(text: string): number[] {
    let ids = this.tokenCache.get(text);
    if (!ids) {
      ids = this.tokenizer.encode(text, this.folder.maxSeqLength);
      this.tokenCache.set(text, ids);
    }
    return ids;
  }

  batchOf(texts: readonly string[]): TokenBatch {
    return padTokenBatch(
      texts.map((t) => this.tokens(t)),
      this.tokenizer.padId,
      this.folder.config,
    );
  }

  /** Sentence embeddings of a padded batch (differentiable; dropout when `seeds` is given). */
  embedBatch(batch: TokenBatch, seeds?: DropoutSeeds): tf.Tensor2D {
    return tf.tidy(() => {
      const hidden = this.bert.forward(batch, seeds, seeds ? this.folder.dropout : undefined);
      const pooled = poolTokens(hidden, batch, this.folder.pooling.modes);
      return this.folder.normalize ? normalizeEmbeddings(pooled) : pooled;
    });
  }

  /** Sentence embeddings of texts padded together (differentiable). */
  embed(texts: readonly string[], seeds?: DropoutSeeds): tf.Tensor2D {
    return this.embedBatch(this.batchOf(texts), seeds);
  }

  /** Inference: embeddings of many texts, in batches of texts of similar length, in the caller's order. */
  async encode(texts: readonly string[], options: JobOptions & { batchSize?: number } = {}): Promise<Matrix> {
    const batchSize = Math.max(1, options.batchSize ?? 32);
    const progress = throttleProgress(options.onProgress);
    const out = createMatrix(texts.length, this.dimension);
    const order = texts.map((_, i) => i).sort((a, b) => this.tokens(texts[b]).length - this.tokens(texts[a]).length || a - b);
    for (let i = 0; i < order.length; i += batchSize) {
      await checkpoint(options.signal);
      const rows = order.slice(i, i + batchSize);
      const y = this.embed(rows.map((r) => texts[r]));
      const data = y.dataSync() as Float32Array;
      y.dispose();
      const d = this.dimension;
      rows.forEach((r, k) => out.data.set(data.subarray(k * d, (k + 1) * d), r * d));
      progress({ stage: 'encode', done: Math.min(i + batchSize, order.length), total: order.length });
    }
    return out;
  }

  dispose(): void {
    this.bert.dispose();
  }
}

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { sha256File } from '../../util/hash-file';
import * as path from 'node:path';
import type { EncodeOptions, Encoder, TextRole } from '../encoder';
import { createMatrix, type Matrix } from '../../util/matrix';
import { checkpoint, throttleProgress } from '../../util/job';
import { InputError } from '../../util/errors';
import { readJsonObject, TextTokenizer } from '../tokenizer/text-tokenizer';
import { bertConfigFromHf } from '../../onnx/bert-config';
import { bertWeightsFromTensors } from '../../onnx/bert-weights';
import { writeBertOnnx } from '../../onnx/bert-graph';
import { readSafetensors } from '../../onnx/safetensors';
import { DEFAULT_BATCH_LIMITS, padBatch, planBatches, type Batch, type BatchLimits, type PaddedBatch } from './batching';
import { readModelFolder, type ModelFolder, type PoolingConfig } from './model-folder';
import {
  declaredLastDim,
  defaultThreads,
  openSession,
  runBatch,
  unsupportedInputs,
  type OrtSession,
  type RunOutput,
} from './ort-session';
import { normalizeRowsInPlace, poolInto } from './pooling';

export interface OnnxEncoderOptions {
  /** ONNX variant: "qint8_avx512" → onnx/model_qint8_avx512.onnx, or a relative .onnx path. */
  variant?: string;
  /** At most this many texts per session.run (default 32). */
  batchSize?: number;
  /** At most this many tokens per session.run once padded (default 1,024; a longer text runs alone). */
  maxBatchTokens?: number;
  /** Overrides the folder's max_seq_length. */
  maxSeqLength?: number;
  /** Overrides the folder's pooling. */
  pooling?: PoolingConfig;
  /** Overrides the folder's Normalize module. */
  normalize?: boolean;
  /** Overrides the prefixes by role (e5's "query: " / "passage: "). */
  prompts?: { query?: string; passage?: string };
  /** Intra-op threads (default: every logical core). */
  threads?: number;
  /** Sort texts by length before batching (default true). */
  smartBatching?: boolean;
  /**
   * When the folder has no ONNX file but a BERT/RoBERTa `model.safetensors`, write our own ONNX graph of
   * it under this folder (keyed by the weights' sha256) and run that. Without it, a missing ONNX is an error.
   */
  conversionCacheDir?: string;
}

const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];
const SENTENCE_OUTPUTS = ['sentence_embedding', 'pooler_output_normalized'];

/**
 * A sentence-transformers model folder run with onnxruntime-node: tokenization as
 * sentence-transformers does it, smart batching, pooling and normalisation in TypeScript.
 */
export class OnnxEncoder implements Encoder {
  readonly id: string;
  readonly dimension: number;
  readonly normalized: boolean;
  readonly folder: ModelFolder;
  readonly tokenizer: TextTokenizer;
  /** The graph output we read: token embeddings (pooled by us) or a ready sentence embedding. */
  readonly outputName: string;
  private session: OrtSession | undefined;
  private readonly batchLimits: BatchLimits;
  private readonly pooling: PoolingConfig;
  private readonly smartBatching: boolean;
  private readonly prompts: { query?: string; passage?: string };
  private readonly hidden: number;
  private readonly pooled: boolean;

  private constructor(
    folder: ModelFolder,
    tokenizer: TextTokenizer,
    session: OrtSession,
    outputName: string,
    hidden: number,
    id: string,
    options: OnnxEncoderOptions,
  ) {
    this.folder = folder;
    this.tokenizer = tokenizer;
    this.session = session;
    this.outputName = outputName;
    this.hidden = hidden;
    this.pooled = SENTENCE_OUTPUTS.includes(outputName);
    this.pooling = options.pooling ?? folder.pooling;
    this.normalized = options.normalize ?? folder.normalize;
    this.batchLimits = {
      maxTexts: Math.max(1, options.batchSize ?? DEFAULT_BATCH_LIMITS.maxTexts),
      maxTokens: options.maxBatchTokens ?? DEFAULT_BATCH_LIMITS.maxTokens,
    };
    this.smartBatching = options.smartBatching ?? true;
    this.prompts = options.prompts ?? folder.prompts;
    this.dimension = this.pooled ? hidden : hidden * this.pooling.modes.length;
    this.id = id;
  }

  /** Loads a model folder (see `readModelFolder`) and opens its ONNX session. */
  static async load(dir: string, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
    let folder: ModelFolder;
    try {
      folder = readModelFolder(dir, { variant: options.variant });
    } catch (err) {
      const converted =
        !options.variant && options.conversionCacheDir ? await convertSafetensors(dir, options.conversionCacheDir) : undefined;
      if (!converted) throw err;
      folder = readModelFolder(dir, { onnxFile: converted });
    }
    if (options.maxSeqLength !== undefined) folder.maxSeqLength = options.maxSeqLength;
    const tokenizer = TextTokenizer.fromFolder(dir);
    const session = await openSession(folder.onnxFile, options.threads ?? defaultThreads());
    try {
      const missing = unsupportedInputs(session);
      if (missing.length) {
        throw new InputError(`the graph needs inputs we cannot feed: ${missing.join(', ')}`, { file: folder.onnxFile });
      }
      if (!session.inputNames.includes('input_ids')) {
        throw new InputError(`the graph has no "input_ids" input (inputs: ${session.inputNames.join(', ')})`, { file: folder.onnxFile });
      }
      const outputName =
        TOKEN_OUTPUTS.find((o) => session.outputNames.includes(o)) ?? SENTENCE_OUTPUTS.find((o) => session.outputNames.includes(o));
      if (!outputName) {
        throw new InputError(
          `the graph has neither a last_hidden_state nor a sentence_embedding output (outputs: ${session.outputNames.join(', ')})`,
          { file: folder.onnxFile },
        );
      }
      const declared = declaredLastDim(session, outputName);
      const hidden = declared ?? folder.hiddenSize;
      if (hidden === undefined) throw new InputError('missing number', { file: path.join(dir, 'config.json'), field: 'hidden_size' });
      if (declared !== undefined && folder.hiddenSize !== undefined && declared !== folder.hiddenSize && outputName !== 'sentence_embedding') {
        throw new InputError(
          `hidden size mismatch: the graph's ${outputName} has ${declared} values per token, config.json hidden_size is ${folder.hiddenSize}`,
          { file: folder.onnxFile },
        );
      }
      const settings = JSON.stringify([folder.maxSeqLength, options.pooling ?? folder.pooling, options.normalize ?? folder.normalize]);
      const id = `onnx:${folder.name}@${(await hashFile(folder.onnxFile)).slice(0, 12)}.${sha(settings).slice(0, 6)}`;
      return new OnnxEncoder(folder, tokenizer, session, outputName, hidden, id, options);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** The prefix added in front of texts of a role ("" when none). */
  promptFor(role: TextRole | undefined): string {
    return (role && this.prompts[role]) || '';
  }

  /** Token ids (with special tokens, truncated) of each text, as the encoder feeds them. */
  tokenize(texts: readonly string[], role?: TextRole): number[][] {
    const prompt = this.promptFor(role);
    return texts.map((t) => this.tokenizer.encode(prompt + t, this.folder.maxSeqLength));
  }

  /**
   * The batches `encode` runs: texts sorted by token count, longest first, so that each batch pads to
   * nearly its own length (sentence-transformers sorts by character length, which pads more: on 2,000
   * AG News texts, 143k tokens against 113k), cut by the batch limits (`BatchLimits`: 32 texts and 1,024
   * padded tokens by default). In the given order when smart batching is off.
   */
  planBatches(texts: readonly string[], role?: TextRole): Batch[] {
    return this.planTokenBatches(this.tokenize(texts, role));
  }

  private planTokenBatches(ids: readonly ArrayLike<number>[]): Batch[] {
    return planBatches(ids.map((t) => t.length), this.batchLimits, this.smartBatching);
  }

  /**
   * Encodes texts, batch by batch in smart-batching order. Every text is tokenized first (the batches
   * follow token counts), kept as Int32Array and dropped once its batch is padded. onnxruntime-node 1.30
   * runs a session synchronously on this thread (inside a setImmediate), so nothing overlaps the run: the
   * next batch is padded just before it. Tokenizing, padding and pooling cost about 2% of the run time of
   * a MiniLM-L6-sized model (bench/onnx.ts measures the pipeline against bare session.run).
   * Cancellation is checked between batches.
   */
  async encode(texts: readonly string[], options: EncodeOptions = {}): Promise<Matrix> {
    const session = this.session;
    if (!session) throw new Error('the encoder was disposed');
    const { signal } = options;
    const progress = throttleProgress(options.onProgress);
    const prompt = this.promptFor(options.role);
    const promptTokens = prompt && !this.pooling.includePrompt ? this.tokenizer.promptLength(prompt) : 0;
    const out = createMatrix(texts.length, this.dimension);
    const ids: Int32Array[] = new Array<Int32Array>(texts.length);
    for (let i = 0; i < texts.length; i++) {
      ids[i] = Int32Array.from(this.tokenizer.encode(prompt + texts[i], this.folder.maxSeqLength));
      if (i % 4096 === 4095) await checkpoint(signal);
    }
    const batches = this.planTokenBatches(ids);
    const none = new Int32Array(0);
    const prepare = (b: Batch): PaddedBatch => {
      const padded = padBatch(b.indices.map((i) => ids[i]), this.tokenizer.padId);
      for (const i of b.indices) ids[i] = none;
      return padded;
    };

    let done = 0;
    progress({ stage: 'encode', done, total: texts.length });
    if (batches.length === 0) return out;
    await checkpoint(signal);
    let current = prepare(batches[0]);
    let running = runBatch(session, current, this.outputName);
    for (let k = 0; k < batches.length; k++) {
      let next: PaddedBatch | undefined;
      let failed: unknown;
      try {
        if (k + 1 < batches.length) next = prepare(batches[k + 1]); // before the scheduled run starts
      } catch (err) {
        failed = err;
      }
      const result = await running;
      if (failed) throw failed;
      const padded = current;
      if (next) {
        await checkpoint(signal);
        current = next;
        running = runBatch(session, current, this.outputName);
      }
      this.collect(result, padded, batches[k], promptTokens, out);
      done += padded.batch;
      progress({ stage: 'encode', done, total: texts.length });
    }
    if (this.normalized) normalizeRowsInPlace(out.data, out.rows, out.cols);
    return out;
  }

  /** Pools (or copies) one batch's output into its rows of `out`. */
  private collect(result: RunOutput, padded: PaddedBatch, batch: Batch, promptTokens: number, out: Matrix): void {
    const last = result.dims[result.dims.length - 1];
    if (last !== this.hidden) {
      throw new InputError(`hidden size mismatch: the graph returned ${last} values per token, expected ${this.hidden}`, {
        file: this.folder.onnxFile,
      });
    }
    if (this.pooled) {
      for (let b = 0; b < padded.batch; b++) {
        out.data.set(result.data.subarray(b * last, (b + 1) * last), batch.indices[b] * this.dimension);
      }
      return;
    }
    poolInto(
      { data: result.data, batch: padded.batch, sequence: padded.sequence, hidden: last },
      padded.lengths,
      new Int32Array(padded.batch).fill(promptTokens),
      this.pooling.modes,
      out.data,
      batch.indices,
      this.dimension,
    );
  }

  async dispose(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await s.release();
  }
}

/** Loads a model folder as an encoder (see `OnnxEncoder.load`). */
export function createOnnxEncoder(dir: string, options: OnnxEncoderOptions = {}): Promise<OnnxEncoder> {
  return OnnxEncoder.load(dir, options);
}

const CONVERTIBLE = new Set(['bert', 'roberta', 'camembert', 'xlm-roberta']);

/**
 * Writes our ONNX graph for a folder's `model.safetensors` (BERT-family only) into the cache, once per
 * weights file. Returns the ONNX path, or undefined when the folder cannot be converted.
 */
export async function convertSafetensors(dir: string, cacheDir: string): Promise<string | undefined> {
  const weightsFile = path.join(dir, 'model.safetensors');
  const configFile = path.join(dir, 'config.json');
  if (!fs.existsSync(weightsFile) || !fs.existsSync(configFile)) return undefined;
  const hf = readJsonObject(configFile);
  if (!CONVERTIBLE.has(String(hf.model_type))) return undefined;
  const target = path.join(cacheDir, 'onnx-from-safetensors', (await hashFile(weightsFile)).slice(0, 24), 'model.onnx');
  if (fs.existsSync(target)) return target;
  const config = bertConfigFromHf(hf, configFile);
  writeBertOnnx(config, bertWeightsFromTensors(config, readSafetensors(weightsFile), weightsFile), target, {
    tokenTypeIds: config.modelType === 'bert',
  });
  return target;
}

const hashCache = new Map<string, string>();

/** sha256 of a file (hex), cached by path, size and mtime. */
export async function hashFile(file: string): Promise<string> {
  const st = fs.statSync(file);
  const key = `${path.resolve(file)}:${st.size}:${st.mtimeMs}`;
  const cached = hashCache.get(key);
  if (cached) return cached;
  const hex = await sha256File(file);
  hashCache.set(key, hex);
  return hex;
}

function sha(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

/**
 * Test support for full mode: tiny BERT-family model folders (random weights from our
 * generator, genuine Hub tokenizers from the fixtures), small pair files, ONNX Runtime
 * embeddings of a folder, and max-abs differences.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir as removedAtExit } from '../encoders-onnx/helpers';
import * as path from 'node:path';
import { bertConfig, type BertConfig } from '../../../src/engine/onnx/bert-config';
import { randomBertWeights } from '../../../src/engine/onnx/bert-weights';
import { writeModelFolder, type PoolingModeName } from '../../../src/engine/onnx/model-folder-writer';
import { createOnnxEncoder } from '../../../src/engine/encoders/onnx/onnx-encoder';
import type { Matrix } from '../../../src/engine/util/matrix';

export const FIXTURES = path.join(__dirname, '../../fixtures');
/** A genuine tiny BertModel saved by sentence-transformers 6 (hidden 16, 2 layers, mean + Normalize), with a torch.onnx export. */
export const TINY_BERT = path.join(FIXTURES, 'models', 'tiny-bert-st6');
export const HUB_TOKENIZERS = {
  bert: path.join(FIXTURES, 'models', 'hub', 'all-MiniLM-L6-v2'),
  roberta: path.join(FIXTURES, 'models', 'hub', 'all-distilroberta-v1'),
  camembert: path.join(FIXTURES, 'models', 'hub', 'sentence-camembert-base'),
} as const;

export function tempDir(prefix = 'embedlab-full-'): string {
  return removedAtExit(prefix);
}

export interface TinyModelOptions {
  kind: keyof typeof HUB_TOKENIZERS;
  hidden?: number;
  layers?: number;
  heads?: number;
  seed?: number;
  pooling?: PoolingModeName;
  normalize?: boolean;
  maxSeqLength?: number;
  /** Also write model.safetensors (default true); without it the weights live only in onnx/model.onnx. */
  safetensors?: boolean;
}

/** The shape of a tiny model with a Hub tokenizer's vocabulary. */
export function tinyConfig(o: TinyModelOptions): BertConfig {
  const hfConfig = JSON.parse(readFileSync(path.join(HUB_TOKENIZERS[o.kind], 'config.json'), 'utf8')) as Record<string, number>;
  const hidden = o.hidden ?? 32;
  const roberta = o.kind !== 'bert';
  return bertConfig({
    modelType: roberta ? 'roberta' : 'bert',
    vocabSize: hfConfig.vocab_size,
    hiddenSize: hidden,
    numHiddenLayers: o.layers ?? 2,
    numAttentionHeads: o.heads ?? 4,
    intermediateSize: hidden * 2,
    maxPositionEmbeddings: roberta ? 66 : 64,
    padTokenId: hfConfig.pad_token_id ?? (roberta ? 1 : 0),
  });
}

/** Writes a tiny random model folder (our generator) with a genuine tokenizer; returns its config. */
export function writeTinyModel(dir: string, o: TinyModelOptions): BertConfig {
  const config = tinyConfig(o);
  writeModelFolder(dir, {
    config,
    weights: randomBertWeights(config, o.seed ?? 1),
    tokenizerJsonPath: path.join(HUB_TOKENIZERS[o.kind], 'tokenizer.json'),
    pooling: o.pooling ?? 'mean',
    normalize: o.normalize ?? true,
    maxSeqLength: o.maxSeqLength ?? 48,
    safetensors: o.safetensors ?? true,
  });
  if (o.kind === 'camembert') {
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), model_type: 'camembert' }, null, 2));
  }
  return config;
}

const SUBJECTS = ['apple', 'river', 'engine', 'guitar', 'planet', 'forest', 'doctor', 'market', 'winter', 'castle', 'ocean', 'garden', 'rocket', 'violin', 'desert', 'bridge'];

/** (anchor, positive) pairs about 16 different subjects; `text1`/`text2` fields. */
export function pairLines(n = 16): string[] {
  return Array.from({ length: n }, (_, i) => {
    const w = SUBJECTS[i % SUBJECTS.length];
    return JSON.stringify({ text1: `the story of the ${w}, part ${i}`, text2: `a short note about a ${w}` });
  });
}

export function writePairsFile(file: string, n = 16): string {
  writeFileSync(file, pairLines(n).join('\n') + '\n');
  return file;
}

/** Texts to compare embeddings on: short, long (truncated), accented, mixed. */
export const PROBE_TEXTS = [
  'The quick brown fox jumps over the lazy dog.',
  'Le gouvernement annonce une réforme de l’école.',
  'a short note about a rocket',
  'I love it 😀 so much!!!',
  'the story of the violin, part 13',
  'Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street’s dwindling band of ultra-cynics, are seeing green again. '.repeat(3),
  'x',
];

/** Embeddings of texts by ONNX Runtime through our ONNX encoder. */
export async function ortEmbeddings(dir: string, texts: readonly string[]): Promise<Matrix> {
  const enc = await createOnnxEncoder(dir, { threads: 1 });
  try {
    return await enc.encode(texts);
  } finally {
    await enc.dispose();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

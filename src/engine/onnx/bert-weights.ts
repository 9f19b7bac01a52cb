import type { BertConfig } from './bert-config';
import { createRng, gaussian } from '../util/random';
import { InputError } from '../util/errors';

/**
 * BERT weights as a `Map<name, Float32Array>` using the Hugging Face safetensors names and
 * PyTorch shapes (row-major):
 *
 * | name | shape |
 * |---|---|
 * | `embeddings.word_embeddings.weight` | [vocab, hidden] |
 * | `embeddings.position_embeddings.weight` | [maxPositions, hidden] |
 * | `embeddings.token_type_embeddings.weight` | [typeVocab, hidden] |
 * | `embeddings.LayerNorm.weight`, `.bias` | [hidden] |
 * | `encoder.layer.{i}.attention.self.{query,key,value}.weight` | [hidden, hidden] ([out, in], y = x·Wᵀ + b) |
 * | `encoder.layer.{i}.attention.self.{query,key,value}.bias` | [hidden] |
 * | `encoder.layer.{i}.attention.output.dense.weight` / `.bias` | [hidden, hidden] / [hidden] |
 * | `encoder.layer.{i}.attention.output.LayerNorm.weight` / `.bias` | [hidden] |
 * | `encoder.layer.{i}.intermediate.dense.weight` / `.bias` | [intermediate, hidden] / [intermediate] |
 * | `encoder.layer.{i}.output.dense.weight` / `.bias` | [hidden, intermediate] / [hidden] |
 * | `encoder.layer.{i}.output.LayerNorm.weight` / `.bias` | [hidden] |
 *
 * Checkpoints of task models prefix these with `bert.`, `roberta.`, `camembert.`, …; `bertWeightsFromTensors`
 * strips such a prefix. Old checkpoints name LayerNorm parameters `gamma`/`beta`; those are accepted too.
 * Other tensors (the pooler, heads) are ignored.
 */
export type BertWeights = Map<string, Float32Array>;

/** Every tensor name the encoder needs, with its PyTorch shape. */
export function bertWeightShapes(c: BertConfig): Map<string, number[]> {
  const h = c.hiddenSize;
  const m = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [c.vocabSize, h]],
    ['embeddings.position_embeddings.weight', [c.maxPositionEmbeddings, h]],
    ['embeddings.token_type_embeddings.weight', [c.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < c.numHiddenLayers; i++) {
    const p = `encoder.layer.${i}.`;
    for (const x of ['query', 'key', 'value']) {
      m.set(`${p}attention.self.${x}.weight`, [h, h]);
      m.set(`${p}attention.self.${x}.bias`, [h]);
    }
    m.set(`${p}attention.output.dense.weight`, [h, h]);
    m.set(`${p}attention.output.dense.bias`, [h]);
    m.set(`${p}attention.output.LayerNorm.weight`, [h]);
    m.set(`${p}attention.output.LayerNorm.bias`, [h]);
    m.set(`${p}intermediate.dense.weight`, [c.intermediateSize, h]);
    m.set(`${p}intermediate.dense.bias`, [c.intermediateSize]);
    m.set(`${p}output.dense.weight`, [h, c.intermediateSize]);
    m.set(`${p}output.dense.bias`, [h]);
    m.set(`${p}output.LayerNorm.weight`, [h]);
    m.set(`${p}output.LayerNorm.bias`, [h]);
  }
  return m;
}

/**
 * Random weights initialised as transformers does (normal(0, 0.02) matrices and embeddings,
 * LayerNorm weight 1 and bias 0, zero biases). Same seed, same weights.
 */
export function randomBertWeights(c: BertConfig, seed = 42): BertWeights {
  const rng = createRng(seed);
  const out: BertWeights = new Map();
  for (const [name, shape] of bertWeightShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('LayerNorm.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < n; i++) data[i] = 0.02 * gaussian(rng);
    if (c.modelType === 'roberta' && name === 'embeddings.position_embeddings.weight') {
      data.fill(0, c.padTokenId * c.hiddenSize, (c.padTokenId + 1) * c.hiddenSize);
    }
    out.set(name, data);
  }
  return out;
}

const PREFIXES = ['bert.', 'roberta.', 'camembert.', 'xlm_roberta.', 'xlm-roberta.', 'model.', '0.auto_model.', 'auto_model.'];

/** A checkpoint tensor's name in the layout above: task-model prefixes stripped, old `gamma`/`beta` renamed. */
export function canonicalTensorName(rawName: string): string {
  let name = rawName.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  for (const p of PREFIXES) if (name.startsWith(p)) name = name.slice(p.length);
  return name;
}

/**
 * Picks the encoder weights out of a checkpoint's tensors (e.g. from `readSafetensors`), strips
 * task-model prefixes and old `gamma`/`beta` names, and checks every shape. `file` is for errors.
 */
export function bertWeightsFromTensors(
  c: BertConfig,
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  file?: string,
): BertWeights {
  const normalized = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [rawName, t] of tensors) normalized.set(canonicalTensorName(rawName), t);
  const out: BertWeights = new Map();
  for (const [name, shape] of bertWeightShapes(c)) {
    const t = normalized.get(name);
    if (!t) throw new InputError(`missing tensor "${name}"`, { file });
    if (t.shape.join(',') !== shape.join(',')) {
      throw new InputError(`tensor "${name}" has shape [${t.shape.join(', ')}], the config needs [${shape.join(', ')}]`, { file });
    }
    out.set(name, t.data);
  }
  return out;
}

/** Checks that a weight map has every tensor with the right number of values. */
export function checkBertWeights(c: BertConfig, weights: BertWeights): void {
  for (const [name, shape] of bertWeightShapes(c)) {
    const w = weights.get(name);
    const n = shape.reduce((a, b) => a * b, 1);
    if (!w) throw new Error(`missing weight ${name}`);
    if (w.length !== n) throw new Error(`weight ${name} has ${w.length} values, expected ${n} for [${shape.join(', ')}]`);
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { bertConfig, bertConfigFromHf } from '../../../src/engine/onnx/bert-config';
import { bertWeightsFromTensors, randomBertWeights } from '../../../src/engine/onnx/bert-weights';
import { writeBertOnnx } from '../../../src/engine/onnx/bert-graph';
import { readSafetensors, writeSafetensors } from '../../../src/engine/onnx/safetensors';

const FIX = path.join(__dirname, '../../fixtures/models');

interface HiddenRef {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids?: number[][];
  last_hidden_state: number[][][];
}

async function runGenerated(modelDir: string, ref: HiddenRef): Promise<number> {
  const config = bertConfigFromHf(JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8')));
  const weights = bertWeightsFromTensors(config, readSafetensors(path.join(modelDir, 'model.safetensors')));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bert-graph-')), 'model.onnx');
  writeBertOnnx(config, weights, file);
  const session = await ort.InferenceSession.create(file);
  try {
    const B = ref.input_ids.length;
    const S = ref.input_ids[0].length;
    const t = (a: number[][]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(a.flat().map(BigInt)), [B, S]);
    const feeds: Record<string, ort.Tensor> = { input_ids: t(ref.input_ids), attention_mask: t(ref.attention_mask) };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = t(ref.token_type_ids!);
    const out = await session.run(feeds);
    const y = out.last_hidden_state.data as Float32Array;
    const expected = ref.last_hidden_state.flat(2);
    assert.equal(y.length, expected.length);
    let maxDiff = 0;
    for (let i = 0; i < y.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i] - expected[i]));
    return maxDiff;
  } finally {
    await session.release();
  }
}

test("our BERT graph reproduces transformers' BertModel last_hidden_state (same safetensors weights)", async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'tiny-bert-reference.json'), 'utf8')).hidden as HiddenRef;
  const diff = await runGenerated(path.join(FIX, 'tiny-bert-st6'), ref);
  assert.ok(diff < 1e-4, `max |ours - transformers| = ${diff}`);
});

test("our RoBERTa graph reproduces transformers' RobertaModel (position ids from padding_idx + 1)", async () => {
  const ref = JSON.parse(fs.readFileSync(path.join(FIX, 'tiny-roberta-reference.json'), 'utf8')) as HiddenRef;
  const diff = await runGenerated(path.join(FIX, 'tiny-roberta'), ref);
  assert.ok(diff < 1e-4, `max |ours - transformers| = ${diff}`);
});

test('randomBertWeights is deterministic and shaped by the config', () => {
  const c = bertConfig({ vocabSize: 50, hiddenSize: 8, numAttentionHeads: 2, numHiddenLayers: 1, intermediateSize: 16 });
  const a = randomBertWeights(c, 7);
  const b = randomBertWeights(c, 7);
  const d = randomBertWeights(c, 8);
  assert.equal(a.get('embeddings.word_embeddings.weight')!.length, 50 * 8);
  assert.equal(a.get('encoder.layer.0.intermediate.dense.weight')!.length, 16 * 8);
  assert.deepEqual(a.get('encoder.layer.0.attention.self.query.weight'), b.get('encoder.layer.0.attention.self.query.weight'));
  assert.notDeepEqual(a.get('encoder.layer.0.attention.self.query.weight'), d.get('encoder.layer.0.attention.self.query.weight'));
  assert.ok(a.get('embeddings.LayerNorm.weight')!.every((v) => v === 1));
});

test('safetensors round trip, with task-model prefixes stripped and shapes checked', () => {
  const c = bertConfig({ vocabSize: 20, hiddenSize: 4, numAttentionHeads: 1, numHiddenLayers: 1, intermediateSize: 8 });
  const w = randomBertWeights(c, 1);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'st-')), 'model.safetensors');
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, data] of w) tensors.set(`bert.${name}`, { shape: name.includes('word_embeddings') ? [20, 4] : inferShape(c, name), data });
  writeSafetensors(file, tensors);
  const back = bertWeightsFromTensors(c, readSafetensors(file));
  assert.deepEqual(back.get('encoder.layer.0.output.dense.weight'), w.get('encoder.layer.0.output.dense.weight'));
  tensors.set('bert.embeddings.word_embeddings.weight', { shape: [4, 20], data: w.get('embeddings.word_embeddings.weight')! });
  writeSafetensors(file, tensors);
  assert.throws(() => bertWeightsFromTensors(c, readSafetensors(file), file), /word_embeddings.*\[4, 20\]/);
});

function inferShape(c: ReturnType<typeof bertConfig>, name: string): number[] {
  if (name.includes('position_embeddings')) return [c.maxPositionEmbeddings, c.hiddenSize];
  if (name.includes('token_type')) return [c.typeVocabSize, c.hiddenSize];
  if (name.endsWith('intermediate.dense.weight')) return [c.intermediateSize, c.hiddenSize];
  if (name.endsWith('intermediate.dense.bias')) return [c.intermediateSize];
  if (name.endsWith('output.dense.weight') && !name.includes('attention')) return [c.hiddenSize, c.intermediateSize];
  if (name.endsWith('.weight') && !name.includes('LayerNorm')) return [c.hiddenSize, c.hiddenSize];
  return [c.hiddenSize];
}

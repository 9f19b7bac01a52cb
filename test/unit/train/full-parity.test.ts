import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { useTrainingBackend } from '../../../src/engine/train/backend';
import { train } from '../../../src/engine/train/trainer';
import { runFiles } from '../../../src/engine/train/runs';
import { SentenceModel } from '../../../src/engine/train/transformer/sentence-model';
import { TfBert } from '../../../src/engine/train/transformer/bert-model';
import { padTokenBatch } from '../../../src/engine/train/transformer/token-batch';
import { bertConfigFromHf } from '../../../src/engine/onnx/bert-config';
import { bertWeightsFromTensors } from '../../../src/engine/onnx/bert-weights';
import { readSafetensors } from '../../../src/engine/onnx/safetensors';
import type { PoolingModeName } from '../../../src/engine/onnx/model-folder-writer';
import { FIXTURES, maxAbsDiff, ortEmbeddings, PROBE_TEXTS, TINY_BERT, tempDir, writePairsFile, writeTinyModel, type TinyModelOptions } from './full-helpers';

const TOLERANCE = 1e-4;

async function tfjsEmbeddings(dir: string, texts: readonly string[]): Promise<Float32Array> {
  const model = SentenceModel.load(dir);
  try {
    return (await model.encode(texts, { batchSize: 3 })).data;
  } finally {
    model.dispose();
  }
}

test('genuine tiny BERT: tfjs forward = ONNX Runtime on its torch.onnx export = sentence-transformers', async (t) => {
  await useTrainingBackend('wasm');
  const ours = await tfjsEmbeddings(TINY_BERT, PROBE_TEXTS);
  const ort = await ortEmbeddings(TINY_BERT, PROBE_TEXTS);
  const d = maxAbsDiff(ours, ort.data);
  assert.ok(d <= TOLERANCE, `max |tfjs − onnxruntime| = ${d}`);
  const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'models', 'tiny-bert-reference.json'), 'utf8')) as { texts: string[]; mean_normalized: number[][] };
  const st = await tfjsEmbeddings(TINY_BERT, ref.texts);
  const ds = maxAbsDiff(st, ref.mean_normalized.flat());
  assert.ok(ds <= 1e-5, `max |tfjs − sentence-transformers| = ${ds}`);
  t.diagnostic(`max |tfjs − onnxruntime| ${d.toExponential(2)}, max |tfjs − sentence-transformers| ${ds.toExponential(2)}`);
});

test("RoBERTa: tfjs last_hidden_state = transformers' RobertaModel (positions from padding_idx + 1, padded rows)", async (t) => {
  await useTrainingBackend('wasm');
  const dir = path.join(FIXTURES, 'models', 'tiny-roberta');
  const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'models', 'tiny-roberta-reference.json'), 'utf8')) as {
    input_ids: number[][];
    attention_mask: number[][];
    last_hidden_state: number[][][];
  };
  const config = bertConfigFromHf(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')));
  const bert = TfBert.fromWeights(config, bertWeightsFromTensors(config, readSafetensors(path.join(dir, 'model.safetensors'))));
  const tokens = ref.input_ids.map((row, b) => row.filter((_, s) => ref.attention_mask[b][s] === 1));
  const hidden = bert.forward(padTokenBatch(tokens, config.padTokenId, config));
  const ours = hidden.dataSync();
  hidden.dispose();
  bert.dispose();
  // compare the real tokens (transformers computes padding rows too, but they are masked everywhere)
  let d = 0;
  ref.last_hidden_state.forEach((rows, b) =>
    rows.forEach((v, s) => {
      if (ref.attention_mask[b][s] === 1) d = Math.max(d, maxAbsDiff(v, ours.subarray((b * rows.length + s) * v.length, (b * rows.length + s + 1) * v.length)));
    }),
  );
  assert.ok(d <= TOLERANCE, `max |tfjs − transformers| = ${d}`);
  t.diagnostic(`max |tfjs − transformers| ${d.toExponential(2)}`);
});

const SHAPES: { name: string; model: TinyModelOptions }[] = [
  { name: 'BERT, mean + Normalize', model: { kind: 'bert', seed: 1 } },
  { name: 'RoBERTa, cls', model: { kind: 'roberta', seed: 2, pooling: 'cls', normalize: false } },
  { name: 'CamemBERT (Unigram tokenizer, config pad id ≠ tokenizer pad id), max', model: { kind: 'camembert', seed: 3, pooling: 'max' as PoolingModeName } },
];

for (const { name, model } of SHAPES) {
  test(`${name}: tfjs = ONNX Runtime on the same weights before and after training (≤ 1e-4)`, async (t) => {
    await useTrainingBackend('wasm');
    const dir = tempDir();
    const base = path.join(dir, 'base');
    writeTinyModel(base, model);
    const before = await tfjsEmbeddings(base, PROBE_TEXTS);
    const dBefore = maxAbsDiff(before, (await ortEmbeddings(base, PROBE_TEXTS)).data);
    assert.ok(dBefore <= TOLERANCE, `before training: max |tfjs − onnxruntime| = ${dBefore}`);

    const r = await train({
      root: dir,
      mode: 'full',
      encoder: base,
      train: { file: writePairsFile(path.join(dir, 'pairs.jsonl')) },
      loss: 'mnr',
      evalFraction: 0,
      batchSize: 8,
      epochs: 2,
      lr: 1e-3,
      backend: 'wasm',
    });
    assert.equal(r.status, 'completed');
    const exported = runFiles(r.run).model;
    const after = await tfjsEmbeddings(exported, PROBE_TEXTS);
    const dAfter = maxAbsDiff(after, (await ortEmbeddings(exported, PROBE_TEXTS)).data);
    assert.ok(dAfter <= TOLERANCE, `after training: max |tfjs − onnxruntime| = ${dAfter}`);
    const moved = maxAbsDiff(before, after);
    assert.ok(moved > 100 * TOLERANCE, `training changed the embeddings (max change ${moved})`);
    t.diagnostic(`max |tfjs − onnxruntime| before ${dBefore.toExponential(2)}, after ${dAfter.toExponential(2)}; embeddings moved by up to ${moved.toFixed(3)}`);
  });
}

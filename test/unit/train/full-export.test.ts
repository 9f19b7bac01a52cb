import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { train } from '../../../src/engine/train/trainer';
import { runFiles } from '../../../src/engine/train/runs';
import { resolveEncoder } from '../../../src/engine/encoders/resolve';
import { SentenceModel } from '../../../src/engine/train/transformer/sentence-model';
import { locateTrainableFolder } from '../../../src/engine/train/transformer/model-source';
import { readSafetensors } from '../../../src/engine/onnx/safetensors';
import { bertWeightShapes } from '../../../src/engine/onnx/bert-weights';
import { FIXTURES, maxAbsDiff, ortEmbeddings, PROBE_TEXTS, TINY_BERT, tempDir, writePairsFile, writeTinyModel } from './full-helpers';
import { ROUNDTRIP_TEXTS, trainRoundtripRuns } from './full-roundtrip';

interface RoundtripFixture {
  texts: string[];
  bert: { embeddings: number[][]; modules: string[] };
  roberta: { embeddings: number[][]; modules: string[] };
}

test('full-mode exports give the embeddings Python sentence-transformers computed from them (SentenceTransformer(path), BERT and RoBERTa)', async (t) => {
  const ref = JSON.parse(readFileSync(path.join(FIXTURES, 'train', 'full-roundtrip.json'), 'utf8')) as RoundtripFixture;
  assert.deepEqual(ref.texts, ROUNDTRIP_TEXTS);
  const runs = await trainRoundtripRuns(tempDir());
  const untrained = await ortEmbeddings(TINY_BERT, ROUNDTRIP_TEXTS);
  assert.ok(maxAbsDiff(untrained.data, ref.bert.embeddings.flat()) > 1e-2, 'the reference is of a trained model');
  for (const name of ['bert', 'roberta'] as const) {
    const dir = runFiles(runs[name].run).model;
    const expected = ref[name].embeddings.flat();
    const ort = await ortEmbeddings(dir, ROUNDTRIP_TEXTS);
    const model = SentenceModel.load(dir);
    const tfjs = await model.encode(ROUNDTRIP_TEXTS);
    model.dispose();
    const dOrt = maxAbsDiff(ort.data, expected);
    const dTfjs = maxAbsDiff(tfjs.data, expected);
    assert.ok(dOrt <= 1e-4 && dTfjs <= 1e-4, `${name}: max |ours − sentence-transformers| onnxruntime ${dOrt}, tfjs ${dTfjs}`);
    t.diagnostic(`${name}: max |ours − sentence-transformers| onnxruntime ${dOrt.toExponential(2)}, tfjs ${dTfjs.toExponential(2)}`);
  }
  assert.deepEqual(ref.bert.modules, ['Transformer', 'Pooling', 'Normalize']);
});

test('a full-mode run serves as an encoder (run:<id>, its folder, its model/ folder) with the embeddings of the tfjs model it saved', async (t) => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  writeTinyModel(base, { kind: 'camembert', seed: 8, pooling: 'mean', normalize: true });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  const r = await train({ root: dir, mode: 'full', encoder: base, train: { file: pairs }, eval: { file: pairs }, loss: 'mnr', batchSize: 8, epochs: 3, lr: 1e-3, evalEvery: 2, backend: 'wasm' });
  assert.equal(r.status, 'completed');
  const modelDir = runFiles(r.run).model;

  const tfjsModel = SentenceModel.load(modelDir);
  const tfjs = await tfjsModel.encode(PROBE_TEXTS);
  tfjsModel.dispose();
  for (const spec of [`run:${r.id}`, r.run, modelDir]) {
    const enc = await resolveEncoder(spec, { projectDir: dir });
    try {
      assert.match(enc.id, /^onnx:/);
      assert.equal(enc.dimension, 32);
      const y = await enc.encode(PROBE_TEXTS);
      const d = maxAbsDiff(y.data, tfjs.data);
      assert.ok(d <= 1e-4, `${spec}: max |onnx encoder − tfjs| = ${d}`);
      if (spec === r.run) t.diagnostic(`run folder via the ONNX encoder vs tfjs: ${d.toExponential(2)}`);
    } finally {
      await enc.dispose();
    }
  }
  // the run's best evaluation is the one the exported model reproduces
  assert.ok(r.best && r.best.metric === 'mrr10');
  assert.equal(await locateTrainableFolder(`run:${r.id}`, { projectDir: dir }), modelDir);

  // the folder is a sentence-transformers folder with Hugging Face tensor names
  const hf = JSON.parse(readFileSync(path.join(modelDir, 'config.json'), 'utf8'));
  assert.equal(hf.model_type, 'camembert');
  assert.equal(hf.hidden_size, 32);
  const tensors = readSafetensors(path.join(modelDir, 'model.safetensors'));
  const shapes = bertWeightShapes(tfjsModel.folder.config);
  assert.deepEqual([...tensors.keys()].sort(), [...shapes.keys()].sort());
  for (const [name, shape] of shapes) assert.deepEqual(tensors.get(name)!.shape, shape, name);
  const modules = JSON.parse(readFileSync(path.join(modelDir, 'modules.json'), 'utf8')) as { type: string }[];
  assert.deepEqual(modules.map((m) => m.type.split('.').pop()), ['Transformer', 'Pooling', 'Normalize']);
  assert.equal(JSON.parse(readFileSync(path.join(modelDir, '1_Pooling', 'config.json'), 'utf8')).pooling_mode_mean_tokens, true);
  assert.equal(JSON.parse(readFileSync(path.join(modelDir, 'sentence_bert_config.json'), 'utf8')).max_seq_length, 48);
  assert.ok(!existsSync(`${modelDir}.next-${process.pid}`), 'no temporary folder left');
});

test('a full-mode run can be fine-tuned again in full mode from run:<id>', async () => {
  const dir = tempDir();
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  const common = { root: dir, mode: 'full' as const, train: { file: pairs }, loss: 'mnr' as const, batchSize: 8, epochs: 1, lr: 1e-3, evalFraction: 0, backend: 'wasm' as const };
  const first = await train({ ...common, encoder: TINY_BERT, runId: 'first' });
  const second = await train({ ...common, encoder: 'run:first', runId: 'second' });
  assert.equal(second.status, 'completed');
  const config = JSON.parse(readFileSync(runFiles(second.run).config, 'utf8'));
  assert.equal(config.model.folder, runFiles(first.run).model);
});

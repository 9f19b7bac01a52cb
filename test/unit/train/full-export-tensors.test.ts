import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { train } from '../../../src/engine/train/trainer';
import { runFiles } from '../../../src/engine/train/runs';
import { readSafetensorsRaw, writeSafetensors, type RawSafeTensor } from '../../../src/engine/onnx/safetensors';
import { FIXTURES, tempDir, writePairsFile, writeTinyModel } from './full-helpers';

/** Keys BertModel.from_pretrained loads for the tiny BERT shape (make-hf-keys.py, transformers 5). */
const HF_KEYS = (JSON.parse(readFileSync(path.join(FIXTURES, 'train', 'hf-bert-keys.json'), 'utf8')) as { expected_keys: string[] }).expected_keys;

function rawF32(shape: number[], seed: number): RawSafeTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i));
  return { dtype: 'F32', shape, bytes: new Uint8Array(data.buffer) };
}

/** A base like a Hub BERT checkpoint: the encoder, a pooler, an int64 position_ids buffer and an F16 extra tensor. */
function writeBaseWithPooler(dir: string): Map<string, RawSafeTensor> {
  writeTinyModel(dir, { kind: 'bert', seed: 5 });
  const file = path.join(dir, 'model.safetensors');
  const tensors = readSafetensorsRaw(file);
  tensors.set('pooler.dense.weight', rawF32([32, 32], 1));
  tensors.set('pooler.dense.bias', rawF32([32], 2));
  const ids = BigInt64Array.from({ length: 64 }, (_, i) => BigInt(i));
  tensors.set('embeddings.position_ids', { dtype: 'I64', shape: [1, 64], bytes: new Uint8Array(ids.buffer) });
  tensors.set('cls.extra.scale', { dtype: 'F16', shape: [3], bytes: new Uint8Array([0, 60, 0, 64, 0, 66]) });
  writeSafetensors(file, tensors);
  return readSafetensorsRaw(file);
}

const UNTRAINED = ['pooler.dense.weight', 'pooler.dense.bias', 'embeddings.position_ids', 'cls.extra.scale'];

test('a full-mode export carries every tensor of the base: trained ones updated, the others (pooler, buffers) byte for byte with their dtype', async () => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  const before = writeBaseWithPooler(base);
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  const r = await train({ root: dir, mode: 'full', encoder: base, train: { file: pairs }, loss: 'mnr', batchSize: 8, epochs: 1, lr: 1e-3, evalFraction: 0, backend: 'wasm' });
  assert.equal(r.status, 'completed');
  const after = readSafetensorsRaw(path.join(runFiles(r.run).model, 'model.safetensors'));
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  for (const name of UNTRAINED) {
    const [a, b] = [after.get(name)!, before.get(name)!];
    assert.equal(a.dtype, b.dtype, name);
    assert.deepEqual(a.shape, b.shape, name);
    assert.ok(Buffer.from(a.bytes).equals(Buffer.from(b.bytes)), `${name} is copied unchanged`);
  }
  const w = 'encoder.layer.0.attention.self.query.weight';
  assert.ok(!Buffer.from(after.get(w)!.bytes).equals(Buffer.from(before.get(w)!.bytes)), 'the trained weights are the trained ones');
  // transformers' BertModel.from_pretrained finds every key it loads (nothing initialised at random)
  const missing = HF_KEYS.filter((k) => !after.has(k));
  assert.deepEqual(missing, []);
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8')) as { model: { untrainedTensors: { copied: string[] } } };
  assert.deepEqual([...config.model.untrainedTensors.copied].sort(), [...UNTRAINED].sort());
});

test('a base from an ONNX export has no pooler: the run says so and the export has only the encoder tensors', async () => {
  const dir = tempDir();
  const base = path.join(dir, 'base');
  writeTinyModel(base, { kind: 'bert', seed: 6, safetensors: false });
  const pairs = writePairsFile(path.join(dir, 'pairs.jsonl'));
  const r = await train({ root: dir, mode: 'full', encoder: base, train: { file: pairs }, loss: 'mnr', batchSize: 8, epochs: 1, lr: 1e-3, evalFraction: 0, backend: 'wasm' });
  assert.equal(r.status, 'completed');
  const config = JSON.parse(readFileSync(runFiles(r.run).config, 'utf8')) as { model: { untrainedTensors: { none?: string } } };
  assert.match(config.model.untrainedTensors.none ?? '', /ONNX export.*no pooler/);
  const after = readSafetensorsRaw(path.join(runFiles(r.run).model, 'model.safetensors'));
  assert.ok(![...after.keys()].some((k) => k.startsWith('pooler.')));
});

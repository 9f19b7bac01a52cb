import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { bertConfig } from '../../../src/engine/onnx/bert-config';
import { randomBertWeights } from '../../../src/engine/onnx/bert-weights';
import { writeModelFolder } from '../../../src/engine/onnx/model-folder-writer';
import { readModelFolder } from '../../../src/engine/encoders/onnx/model-folder';
import { createOnnxEncoder } from '../../../src/engine/encoders/onnx/onnx-encoder';
import { TextTokenizer } from '../../../src/engine/encoders/tokenizer/text-tokenizer';

const TOKENIZER = path.join(__dirname, '../../fixtures/models/hub/all-MiniLM-L6-v2/tokenizer.json');
const config = bertConfig({ vocabSize: 30522, hiddenSize: 8, numAttentionHeads: 2, numHiddenLayers: 1, intermediateSize: 16, maxPositionEmbeddings: 64 });
const weights = randomBertWeights(config, 3);
const TEXTS = ['Hello world.', "L'élève a mangé une crème brûlée.", 'short'];

test('writeModelFolder: both layouts read back with the same settings and give the same embeddings', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-'));
  const results: Float32Array[] = [];
  for (const layout of ['classic', 'st6'] as const) {
    const dir = path.join(root, layout);
    writeModelFolder(dir, { config, weights, tokenizerJsonPath: TOKENIZER, pooling: 'mean', normalize: true, maxSeqLength: 24, layout });
    const f = readModelFolder(dir);
    assert.equal(f.layout, layout);
    assert.equal(f.maxSeqLength, 24);
    assert.deepEqual(f.pooling.modes, ['mean']);
    assert.equal(f.normalize, true);
    assert.ok(fs.existsSync(path.join(dir, 'model.safetensors')));
    const enc = await createOnnxEncoder(dir);
    results.push((await enc.encode(TEXTS)).data);
    await enc.dispose();
  }
  assert.deepEqual(results[0], results[1]);
});

test('writeModelFolder: CLS pooling without Normalize equals the first token of the graph output', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'writer-')), 'm');
  const onnxFile = writeModelFolder(dir, { config, weights, tokenizerJsonPath: TOKENIZER, pooling: 'cls', normalize: false, layout: 'st6' });
  const enc = await createOnnxEncoder(dir);
  const ours = await enc.encode(TEXTS);
  await enc.dispose();
  assert.equal(enc.normalized, false);
  const tok = TextTokenizer.fromFolder(dir);
  const session = await ort.InferenceSession.create(onnxFile);
  for (let i = 0; i < TEXTS.length; i++) {
    const ids = tok.encode(TEXTS[i]);
    const t = (v: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(v.map(BigInt)), [1, v.length]);
    const out = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1)), token_type_ids: t(ids.map(() => 0)) });
    const hidden = out.last_hidden_state.data as Float32Array;
    assert.deepEqual([...ours.data.subarray(i * 8, i * 8 + 8)], [...hidden.subarray(0, 8)]);
  }
  await session.release();
});

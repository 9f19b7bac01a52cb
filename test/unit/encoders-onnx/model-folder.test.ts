import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readModelFolder } from '../../../src/engine/encoders/onnx/model-folder';
import { createOnnxEncoder } from '../../../src/engine/encoders/onnx/onnx-encoder';
import { classicTinyFolder, copyTiny, FIX, tempDir, TINY } from './helpers';

test('classic Hub layout (all-MiniLM-L6-v2): max_seq_length 256, mean pooling, Normalize without its folder', () => {
  const dir = copyHub('all-MiniLM-L6-v2');
  const f = readModelFolder(dir);
  assert.equal(f.layout, 'classic');
  assert.equal(f.maxSeqLength, 256);
  assert.deepEqual(f.pooling, { modes: ['mean'], includePrompt: true });
  assert.equal(f.normalize, true);
  assert.equal(f.name, 'sentence-transformers/all-MiniLM-L6-v2');
  assert.equal(f.onnxFile, path.join(dir, 'onnx', 'model.onnx'));
});

test('CamemBERT: no Normalize module, max 128; RoBERTa: max capped by the position table', () => {
  const cam = readModelFolder(copyHub('sentence-camembert-base'));
  assert.equal(cam.normalize, false);
  assert.equal(cam.maxSeqLength, 128);
  const rob = readModelFolder(copyHub('all-distilroberta-v1'));
  assert.equal(rob.maxSeqLength, 512); // sentence_bert_config says 512, 514 positions - 2
  assert.equal(rob.normalize, true);
});

test('sentence-transformers 6 layout: pooling_mode string, max length from tokenizer_config.json', () => {
  const f = readModelFolder(TINY);
  assert.equal(f.layout, 'st6');
  assert.equal(f.maxSeqLength, 32);
  assert.deepEqual(f.pooling, { modes: ['mean'], includePrompt: true });
  assert.equal(f.normalize, true);
  assert.equal(f.onnxFile, path.join(TINY, 'onnx', 'model.onnx'));
});

test('variants: onnx/model_<variant>.onnx or a relative path; a missing one lists what exists', () => {
  const dir = copyTiny();
  fs.copyFileSync(path.join(dir, 'onnx', 'model.onnx'), path.join(dir, 'onnx', 'model_qint8_avx512.onnx'));
  assert.equal(readModelFolder(dir, { variant: 'qint8_avx512' }).onnxFile, path.join(dir, 'onnx', 'model_qint8_avx512.onnx'));
  assert.equal(readModelFolder(dir, { variant: 'onnx/model.onnx' }).onnxFile, path.join(dir, 'onnx', 'model.onnx'));
  assert.throws(
    () => readModelFolder(dir, { variant: 'O4' }),
    (e: Error) => e.message.includes('model_O4.onnx') && e.message.includes('onnx/model_qint8_avx512.onnx'),
  );
});

test('model.onnx at the root is found; a folder without ONNX gets an error naming the file and how to export', () => {
  assert.equal(readModelFolder(classicTinyFolder()).onnxFile.endsWith(`${path.sep}model.onnx`), true);
  const dir = copyHub('all-MiniLM-L6-v2', false);
  assert.throws(
    () => readModelFolder(dir),
    (e: Error) => e.message.includes(path.join(dir, 'onnx', 'model.onnx')) && /missing file/.test(e.message) && /optimum-cli/.test(e.message),
  );
});

test('a truncated ONNX file is an error naming it', async () => {
  const dir = copyTiny();
  const file = path.join(dir, 'onnx', 'model.onnx');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(createOnnxEncoder(dir), (e: Error) => e.message.includes(file) && /truncated/.test(e.message));
});

test('a hidden size that does not match config.json is an error naming the ONNX file', async () => {
  const dir = copyTiny();
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  config.hidden_size = 32;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ embedding_dimension: 32, pooling_mode: 'mean' }));
  await assert.rejects(
    createOnnxEncoder(dir),
    (e: Error) => e.message.includes(path.join(dir, 'onnx', 'model.onnx')) && /hidden size mismatch/.test(e.message),
  );
  // and a pooling config that disagrees with config.json names the pooling config
  fs.writeFileSync(path.join(dir, '1_Pooling', 'config.json'), JSON.stringify({ embedding_dimension: 16, pooling_mode: 'mean' }));
  assert.throws(() => readModelFolder(dir), (e: Error) => e.message.includes(path.join('1_Pooling', 'config.json')));
});

test('an unknown tokenizer type is an error naming tokenizer.json', async () => {
  const dir = copyTiny();
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'Mystery' } }));
  await assert.rejects(createOnnxEncoder(dir), (e: Error) => e.message.includes(path.join(dir, 'tokenizer.json')) && /Mystery/.test(e.message));
});

test('unsupported modules (Dense) are refused with the modules.json path', () => {
  const dir = copyTiny();
  const modules = JSON.parse(fs.readFileSync(path.join(dir, 'modules.json'), 'utf8'));
  modules.push({ idx: 3, name: '3', path: '3_Dense', type: 'sentence_transformers.models.Dense' });
  fs.writeFileSync(path.join(dir, 'modules.json'), JSON.stringify(modules));
  assert.throws(() => readModelFolder(dir), (e: Error) => e.message.includes('modules.json') && /Dense/.test(e.message));
});

/** A copy of a genuine Hub folder (no weights), with an empty placeholder onnx/model.onnx unless `withOnnx` is false. */
function copyHub(name: string, withOnnx = true): string {
  const target = path.join(tempDir(`${name}-`), name);
  fs.cpSync(path.join(FIX, 'hub', name), target, { recursive: true });
  if (withOnnx) {
    fs.mkdirSync(path.join(target, 'onnx'));
    fs.writeFileSync(path.join(target, 'onnx', 'model.onnx'), '');
  }
  return target;
}

test('prefixes come from config_sentence_transformers.json prompts, else from the registry (e5)', () => {
  const e5 = path.join(tempDir('e5-'), 'multilingual-e5-small');
  fs.cpSync(TINY, e5, { recursive: true });
  const f = readModelFolder(e5); // its prompts are empty strings
  assert.equal(f.name, 'intfloat/multilingual-e5-small');
  assert.deepEqual(f.prompts, { query: 'query: ', passage: 'passage: ' });
  const st = JSON.parse(fs.readFileSync(path.join(e5, 'config_sentence_transformers.json'), 'utf8'));
  st.prompts = { query: 'Instruct: find\nQuery: ', document: '' };
  fs.writeFileSync(path.join(e5, 'config_sentence_transformers.json'), JSON.stringify(st));
  assert.deepEqual(readModelFolder(e5).prompts, { query: 'Instruct: find\nQuery: ', passage: undefined });
});

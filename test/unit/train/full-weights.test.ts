import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readTrainableFolder, loadFolderWeights } from '../../../src/engine/train/transformer/model-source';
import { readSafetensors, writeSafetensors } from '../../../src/engine/onnx/safetensors';
import { bertWeightsFromTensors, bertWeightShapes, randomBertWeights, type BertWeights } from '../../../src/engine/onnx/bert-weights';
import { readOnnxWeights } from '../../../src/engine/onnx/onnx-reader';
import { protoFields, readVarint } from '../../../src/engine/onnx/protobuf-reader';
import { ProtoWriter } from '../../../src/engine/onnx/protobuf';
import { InputError } from '../../../src/engine/util/errors';
import { TINY_BERT, tempDir, writeTinyModel } from './full-helpers';

function assertSameWeights(a: BertWeights, b: BertWeights, skip: (name: string, i: number) => boolean = () => false): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [name, x] of a) {
    const y = b.get(name)!;
    assert.equal(x.length, y.length, name);
    for (let i = 0; i < x.length; i++) if (!skip(name, i) && x[i] !== y[i]) assert.fail(`${name}[${i}]: ${x[i]} ≠ ${y[i]}`);
  }
}

test("without model.safetensors, weights come from the ONNX initializers of a torch.onnx export (names behind a prefix, MatMul weights unnamed)", () => {
  const dir = path.join(tempDir(), 'tiny');
  cpSync(TINY_BERT, dir, { recursive: true });
  const fromSafetensors = loadFolderWeights(readTrainableFolder(dir));
  rmSync(path.join(dir, 'model.safetensors'));
  const folder = readTrainableFolder(dir);
  assert.equal(folder.weightsFrom, 'onnx');
  assert.equal(folder.weightsFile, path.join(dir, 'onnx', 'model.onnx'));
  // the export names matrices "onnx::MatMul_330": recovered through MatMul → Add(bias) and transposed back
  const names = [...readOnnxWeights(folder.weightsFile).tensors.keys()];
  assert.ok(names.some((n) => n.startsWith('onnx::MatMul')) && names.some((n) => n.startsWith('m.embeddings.')));
  assertSameWeights(loadFolderWeights(folder), fromSafetensors);
});

test('without model.safetensors, weights come from the initializers of our own ONNX graphs (BERT and RoBERTa)', () => {
  for (const kind of ['bert', 'roberta'] as const) {
    const dir = path.join(tempDir(), kind);
    const config = writeTinyModel(dir, { kind, seed: 5, safetensors: false });
    const folder = readTrainableFolder(dir);
    assert.equal(folder.weightsFrom, 'onnx');
    const expected = randomBertWeights(config, 5);
    assertSameWeights(loadFolderWeights(folder), expected);
  }
});

test("safetensors of task models load with their 'bert.' / 'roberta.' prefix", () => {
  for (const kind of ['bert', 'roberta'] as const) {
    const dir = path.join(tempDir(), kind);
    const config = writeTinyModel(dir, { kind, seed: 6 });
    const expected = randomBertWeights(config, 6);
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, shape] of bertWeightShapes(config)) tensors.set(`${kind}.${name}`, { shape, data: expected.get(name)! });
    tensors.set('lm_head.bias', { shape: [3], data: new Float32Array(3) });
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
    assert.ok([...readSafetensors(path.join(dir, 'model.safetensors')).keys()].every((k) => k.startsWith(`${kind}.`) || k.startsWith('lm_head')));
    assertSameWeights(loadFolderWeights(readTrainableFolder(dir)), expected);
  }
});

test('the genuine save_pretrained names (no prefix) load as they are', () => {
  const tensors = readSafetensors(path.join(TINY_BERT, 'model.safetensors'));
  assert.ok(tensors.has('encoder.layer.0.attention.self.query.weight'));
  const folder = readTrainableFolder(TINY_BERT);
  assert.equal(folder.weightsFrom, 'safetensors');
  assertSameWeights(loadFolderWeights(folder), bertWeightsFromTensors(folder.config, tensors));
});

test('folders full mode cannot train are refused with the file and field', () => {
  const dir = path.join(tempDir(), 'm');
  writeTinyModel(dir, { kind: 'bert', safetensors: false });
  rmSync(path.join(dir, 'onnx'), { recursive: true });
  assert.throws(() => readTrainableFolder(dir), (e: unknown) => e instanceof InputError && /no weights/.test(e.message) && e.file === path.join(dir, 'model.safetensors'));
  const configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), model_type: 'distilbert' }));
  assert.throws(() => readTrainableFolder(dir), (e: unknown) => e instanceof InputError && e.field === 'model_type' && e.file === configFile);
});

test('an ONNX graph without the float weights (e.g. quantized) is refused with a hint', () => {
  const dir = path.join(tempDir(), 'q');
  writeTinyModel(dir, { kind: 'bert', safetensors: false });
  // a model whose only initializer is an int8 tensor
  const tensor = new ProtoWriter().packedInts(1, [4]).int(2, 3).string(8, 'encoder.layer.0.attention.self.query.weight_quantized').bytes(9, new Uint8Array(4));
  const graph = new ProtoWriter().string(2, 'g').message(5, tensor);
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), new ProtoWriter().int(1, 8).message(7, graph).toBytes());
  assert.throws(() => loadFolderWeights(readTrainableFolder(dir)), /missing tensor .*quantized export cannot be fine-tuned/);
});

test('protobuf reader: varints and fields as the encoding spec gives them', () => {
  assert.deepEqual(readVarint(Uint8Array.from([0x96, 0x01]), 0), [150, 2]);
  assert.deepEqual(readVarint(Uint8Array.from([0xac, 0x02]), 0), [300, 2]);
  const bytes = new ProtoWriter().int(1, 150).string(2, 'testing').packedInts(4, [3, 270, 86942]).float(5, 1).toBytes();
  const fields = [...protoFields(bytes)];
  assert.deepEqual(fields.map((f) => [f.field, f.wire]), [[1, 0], [2, 2], [4, 2], [5, 5]]);
  assert.equal(fields[0].int, 150);
  assert.equal(new TextDecoder().decode(fields[1].bytes), 'testing');
  assert.deepEqual([...fields[2].bytes], [0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
  assert.throws(() => [...protoFields(Uint8Array.from([0x12, 0x05, 0x61]))], /run past the end/);
});

test('ONNX reader: float16 int32_data, unpacked dims, float_data, Constant nodes and external data', () => {
  const dir = tempDir();
  // float16 [1, 2] stored in int32_data with dims written one varint each (not packed)
  const half = new ProtoWriter().int(1, 1).int(1, 2).int(2, 10).packedInts(5, [0x3c00, 0xc000]).string(8, 'half');
  const floats = new ProtoWriter().packedInts(1, [3]).int(2, 1).packedFloats(4, [0.5, -1, 2]).string(8, 'floats');
  const ext = new Float32Array([1.5, 2.5, 3.5, 4.5]);
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.concat([Buffer.alloc(8), Buffer.from(ext.buffer)]));
  const entry = (k: string, v: string) => new ProtoWriter().string(1, k).string(2, v);
  const external = new ProtoWriter()
    .packedInts(1, [2, 2])
    .int(2, 1)
    .string(8, 'external')
    .message(13, entry('location', 'weights.bin'))
    .message(13, entry('offset', '8'))
    .message(13, entry('length', '16'))
    .int(14, 1);
  const constTensor = new ProtoWriter().packedInts(1, [1]).int(2, 1).bytes(9, new Uint8Array(new Float32Array([7]).buffer)).string(8, 'ignored');
  const constNode = new ProtoWriter().string(2, 'c_out').string(4, 'Constant').message(5, new ProtoWriter().string(1, 'value').message(5, constTensor).int(20, 4));
  const graph = new ProtoWriter().message(1, constNode).string(2, 'g').message(5, half).message(5, floats).message(5, external);
  const file = path.join(dir, 'model.onnx');
  writeFileSync(file, new ProtoWriter().int(1, 8).message(7, graph).toBytes());
  const w = readOnnxWeights(file);
  assert.deepEqual(w.tensors.get('half'), { dims: [1, 2], data: Float32Array.from([1, -2]) });
  assert.deepEqual(w.tensors.get('floats'), { dims: [3], data: Float32Array.from([0.5, -1, 2]) });
  assert.deepEqual(w.tensors.get('external'), { dims: [2, 2], data: ext });
  assert.deepEqual(w.tensors.get('c_out'), { dims: [1], data: Float32Array.from([7]) });
  assert.equal(w.nodes[0].opType, 'Constant');
  writeFileSync(file, Buffer.from('not an onnx file at all'));
  assert.throws(() => readOnnxWeights(file), (e: unknown) => e instanceof InputError && e.file === file);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupedBatches, noDuplicateBatches, shuffledBatches } from '../../../src/engine/train/batches';
import { decodeSafetensors, encodeSafetensors } from '../../../src/engine/train/tensor-file';
import { linearWarmupDecay } from '../../../src/engine/train/adamw';

test('no-duplicate batches never repeat a text and cover every usable example', () => {
  // texts: example i = (t[i % 7], u[i])  → many examples share their first text
  const keys = (i: number) => [`t${i % 7}`, `u${i}`];
  const batches = noDuplicateBatches(40, 5, 1, 0, keys);
  for (const b of batches) {
    const seen = b.flatMap(keys);
    assert.equal(new Set(seen).size, seen.length);
  }
  assert.equal(new Set(batches.flat()).size, batches.flat().length);
  assert.ok(batches.flat().length >= 38);
});

test('grouped batches give every anchor a same-label partner', () => {
  const labels = Array.from({ length: 50 }, (_, i) => i % 4);
  for (const b of groupedBatches(labels, 8, 3, 1)) {
    const counts = new Map<number, number>();
    for (const i of b) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    assert.ok([...counts.values()].every((c) => c >= 2));
  }
});

test('batch order depends on seed and epoch only', () => {
  assert.deepEqual(shuffledBatches(30, 8, 5, 2), shuffledBatches(30, 8, 5, 2));
  assert.notDeepEqual(shuffledBatches(30, 8, 5, 2), shuffledBatches(30, 8, 5, 3));
});

test('safetensors encoding round-trips and follows the layout', () => {
  const t = { b: { shape: [2], data: new Float32Array([1, 2]) }, a: { shape: [1, 3], data: new Float32Array([3, 4, 5]) } };
  const buf = encodeSafetensors(t, { kind: 'x' });
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  assert.deepEqual(header.a, { dtype: 'F32', shape: [1, 3], data_offsets: [0, 12] });
  assert.deepEqual(header.b.data_offsets, [12, 20]);
  const back = decodeSafetensors(buf);
  assert.deepEqual(Array.from(back.a.data), [3, 4, 5]);
  assert.deepEqual(back.b.shape, [2]);
});

test('the learning rate warms up linearly, then decays linearly to 0', () => {
  const lrs = Array.from({ length: 10 }, (_, s) => linearWarmupDecay(s, 10, 2, 1));
  assert.deepEqual(lrs.slice(0, 2), [0.5, 1]);
  assert.ok(Math.abs(lrs[9] - 0.125) < 1e-12);
  for (let i = 2; i < 9; i++) assert.ok(lrs[i + 1] < lrs[i]);
});

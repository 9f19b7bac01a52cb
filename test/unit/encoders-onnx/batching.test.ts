import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padBatch, planBatches } from '../../../src/engine/encoders/onnx/batching';

test('padBatch: right-padded int64 ids, mask and zero token types, with the pad id and large ids intact', () => {
  const p = padBatch([[101, 2023, 102], [101, 250001, 7, 8, 102], [0]], 1);
  assert.equal(p.batch, 3);
  assert.equal(p.sequence, 5);
  assert.deepEqual(Array.from(p.lengths), [3, 5, 1]);
  assert.deepEqual(Array.from(p.inputIds, Number), [101, 2023, 102, 1, 1, 101, 250001, 7, 8, 102, 0, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(p.attentionMask, Number), [1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(p.tokenTypeIds, Number), new Array(15).fill(0));
  // Every value is a whole int64 (the high word is zero), not only the low 32 bits.
  assert.equal(p.inputIds[6], 250001n);
  assert.equal(p.attentionMask[0], 1n);
});

test('padBatch: pad id 0, typed-array inputs, and an empty text padded to length 1', () => {
  const p = padBatch([Int32Array.from([5, 6]), new Int32Array(0)], 0);
  assert.equal(p.sequence, 2);
  assert.deepEqual(Array.from(p.inputIds, Number), [5, 6, 0, 0]);
  assert.deepEqual(Array.from(p.attentionMask, Number), [1, 1, 0, 0]);
  assert.equal(padBatch([[]], 0).sequence, 1);
});

test('padBatch: an id that is not a non-negative 31-bit integer is refused', () => {
  assert.throws(() => padBatch([[1, -1]], 0), /token id out of range: -1/);
  assert.throws(() => padBatch([[1, 2 ** 31]], 0), /out of range/);
  assert.throws(() => padBatch([[1.5]], 0), /out of range/);
  assert.throws(() => padBatch([[1]], -2), /out of range: -2/);
});

test('planBatches: longest first, stable for ties, or file order when unsorted', () => {
  assert.deepEqual(planBatches([2, 5, 5, 1, 3], 2).map((b) => b.indices), [[1, 2], [4, 0], [3]]);
  assert.deepEqual(planBatches([2, 5, 5, 1, 3], 2, false).map((b) => b.indices), [[0, 1], [2, 3], [4]]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BATCH_LIMITS, padBatch, planBatches } from '../../../src/engine/encoders/onnx/batching';

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
  const two = { maxTexts: 2, maxTokens: Infinity };
  assert.deepEqual(planBatches([2, 5, 5, 1, 3], two).map((b) => b.indices), [[1, 2], [4, 0], [3]]);
  assert.deepEqual(planBatches([2, 5, 5, 1, 3], two, false).map((b) => b.indices), [[0, 1], [2, 3], [4]]);
});

test('planBatches: a batch holds at most maxTokens once padded to its longest text; a longer text runs alone', () => {
  const limits = { maxTexts: 4, maxTokens: 12 };
  // Sorted: 13 alone (over the budget), then 6+6 (12 padded), 4+4+3 (12), 2+2+1+0 (4 texts; empty texts pad as 1).
  const lengths = [4, 6, 13, 2, 6, 3, 4, 2, 1, 0];
  const sorted = planBatches(lengths, limits).map((b) => b.indices);
  assert.deepEqual(sorted, [[2], [1, 4], [0, 6, 5], [3, 7, 8, 9]]);
  // In the given order the running longest decides: [4, 6] pads to 12; 13 alone; [2, 6] → 12; [3, 4, 2] → 12; [1, 0].
  const given = planBatches(lengths, limits, false).map((b) => b.indices);
  assert.deepEqual(given, [[0, 1], [2], [3, 4], [5, 6, 7], [8, 9]]);
  for (const plan of [sorted, given]) {
    assert.deepEqual(plan.flat().sort((a, b) => a - b), [...lengths.keys()], 'every text once');
    for (const b of plan) {
      const padded = b.length * Math.max(1, ...b.map((i) => lengths[i]));
      assert.ok(b.length === 1 || padded <= limits.maxTokens, `batch ${b} pads to ${padded}`);
    }
  }
});

test('planBatches: the default limits are 32 texts and 1,024 padded tokens', () => {
  assert.deepEqual(DEFAULT_BATCH_LIMITS, { maxTexts: 32, maxTokens: 1024 });
  const short = planBatches(new Array<number>(70).fill(10), DEFAULT_BATCH_LIMITS).map((b) => b.indices.length);
  assert.deepEqual(short, [32, 32, 6]);
  const long = planBatches(new Array<number>(10).fill(256), DEFAULT_BATCH_LIMITS).map((b) => b.indices.length);
  assert.deepEqual(long, [4, 4, 2]);
});

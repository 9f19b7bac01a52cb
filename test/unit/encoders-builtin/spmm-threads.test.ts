// The SVD's sparse products on several threads (one shared WebAssembly memory, output rows split
// between the main thread and workers) give the same bits as on one thread, and so does the SVD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSparseProducts, createThreadedSparseProducts } from '../../../src/engine/encoders/builtin/simd-spmm';
import { flipSigns, randomizedSvd } from '../../../src/engine/encoders/builtin/svd';
import { createRng } from '../../../src/engine/util/random';
import { randomSparse } from './random-sparse';

for (const threads of [2, 3]) {
  test(`X·D and Xᵀ·D on ${threads} threads = on one thread, bit for bit`, async () => {
    const x = randomSparse(611, 977, 40, threads);
    const width = 24;
    const one = createSparseProducts(x, width);
    const many = createThreadedSparseProducts(x, width, threads);
    try {
      assert.equal(many.threads, threads);
      const rng = createRng(5);
      for (let i = 0; i < one.left.length; i++) one.left[i] = rng() * 2 - 1;
      many.left.set(one.left);
      one.transposeTimesLeft();
      await many.transposeTimesLeft();
      assert.deepEqual(many.right, one.right);
      one.timesRight();
      await many.timesRight();
      assert.deepEqual(many.left, one.left);
      const out = await many.timesRight(new Float32Array(x.rows * width));
      assert.deepEqual(out, one.timesRight(new Float32Array(x.rows * width)));
    } finally {
      await many.close();
    }
  });
}

test('the randomized SVD gives the same components on 1 and 2 threads', async () => {
  const x = randomSparse(900, 1500, 60, 11);
  const options = { rank: 16, seed: 3, powerIterations: 4 };
  const a = await randomizedSvd(x, { ...options, threads: 1 });
  const b = await randomizedSvd(x, { ...options, threads: 2 });
  assert.deepEqual(b.singularValues, a.singularValues);
  assert.deepEqual(b.components, a.components);
});

test('flipSigns in one row-wise pass = flipping each column by its largest-magnitude entry', () => {
  const cols = 53;
  const rank = 7;
  const rng = createRng(9);
  const a = new Float32Array(cols * rank);
  for (let i = 0; i < a.length; i++) a[i] = rng() * 2 - 1;
  a[5 * rank + 2] = -3; // column 2's largest entry is negative
  a[8 * rank + 4] = 3; // column 4's is positive
  const expected = Float32Array.from(a);
  for (let k = 0; k < rank; k++) {
    let big = 0;
    for (let c = 0; c < cols; c++) if (Math.abs(expected[c * rank + k]) > Math.abs(big)) big = expected[c * rank + k];
    if (big < 0) for (let c = 0; c < cols; c++) expected[c * rank + k] = -expected[c * rank + k];
  }
  flipSigns(a, cols, rank);
  assert.deepEqual(a, expected);
  assert.equal(a[5 * rank + 2], 3);
  assert.equal(a[8 * rank + 4], 3);
});

test('a cancelled SVD on 2 threads rejects with CancelledError (its worker is ended)', async () => {
  const x = randomSparse(900, 1500, 60, 12);
  const controller = new AbortController();
  await assert.rejects(
    randomizedSvd(x, { rank: 16, seed: 3, powerIterations: 4, threads: 2, signal: controller.signal, onProgress: () => controller.abort() }),
    (e: Error) => e.name === 'CancelledError',
  );
});

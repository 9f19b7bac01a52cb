// The topic view has a column for every term of the vocabulary but holds only some of them: the
// SVD runs on the used columns and gives the components of the whole matrix, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomizedSvd } from '../../../src/engine/encoders/builtin/svd';
import { dropEmptyColumns, svdOfUsedColumns } from '../../../src/engine/encoders/builtin/used-columns-svd';
import type { SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { createRng } from '../../../src/engine/util/random';

/** The values with -0 as 0: the whole matrix' empty columns come out as -0 where a sign was flipped. */
const plain = (a: Float32Array): number[] => Array.from(a, (v) => v + 0);

/** rows × cols with entries only in the columns `c % 3 !== 1` (a third of the columns empty). */
function sparseWithEmptyColumns(rows: number, cols: number, perRow: number, seed: number): SparseRows {
  const rng = createRng(seed);
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < rows; i++) {
    const cs = new Set<number>();
    while (cs.size < perRow) {
      const c = Math.floor(rng() * cols);
      if (c % 3 !== 1) cs.add(c);
    }
    for (const c of [...cs].sort((a, b) => a - b)) {
      indices.push(c);
      values.push(rng() * 2 - 1);
    }
    indptr[i + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

test('dropEmptyColumns keeps the used columns in order and maps each entry to its new column', () => {
  const x: SparseRows = {
    rows: 2,
    cols: 6,
    indptr: Int32Array.from([0, 2, 4]),
    indices: Int32Array.from([1, 4, 1, 5]),
    values: Float32Array.from([0.5, -1, 2, 3]),
  };
  const used = dropEmptyColumns(x);
  assert.deepEqual([...used.columns], [1, 4, 5]);
  assert.equal(used.x.cols, 3);
  assert.deepEqual([...used.x.indices], [0, 1, 0, 2]);
  assert.deepEqual([...used.x.values], [0.5, -1, 2, 3]);
  assert.deepEqual([...used.x.indptr], [0, 2, 4]);
});

test('the SVD on the used columns gives the whole matrix\' components and singular values, bit for bit', async () => {
  const x = sparseWithEmptyColumns(300, 900, 25, 4);
  const options = { rank: 16, seed: 3, powerIterations: 4 };
  const whole = await randomizedSvd(x, options);
  const used = await svdOfUsedColumns(x, options);
  assert.equal(dropEmptyColumns(x).x.cols, 600, 'a third of the columns are empty');
  assert.equal(used.rank, whole.rank);
  assert.deepEqual(used.singularValues, whole.singularValues);
  assert.deepEqual(plain(used.components), plain(whole.components));
});

test('with fewer used columns than the sketch is wide, the rank stays that of the whole matrix', async () => {
  // 10 used columns of 40, rank 8 + oversampling 20: on the used columns alone the sketch would be 10 wide.
  const x = sparseWithEmptyColumns(50, 15, 4, 9);
  const wide: SparseRows = { ...x, cols: 40 };
  const options = { rank: 12, seed: 1, powerIterations: 2 };
  const whole = await randomizedSvd(wide, options);
  const used = await svdOfUsedColumns(wide, options);
  assert.equal(used.rank, 12);
  assert.deepEqual(used.singularValues, whole.singularValues);
  assert.deepEqual(plain(used.components), plain(whole.components));
});

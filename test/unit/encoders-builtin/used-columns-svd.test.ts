// The topic view has a column for every term of the vocabulary but holds only some of them: the
// SVD runs on the used columns and gives the components of the whole matrix, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomizedSvd } from '../../../src/engine/encoders/builtin/svd';
import { svdOfUsedColumns } from '../../../src/engine/encoders/builtin/used-columns-svd';
import { dropEmptyColumns, type SparseRows } from '../../../src/engine/encoders/builtin/sparse';
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

/** The bytes of a float array: tells -0 from 0. */
const bytes = (a: Float32Array): number[] => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

/** x with an explicit 0 in its last row for each empty column: no column is empty, the products are the same. */
function withStoredZeros(x: SparseRows): SparseRows {
  const last = x.rows - 1;
  const entries = new Map<number, number>();
  for (let p = x.indptr[last]; p < x.indptr[last + 1]; p++) entries.set(x.indices[p], x.values[p]);
  const used = new Set(x.indices);
  for (let c = 0; c < x.cols; c++) if (!used.has(c)) entries.set(c, 0);
  const row = [...entries].sort((a, b) => a[0] - b[0]);
  const start = x.indptr[last];
  const indptr = Int32Array.from(x.indptr);
  indptr[x.rows] = start + row.length;
  const indices = new Int32Array(start + row.length);
  const values = new Float32Array(start + row.length);
  indices.set(x.indices.subarray(0, start));
  values.set(x.values.subarray(0, start));
  row.forEach(([c, v], j) => {
    indices[start + j] = c;
    values[start + j] = v;
  });
  return { rows: x.rows, cols: x.cols, indptr, indices, values };
}

test('the empty columns\' rows: as the whole matrix gives them from randomizedSvd (-0 in a flipped component), +0 from svdOfUsedColumns', async () => {
  const x = sparseWithEmptyColumns(300, 900, 25, 4);
  const options = { rank: 16, seed: 3, powerIterations: 4 };
  // The whole matrix, every column taking part in the products (its empty columns as stored zeros).
  const reference = await randomizedSvd(withStoredZeros(x), options);
  const whole = await randomizedSvd(x, options);
  assert.deepEqual(bytes(whole.components), bytes(reference.components));
  assert.ok(Array.from(whole.components).some((v) => Object.is(v, -0)), 'some component was flipped');
  // svdOfUsedColumns: the SVD of x without its empty columns, spread back with +0 rows.
  const used = await svdOfUsedColumns(x, options);
  const dropped = dropEmptyColumns(x);
  const onUsed = await randomizedSvd(dropped.x, options);
  const spread = new Float32Array(x.cols * 16);
  dropped.columns.forEach((c, j) => spread.set(onUsed.components.subarray(j * 16, (j + 1) * 16), c * 16));
  assert.deepEqual(bytes(used.components), bytes(spread));
});

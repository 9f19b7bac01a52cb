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

/** out (cols × l) = Xᵀ · D, where D is rows × l, dense row-major. */
export function sparseTransposeTimesDense(
  x: SparseRows,
  d: Float32Array,
  l: number,
  out: Float32Array = new Float32Array(x.cols * l),
): Float32Array {
  out.fill(0);
  const { indptr, indices, values } = x;
  for (let i = 0; i < x.rows; i++) {
    const oi = i * l;
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const v = values[p];
      const oc = indices[p] * l;
      for (let j = 0; j < l; j++) out[oc + j] += v * d[oi + j];
    }
  }
  return out;
}

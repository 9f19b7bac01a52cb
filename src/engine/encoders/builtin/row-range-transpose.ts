/**
 * The transposes of ranges of X's rows, for the SVD's products on several threads (simd-spmm.ts),
 * in two passes over X's non-zeros: one counting each range's entries per column, one writing each
 * entry into its range's transpose. One range: Xᵀ itself. The arrays come from an allocator, so
 * that they can be views of a WebAssembly memory (nothing is copied into it afterwards).
 */
import type { SparseRows } from './sparse';

export interface CsrArrays {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** The arrays of a CSR matrix of `rows` rows and `nnz` entries (indptr of rows + 1). */
export type CsrAllocator = (rows: number, nnz: number) => CsrArrays;

export interface RowRangeTransposes {
  /** The columns of X that hold an entry, ascending (the transposes' rows); null: every column (usedColumnsOnly false). */
  columns: Int32Array | null;
  /**
   * Per range of X's rows, the entries of Xᵀ in that range: a row per column of X (per used column
   * with usedColumnsOnly), each row's entries in ascending row of X. Row c of Xᵀ is row c of every
   * part, one after the other.
   */
  parts: SparseRows[];
}

const newArrays: CsrAllocator = (rows, nnz) => ({ indptr: new Int32Array(rows + 1), indices: new Int32Array(nnz), values: new Float32Array(nnz) });

/**
 * The transposes of X's row ranges (contiguous, ascending, covering X's rows): the same matrices as
 * transposing X and keeping, for each range, the entries whose row is in it. With `usedColumnsOnly`
 * the empty columns of X get no row (the transposes of X without its empty columns).
 */
export function transposeRowRanges(x: SparseRows, ranges: readonly { from: number; to: number }[], usedColumnsOnly: boolean, allocate: CsrAllocator = newArrays): RowRangeTransposes {
  const { cols: m, indptr, indices } = x;
  const parts = ranges.length;
  // counts[t·m + c]: the entries of column c in range t; then where range t's next entry of c goes in its part.
  const counts = new Int32Array(parts * m);
  ranges.forEach((r, t) => countColumns(indices, indptr[r.from], indptr[r.to], counts, t * m));
  // The row of the transposes of each column (-1: dropped).
  const rowOf = new Int32Array(m);
  let rows = 0;
  for (let c = 0; c < m; c++) {
    let used = false;
    for (let t = 0; t < parts && !used; t++) used = counts[t * m + c] > 0;
    rowOf[c] = used || !usedColumnsOnly ? rows++ : -1;
  }
  const arrays = ranges.map((r, t) => {
    const part = allocate(rows, indptr[r.to] - indptr[r.from]);
    part.indptr[0] = 0;
    for (let c = 0, at = 0, o = t * m; c < m; c++) {
      const count = counts[o + c];
      counts[o + c] = at;
      at += count;
      if (rowOf[c] >= 0) part.indptr[rowOf[c] + 1] = at;
    }
    return part;
  });
  ranges.forEach((r, t) => scatterRows(x, r.from, r.to, counts, t * m, arrays[t]));
  let columns: Int32Array | null = null;
  if (usedColumnsOnly && rows < m) {
    columns = new Int32Array(rows);
    for (let c = 0; c < m; c++) if (rowOf[c] >= 0) columns[rowOf[c]] = c;
  }
  return { columns, parts: arrays.map((a) => ({ rows, cols: x.rows, indptr: a.indptr, indices: a.indices, values: a.values })) };
}

function countColumns(indices: Int32Array, from: number, to: number, counts: Int32Array, offset: number): void {
  for (let p = from; p < to; p++) counts[offset + indices[p]]++;
}

/** Writes the entries of X's rows [from, to) into `target`, the entry of column c at next[offset + c] (then moved on). */
function scatterRows(x: SparseRows, from: number, to: number, next: Int32Array, offset: number, target: CsrArrays): void {
  const { indptr, indices, values } = x;
  const ti = target.indices;
  const tv = target.values;
  for (let i = from; i < to; i++)
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const q = next[offset + indices[p]]++;
      ti[q] = i;
      tv[q] = values[p];
    }
}

/**
 * Xᵀ and the transposes of ranges of X's rows, for the SVD's products (simd-spmm.ts), in two passes
 * over X's non-zeros, one counting each range's entries per column, one writing each entry into its
 * range's transpose; then Xᵀ, each of its rows the same row of every part one after the other (read
 * and written in order: 2 random writes an entry, as for Xᵀ alone, instead of 4). The arrays come
 * from an allocator, so that they can be views of a WebAssembly memory (nothing is copied into it afterwards).
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
  /** The columns of X that hold an entry, ascending (the rows of the transposes); null: every column (usedColumnsOnly false). */
  columns: Int32Array | null;
  /** Xᵀ: a row per column of X (per used column with usedColumnsOnly), each row's entries in ascending row of X. */
  xt: SparseRows;
  /** Per range of X's rows, the entries of Xᵀ in that range, rows as xt's; `[xt]` for a single range. */
  parts: SparseRows[];
}

const newArrays: CsrAllocator = (rows, nnz) => ({ indptr: new Int32Array(rows + 1), indices: new Int32Array(nnz), values: new Float32Array(nnz) });

/**
 * The transposes of X and of its row ranges (contiguous, ascending, covering X's rows). The same
 * matrices as transposing X and keeping, for each range, the entries whose row is in it; with
 * `usedColumnsOnly` the empty columns of X get no row (the transposes of X without its empty columns).
 */
export function transposeRowRanges(x: SparseRows, ranges: readonly { from: number; to: number }[], usedColumnsOnly: boolean, allocate: CsrAllocator = newArrays): RowRangeTransposes {
  const { cols: m, indptr, indices } = x;
  const nnz = indptr[x.rows];
  const split = ranges.length > 1;
  const parts = split ? ranges.length : 1;
  // counts[t·m + c]: the entries of column c in range t; then where range t's next entry of c goes in its part.
  const counts = new Int32Array(parts * m);
  if (split) ranges.forEach((r, t) => countColumns(indices, indptr[r.from], indptr[r.to], counts, t * m));
  else countColumns(indices, 0, nnz, counts, 0);
  // next[c]: where column c's next entry goes in Xᵀ; the row of Xᵀ of each column (-1: dropped).
  const next = new Int32Array(m);
  const rowOf = new Int32Array(m);
  let rows = 0;
  for (let c = 0; c < m; c++) {
    let total = 0;
    for (let t = 0; t < parts; t++) total += counts[t * m + c];
    next[c] = total;
    rowOf[c] = total > 0 || !usedColumnsOnly ? rows++ : -1;
  }
  const xt = allocate(rows, nnz);
  xt.indptr[0] = 0;
  for (let c = 0, at = 0; c < m; c++) {
    const total = next[c];
    next[c] = at;
    at += total;
    if (rowOf[c] >= 0) xt.indptr[rowOf[c] + 1] = at;
  }
  // Each part's counts become where its next entry of each column goes.
  const partArrays = split
    ? ranges.map((r, t) => {
        const part = allocate(rows, indptr[r.to] - indptr[r.from]);
        part.indptr[0] = 0;
        for (let c = 0, at = 0, o = t * m; c < m; c++) {
          const count = counts[o + c];
          counts[o + c] = at;
          at += count;
          if (rowOf[c] >= 0) part.indptr[rowOf[c] + 1] = at;
        }
        return part;
      })
    : [];
  if (split) {
    ranges.forEach((r, t) => scatterRows(x, r.from, r.to, counts, t * m, partArrays[t]));
    concatenateRows(partArrays, rows, xt);
  } else scatterRows(x, 0, x.rows, next, 0, xt);
  let columns: Int32Array | null = null;
  if (usedColumnsOnly && rows < m) {
    columns = new Int32Array(rows);
    for (let c = 0; c < m; c++) if (rowOf[c] >= 0) columns[rowOf[c]] = c;
  }
  const asRows = (a: CsrArrays): SparseRows => ({ rows, cols: x.rows, indptr: a.indptr, indices: a.indices, values: a.values });
  const whole = asRows(xt);
  return { columns, xt: whole, parts: split ? partArrays.map(asRows) : [whole] };
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

/** Each row of `whole` (its indptr set): row r of every part, in the parts' order. */
function concatenateRows(parts: readonly CsrArrays[], rows: number, whole: CsrArrays): void {
  const wi = whole.indices;
  const wv = whole.values;
  let q = 0;
  for (let r = 0; r < rows; r++)
    for (const part of parts) {
      const { indices, values } = part;
      for (let s = part.indptr[r], end = part.indptr[r + 1]; s < end; s++) {
        wi[q] = indices[s];
        wv[q++] = values[s];
      }
    }
}

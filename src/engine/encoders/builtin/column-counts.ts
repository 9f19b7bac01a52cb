/**
 * The texts of a corpus as rows of distinct columns with their counts (columns ascending in each
 * row), from the shares' term counts and the column each term became: the input of the entropy
 * weights and of both TF-IDF views.
 */
import type { TermLists } from './term-counter';

/** CSR rows of counts: row i is columns/counts[rowStart[i], rowStart[i + 1]). */
export interface ColumnCounts {
  rows: number;
  rowStart: Int32Array;
  columns: Int32Array;
  counts: Int32Array;
}

/** The column of each word and character term of a share (-1: not a column). */
export interface TermColumnMaps {
  wordColumn: Int32Array;
  charColumn: Int32Array;
}

/** One share's term lists and its column maps. */
export interface ShareColumns extends TermColumnMaps {
  counts: TermLists;
}

/** The rows of every share's texts, in share order; `cols` is the number of columns. */
export function columnCounts(shares: readonly ShareColumns[], cols: number): ColumnCounts {
  let rows = 0;
  let capacity = 0;
  for (const s of shares) {
    rows += s.counts.textStart.length - 1;
    capacity += s.counts.terms.length;
  }
  const rowStart = new Int32Array(rows + 1);
  const columns = new Int32Array(capacity);
  const counts = new Int32Array(capacity);
  // The count of each column of the row being written.
  const countOf = new Int32Array(cols);
  let row = 0;
  let o = 0;
  for (const { counts: share, wordColumn, charColumn } of shares) {
    const { textStart, terms } = share;
    for (let i = 0; i + 1 < textStart.length; i++) {
      const begin = o;
      for (let p = textStart[i]; p < textStart[i + 1]; p++) {
        const code = terms[p];
        const c = code & 1 ? charColumn[code >> 1] : wordColumn[code >> 1];
        if (c < 0) continue;
        columns[o++] = c;
        countOf[c] = share.counts[p];
      }
      columns.subarray(begin, o).sort();
      for (let q = begin; q < o; q++) counts[q] = countOf[columns[q]];
      rowStart[++row] = o;
    }
  }
  return { rows, rowStart, columns: columns.subarray(0, o), counts: counts.subarray(0, o) };
}

/** The rows of several parts, one after the other. */
export function concatColumnCounts(parts: readonly ColumnCounts[]): ColumnCounts {
  if (parts.length === 1) return parts[0];
  let rows = 0;
  let entries = 0;
  for (const p of parts) {
    rows += p.rows;
    entries += p.columns.length;
  }
  const rowStart = new Int32Array(rows + 1);
  const columns = new Int32Array(entries);
  const counts = new Int32Array(entries);
  let row = 0;
  let at = 0;
  for (const p of parts) {
    for (let i = 1; i <= p.rows; i++) rowStart[row + i] = at + p.rowStart[i];
    columns.set(p.columns, at);
    counts.set(p.counts, at);
    row += p.rows;
    at += p.columns.length;
  }
  return { rows, rowStart, columns, counts };
}

/**
 * The rows of the TF-IDF stage's two views from texts counted as distinct columns with counts
 * (column-counts.ts): in the main thread, or in a term-counting worker for its share of the texts.
 */
import type { ColumnCounts } from './column-counts';
import type { SparseRows } from './sparse';

/** What the rows of both views are weighted by (a TfidfModel's fields, or a copy sent to a worker). */
export interface ViewWeights {
  /** The number of columns; [0, wordCount) are words. */
  cols: number;
  wordCount: number;
  charWeight: number;
  topicWeight: Float32Array;
  lexicalWeight: Float32Array;
}

/** The rows of the two views (topic, lexical) of counted texts. */
export interface ViewRows {
  topic: SparseRows;
  lexical: SparseRows;
}

export function buildViews(counted: ColumnCounts, weights: ViewWeights): ViewRows {
  const tf = sublinearTf(counted.counts);
  return { topic: buildRows(counted, tf, weights, weights.topicWeight), lexical: buildRows(counted, tf, weights, weights.lexicalWeight) };
}

/** 1 + log(count) of each count (the sublinear term frequency), computed once per distinct small count. */
function sublinearTf(counts: Int32Array): Float64Array {
  const table = Float64Array.from({ length: 64 }, (_, k) => 1 + Math.log(k));
  const out = new Float64Array(counts.length);
  for (let p = 0; p < counts.length; p++) {
    const k = counts[p];
    out[p] = k < table.length ? table[k] : 1 + Math.log(k);
  }
  return out;
}

/**
 * Rows of one view: sublinear tf (1 + log count) × the column's weight (columns of weight 0
 * left out), the word and character blocks each L2-normalised, the character block scaled
 * by `charWeight`, then the row L2-normalised.
 */
function buildRows(counted: ColumnCounts, tf: Float64Array, weights: ViewWeights, weight: Float32Array): SparseRows {
  const cols = weights.cols;
  const { rows, rowStart, columns } = counted;
  const indptr = new Int32Array(rows + 1);
  // Rows are written straight into arrays sized for every column of every document (the view
  // keeps a subset), with one float64 scratch row: no per-row arrays for the collector.
  let longest = 0;
  for (let i = 0; i < rows; i++) longest = Math.max(longest, rowStart[i + 1] - rowStart[i]);
  const indices = new Int32Array(columns.length);
  const values = new Float32Array(columns.length);
  const val = new Float64Array(longest);
  let nnz = 0;
  const cw = weights.charWeight;
  const wordCount = weights.wordCount;
  for (let i = 0; i < rows; i++) {
    const start = nnz;
    let m = 0;
    let sw = 0;
    let sc = 0;
    for (let t = rowStart[i]; t < rowStart[i + 1]; t++) {
      const c = columns[t];
      const w = weight[c];
      if (w === 0) continue;
      const v = tf[t] * w;
      indices[start + m] = c;
      val[m++] = v;
      if (c < wordCount) sw += v * v;
      else sc += v * v;
    }
    const fw = sw > 0 ? 1 / Math.sqrt(sw) : 0;
    const fc = sc > 0 ? cw / Math.sqrt(sc) : 0;
    let total = 0;
    for (let t = 0; t < m; t++) {
      val[t] *= indices[start + t] < wordCount ? fw : fc;
      total += val[t] * val[t];
    }
    const f = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let t = 0; t < m; t++) values[start + t] = val[t] * f;
    nnz += m;
    indptr[i + 1] = nnz;
  }
  return { rows, cols, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

/** The rows of several parts, one after the other (same columns). */
export function concatRows(parts: readonly SparseRows[]): SparseRows {
  if (parts.length === 1) return parts[0];
  let rows = 0;
  let nnz = 0;
  for (const p of parts) {
    rows += p.rows;
    nnz += p.indptr[p.rows];
  }
  const indptr = new Int32Array(rows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let row = 0;
  let at = 0;
  for (const p of parts) {
    const size = p.indptr[p.rows];
    for (let i = 1; i <= p.rows; i++) indptr[row + i] = at + p.indptr[i];
    indices.set(p.indices.subarray(0, size), at);
    values.set(p.values.subarray(0, size), at);
    row += p.rows;
    at += size;
  }
  return { rows, cols: parts[0].cols, indptr, indices, values };
}

/** Both views of several parts, one after the other. */
export function concatViews(parts: readonly ViewRows[]): ViewRows {
  return { topic: concatRows(parts.map((p) => p.topic)), lexical: concatRows(parts.map((p) => p.lexical)) };
}

/** The weights of a fitted model's views. */
export function viewWeights(model: { terms: readonly string[]; wordCount: number; options: { charWeight: number }; topicWeight: Float32Array; lexicalWeight: Float32Array }): ViewWeights {
  return { cols: model.terms.length, wordCount: model.wordCount, charWeight: model.options.charWeight, topicWeight: model.topicWeight, lexicalWeight: model.lexicalWeight };
}

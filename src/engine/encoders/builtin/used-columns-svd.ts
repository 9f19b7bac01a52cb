import { DEFAULT_OVERSAMPLE, randomizedSvd, type SvdOptions, type TruncatedSvd } from './svd';
import type { SparseRows } from './sparse';

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

/**
 * `randomizedSvd(x)` computed on x's non-empty columns only: the same result, bit for bit (an
 * empty column adds nothing to any product and gets a zero component row), for less work. The
 * topic view has every term of the vocabulary as a column but holds only some of them (AG News:
 * 97k of 120k columns); each power iteration writes a dense row per column and the components are
 * a dense product per column. When fewer columns are used than the SVD's sketch is wide, the
 * sketch width (and the rank) would shrink: the SVD then runs on x as it is.
 */
export async function svdOfUsedColumns(x: SparseRows, options: SvdOptions): Promise<TruncatedSvd> {
  const used = dropEmptyColumns(x);
  const width = Math.min(Math.ceil((options.rank + (options.oversample ?? DEFAULT_OVERSAMPLE)) / 4) * 4, x.rows);
  if (used.x.cols === x.cols || used.x.cols < width) return randomizedSvd(x, options);
  const svd = await randomizedSvd(used.x, options);
  const { rank } = svd;
  const components = new Float32Array(x.cols * rank);
  used.columns.forEach((c, j) => components.set(svd.components.subarray(j * rank, (j + 1) * rank), c * rank));
  return { components, singularValues: svd.singularValues, rank };
}

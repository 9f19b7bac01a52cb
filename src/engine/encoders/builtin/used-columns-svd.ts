import { DEFAULT_OVERSAMPLE, randomizedSvd, type SvdOptions, type TruncatedSvd } from './svd';
import type { SparseRows } from './sparse';

/**
 * The encoder's SVD of its topic view: `randomizedSvd(x)`, which runs on x's used columns (AG News:
 * 97k of 120k), with the empty columns' rows of the components as +0 when at least as many columns
 * are used as the SVD's sketch is wide, as the SVD of x without its empty columns gives them (the
 * encoder's components, and so its id, stay those of the fits that ran on x without them); below,
 * as the whole matrix gives them (the fits that ran on x as it is).
 */
export async function svdOfUsedColumns(x: SparseRows, options: SvdOptions): Promise<TruncatedSvd> {
  const width = Math.min(Math.ceil((options.rank + (options.oversample ?? DEFAULT_OVERSAMPLE)) / 4) * 4, x.rows);
  return randomizedSvd(x, options, (used) => (used < width ? 'flipped' : 'zero'));
}

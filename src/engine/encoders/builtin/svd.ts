import type { JobOptions } from '../../util/job';
import { checkpoint } from '../../util/job';
import { createRng, fillGaussian } from '../../util/random';
import { gram, orthonormalize, symmetricEigen } from './dense';
import { simdDenseProduct } from './gemm-kernel';
import type { SparseRows } from './sparse';
import { createFixedRightProduct, createThreadedSparseProducts, defaultProductThreads, denseAsSparse } from './simd-spmm';

/**
 * Extra random directions beyond the rank. scikit-learn's `randomized_svd` uses 10; TF-IDF
 * spectra have no gap, and with 20 the leading singular values of a flat test spectrum come out
 * 10× closer to scipy's, for 13% more work per power iteration at rank 65.
 */
export const DEFAULT_OVERSAMPLE = 20;

/** The top singular directions of a sparse matrix. */
export interface TruncatedSvd {
  /** Right singular vectors as a cols × rank row-major matrix (the projection of a TF-IDF row). */
  components: Float32Array;
  singularValues: Float32Array;
  rank: number;
}

export interface SvdOptions extends JobOptions {
  rank: number;
  seed: number;
  /**
   * Power iterations (sharpen the spectrum). TF-IDF spectra decay slowly, so the trailing
   * components only settle with several: scikit-learn's `randomized_svd` uses 7 when the rank is
   * small against the matrix (n_iter='auto'); with 3 the subspace, and k-means on it, moved with the seed.
   * The range finder's own product (X Xᵀ Ω, the start being on the documents' side) comes on top.
   */
  powerIterations: number;
  oversample?: number;
  /** Threads of the sparse products (default: defaultProductThreads). The result does not depend on it. */
  threads?: number;
}

/**
 * The components' rows of X's empty columns: as the SVD of the whole matrix gives them ('flipped':
 * 0 times the component's sign, -0 where it was flipped) or as the SVD of X without them, spread
 * back to X's columns ('zero': +0). Told the number of used columns.
 */
export type EmptyColumnRows = (usedColumns: number) => 'flipped' | 'zero';

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011) with power iterations and
 * Cholesky-QR re-orthonormalisation. Deterministic given the seed; with enough power
 * iterations the components hardly depend on it, and their signs never do (see flipSigns).
 * The products run on X's used columns only (an empty column adds nothing to any product and gets
 * a zero row): the same result as on the whole matrix, bit for bit, for less work.
 */
export async function randomizedSvd(x: SparseRows, options: SvdOptions, emptyColumnRows: EmptyColumnRows = () => 'flipped'): Promise<TruncatedSvd> {
  const n = x.rows;
  const m = x.cols;
  const rank = Math.max(1, Math.min(options.rank, n, m));
  // The SIMD products work on rows of 4 floats: the sketch width is rounded up to a multiple of 4
  // (at most 3 more random directions than asked, which only sharpens the estimate), never past the
  // matrix' smaller side (a tiny corpus then takes the scalar kernels).
  const l = Math.min(Math.ceil((rank + (options.oversample ?? DEFAULT_OVERSAMPLE)) / 4) * 4, n, m);
  const rng = createRng(options.seed);
  const total = 4 + 2 * options.powerIterations;
  let step = 0;
  const report = async (): Promise<void> => {
    options.onProgress?.({ stage: 'svd', done: ++step, total });
    await checkpoint(options.signal);
  };
  const products = createThreadedSparseProducts(x, l, options.threads ?? defaultProductThreads(x), { usedColumnsOnly: true });
  const q = products.left; // n × l
  const z = products.right; // used columns × l
  const columns = products.columns;
  const used = columns ? columns.length : m;
  let w: Float32Array;
  try {
    // The random start is n × l on the documents' side, so the first range is X (Xᵀ Ω): a start
    // already in X's row space, for n·l Gaussian draws instead of m·l (AG News: 0.7M instead of 10M).
    fillGaussian(q, rng);
    for (let it = 0; it <= options.powerIterations; it++) {
      await products.transposeTimesLeft();
      await report();
      await products.timesRight();
      orthonormalize(q, n, l);
      await report();
    }
    await products.transposeTimesLeft(); // Z = Xᵀ Q = Bᵀ
    w = await products.timesRight(new Float32Array(n * l)); // X Xᵀ Q
  } finally {
    await products.close();
  }
  const g = gram(q, w, n, l); // B Bᵀ
  for (let a = 0; a < l; a++)
    for (let b = a + 1; b < l; b++) {
      const s = (g[a * l + b] + g[b * l + a]) / 2;
      g[a * l + b] = s;
      g[b * l + a] = s;
    }
  const { values, vectors } = symmetricEigen(g, l);
  await report();
  const singularValues = new Float32Array(rank);
  const coef = new Float64Array(l * rank);
  for (let k = 0; k < rank; k++) {
    const sigma = Math.sqrt(Math.max(values[k], 0));
    singularValues[k] = sigma;
    const inv = sigma > 0 ? 1 / sigma : 0;
    for (let a = 0; a < l; a++) coef[a * rank + k] = vectors[a * l + k] * inv;
  }
  // V = Bᵀ U Σ⁻¹ = Z · coef, used columns × rank, through the SIMD dense product (else Z as a dense "sparse" matrix).
  const width = Math.ceil(rank / 4) * 4;
  const coef32 = new Float32Array(l * width);
  for (let a = 0; a < l; a++) for (let k = 0; k < rank; k++) coef32[a * width + k] = coef[a * rank + k];
  const padded = simdDenseProduct(z, used, l, coef32, width) ?? createFixedRightProduct(coef32, l, width).multiply(denseAsSparse(z, used, l));
  await checkpoint(options.signal);
  const components = signedComponents(padded, width, rank, columns, m, columns ? emptyColumnRows(used) : 'zero');
  await report();
  return { components, singularValues, rank };
}

/**
 * The components (cols × rank) from V (a row per used column, `width` floats a row): flipSigns
 * fused into the one copy to X's columns (the same comparisons in the same order, the same products).
 */
function signedComponents(padded: Float32Array, width: number, rank: number, columns: Int32Array | null, cols: number, emptyRows: 'flipped' | 'zero'): Float32Array {
  const rows = columns ? columns.length : cols;
  const { sign, any } = componentSigns(padded, rows, width, rank);
  const components = new Float32Array(cols * rank);
  for (let r = 0; r < rows; r++) {
    const o = (columns ? columns[r] : r) * rank;
    const from = r * width;
    if (any) for (let k = 0; k < rank; k++) components[o + k] = padded[from + k] * sign[k];
    else components.set(padded.subarray(from, from + rank), o);
  }
  if (columns && any && emptyRows === 'flipped')
    for (let c = 0, r = 0; c < cols; c++) {
      if (r < rows && columns[r] === c) {
        r++;
        continue;
      }
      for (let k = 0; k < rank; k++) components[c * rank + k] = 0 * sign[k];
    }
  return components;
}

/**
 * Makes each component's largest-magnitude loading positive (scikit-learn's `svd_flip` on the
 * right singular vectors), so that the sign of a component does not depend on the random start.
 */
export function flipSigns(components: Float32Array, cols: number, rank: number): void {
  const { sign, any } = componentSigns(components, cols, rank, rank);
  if (!any) return;
  for (let c = 0; c < cols; c++) for (let k = 0, o = c * rank; k < rank; k++) components[o + k] *= sign[k];
}

/**
 * Each component's sign flip (-1 where its largest-magnitude loading is negative) over `rows` rows
 * of `stride` floats, the first `rank` of each a row of the components; `any`: some flip is -1.
 * One pass down the rows for every component at once; per component the same comparisons in the
 * same order as a pass down its column.
 */
function componentSigns(values: Float32Array, rows: number, stride: number, rank: number): { sign: Float32Array; any: boolean } {
  const big = new Float32Array(rank);
  for (let r = 0; r < rows; r++)
    for (let k = 0, o = r * stride; k < rank; k++) {
      const v = values[o + k];
      if (Math.abs(v) > Math.abs(big[k])) big[k] = v;
    }
  const sign = new Float32Array(rank);
  let any = false;
  for (let k = 0; k < rank; k++) {
    sign[k] = big[k] < 0 ? -1 : 1;
    any ||= big[k] < 0;
  }
  return { sign, any };
}

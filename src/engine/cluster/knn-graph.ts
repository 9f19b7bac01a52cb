import type { Matrix } from '../util/matrix';
import { exactKnn, type KnnOptions, type KnnResult } from './knn';
import { ivfKnn } from './ivf';

/** Above this many rows, the cosine kNN graph is approximate (IVF) instead of exact. */
export const APPROXIMATE_KNN_THRESHOLD = 50_000;

export interface KnnGraphOptions extends KnnOptions {
  seed?: number;
  /** Force exact or approximate; default: approximate above the threshold. */
  approximate?: boolean;
}

/** The kNN graph the clustering pipeline uses: exact up to 50k rows, IVF beyond. */
export async function knnGraph(x: Matrix, k: number, options: KnnGraphOptions = {}): Promise<KnnResult> {
  const approximate = options.approximate ?? x.rows > APPROXIMATE_KNN_THRESHOLD;
  if (approximate && (options.metric ?? 'cosine') === 'cosine') return ivfKnn(x, k, options);
  return exactKnn(x, k, options);
}

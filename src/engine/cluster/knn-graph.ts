import type { Matrix } from '../util/matrix';
import { exactKnn, type KnnOptions, type KnnResult } from './knn';
import { nnDescentKnn } from './nn-descent';

/**
 * Above this many rows the cosine kNN graph is approximate (NN-descent) instead of exact. The exact
 * graph costs n² dot products (about 0.4 s at 2k × 384 on one core, growing fourfold per doubling);
 * NN-descent costs about n·log n and finds ≥ 0.95 of the true neighbours (bench/cluster.ts).
 */
export const APPROXIMATE_KNN_THRESHOLD = 2_000;

export interface KnnGraphOptions extends KnnOptions {
  seed?: number;
  /** Force exact or approximate; default: approximate above the threshold. */
  approximate?: boolean;
}

/** The kNN graph the clustering pipeline uses: exact up to the threshold, NN-descent beyond (cosine only). */
export async function knnGraph(x: Matrix, k: number, options: KnnGraphOptions = {}): Promise<KnnResult> {
  const approximate = options.approximate ?? x.rows > APPROXIMATE_KNN_THRESHOLD;
  if (approximate && (options.metric ?? 'cosine') === 'cosine') return nnDescentKnn(x, k, { seed: options.seed, signal: options.signal, onProgress: options.onProgress });
  return exactKnn(x, k, options);
}

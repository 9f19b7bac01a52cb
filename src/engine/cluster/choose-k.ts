import type { Matrix } from '../util/matrix';
import { checkpoint, type JobOptions } from '../util/job';
import { silhouette } from '../metrics/index';
import { kmeans, type KMeansResult } from './kmeans';

export interface ChooseKOptions extends JobOptions {
  /** Range of k to try (default 2..min(20, √n)). */
  minK?: number;
  maxK?: number;
  seed: number;
  /** Points sampled for the silhouette (default 2,000). */
  sampleSize?: number;
}

/**
 * k-means for each k in the range; the k with the highest (sampled) cosine silhouette wins.
 * Returns the winning k-means result and the silhouette per k.
 */
export async function kmeansAutoK(
  x: Matrix,
  options: ChooseKOptions,
): Promise<{ k: number; result: KMeansResult; scores: { k: number; silhouette: number }[] }> {
  const minK = Math.max(2, options.minK ?? 2);
  const maxK = Math.min(x.rows - 1, options.maxK ?? Math.max(minK, Math.min(20, Math.floor(Math.sqrt(x.rows)))));
  let best: { k: number; result: KMeansResult; score: number } | undefined;
  const scores: { k: number; silhouette: number }[] = [];
  for (let k = minK; k <= maxK; k++) {
    const result = await kmeans(x, { k, seed: options.seed, nInit: 2, maxIter: 100, signal: options.signal });
    const score = silhouette(x, result.labels, { metric: 'cosine', sampleSize: options.sampleSize ?? 2000, seed: options.seed });
    scores.push({ k, silhouette: score });
    if (!best || score > best.score) best = { k, result, score };
    options.onProgress?.({ stage: 'choose-k', done: k - minK + 1, total: maxK - minK + 1 });
    await checkpoint(options.signal);
  }
  if (!best) throw new Error(`k-means: cannot choose k for ${x.rows} points`);
  return { k: best.k, result: best.result, scores };
}

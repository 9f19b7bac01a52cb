import type { Matrix } from '../util/matrix';
import { normalizedCopy } from './knn';

export interface ReassignOptions {
  /**
   * Keep a point as noise when its cosine similarity to the nearest centroid is below
   * this (default −1: every noise point is reassigned).
   */
  minSimilarity?: number;
}

/**
 * Assigns each noise point (label −1) to the cluster whose centroid (mean of the
 * normalised member vectors, in embedding space) is most cosine-similar. Returns new labels
 * and how many points were reassigned; the input is not changed.
 */
export function reassignOutliers(
  x: Matrix,
  labels: Int32Array,
  options: ReassignOptions = {},
): { labels: Int32Array; reassigned: number } {
  const out = labels.slice();
  const { rows: n, cols: d } = x;
  let nClusters = 0;
  for (const l of labels) if (l + 1 > nClusters) nClusters = l + 1;
  if (nClusters === 0) return { labels: out, reassigned: 0 };
  const data = normalizedCopy(x);
  const centroids = new Float64Array(nClusters * d);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    if (c < 0) continue;
    for (let j = 0; j < d; j++) centroids[c * d + j] += data[i * d + j];
  }
  for (let c = 0; c < nClusters; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += centroids[c * d + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < d; j++) centroids[c * d + j] *= inv;
  }
  const minSim = options.minSimilarity ?? -Infinity;
  let reassigned = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] >= 0) continue;
    let best = -Infinity;
    let bestC = -1;
    for (let c = 0; c < nClusters; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += data[i * d + j] * centroids[c * d + j];
      if (s > best) {
        best = s;
        bestC = c;
      }
    }
    if (bestC >= 0 && best >= minSim) {
      out[i] = bestC;
      reassigned++;
    }
  }
  return { labels: out, reassigned };
}

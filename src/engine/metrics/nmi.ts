import { contingency } from './contingency';

function entropy(sizes: Float64Array, n: number): number {
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

/**
 * Normalised mutual information with the arithmetic-mean normalisation
 * (scikit-learn's `normalized_mutual_info_score` default).
 */
export function nmi(truth: ArrayLike<number | string>, pred: ArrayLike<number | string>): number {
  const c = contingency(truth, pred);
  if ((c.nTruth === 1 && c.nPred === 1) || c.n === 0) return 1;
  let mi = 0;
  for (let t = 0; t < c.nTruth; t++)
    for (let p = 0; p < c.nPred; p++) {
      const nij = c.counts[t * c.nPred + p];
      if (nij > 0) mi += (nij / c.n) * Math.log((nij * c.n) / (c.truthSizes[t] * c.predSizes[p]));
    }
  if (mi <= 0) return 0;
  const norm = (entropy(c.truthSizes, c.n) + entropy(c.predSizes, c.n)) / 2;
  return Math.min(1, mi / Math.max(norm, Number.EPSILON));
}

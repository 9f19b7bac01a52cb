import { contingency } from './contingency';

/** Adjusted Rand index (scikit-learn's `adjusted_rand_score`, via the pair confusion matrix). */
export function ari(truth: ArrayLike<number | string>, pred: ArrayLike<number | string>): number {
  const c = contingency(truth, pred);
  const n = c.n;
  let sumSq = 0;
  for (const v of c.counts) sumSq += v * v;
  let sumT = 0;
  for (const v of c.truthSizes) sumT += v * v;
  let sumP = 0;
  for (const v of c.predSizes) sumP += v * v;
  // Pair confusion (each unordered pair counted twice, as scikit-learn does).
  const tp = sumSq - n;
  const fp = sumP - sumSq; // same cluster, different truth classes
  const fn = sumT - sumSq; // same truth class, different clusters
  const tn = n * n - fp - fn - sumSq;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

import { contingency } from './contingency';

/** Purity: each predicted cluster counts its most common true class; the share of items so counted. */
export function purity(truth: ArrayLike<number | string>, pred: ArrayLike<number | string>): number {
  const c = contingency(truth, pred);
  if (c.n === 0) return 1;
  let sum = 0;
  for (let p = 0; p < c.nPred; p++) {
    let best = 0;
    for (let t = 0; t < c.nTruth; t++) best = Math.max(best, c.counts[t * c.nPred + p]);
    sum += best;
  }
  return sum / c.n;
}

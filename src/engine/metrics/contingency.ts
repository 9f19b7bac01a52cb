/** A contingency table of two labelings, the base of NMI, ARI and purity. */
export interface Contingency {
  n: number;
  /** counts[t * nPred + p]: items with truth class t and predicted cluster p. */
  counts: Float64Array;
  nTruth: number;
  nPred: number;
  truthSizes: Float64Array;
  predSizes: Float64Array;
}

function encode(labels: ArrayLike<number | string>): { codes: Int32Array; count: number } {
  const ids = new Map<number | string, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const key = labels[i];
    let c = ids.get(key);
    if (c === undefined) {
      c = ids.size;
      ids.set(key, c);
    }
    codes[i] = c;
  }
  return { codes, count: ids.size };
}

/** Counts co-occurrences; every distinct value (noise -1 included) is its own class. */
export function contingency(truth: ArrayLike<number | string>, pred: ArrayLike<number | string>): Contingency {
  if (truth.length !== pred.length) throw new Error(`the labelings have ${truth.length} and ${pred.length} items`);
  const t = encode(truth);
  const p = encode(pred);
  const counts = new Float64Array(t.count * p.count);
  const truthSizes = new Float64Array(t.count);
  const predSizes = new Float64Array(p.count);
  for (let i = 0; i < truth.length; i++) {
    counts[t.codes[i] * p.count + p.codes[i]]++;
    truthSizes[t.codes[i]]++;
    predSizes[p.codes[i]]++;
  }
  return { n: truth.length, counts, nTruth: t.count, nPred: p.count, truthSizes, predSizes };
}

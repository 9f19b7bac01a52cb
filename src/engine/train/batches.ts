/**
 * Batch samplers. Each epoch's order comes from (seed, epoch) alone, so a resumed run sees
 * the same batches as an uninterrupted one.
 */
import { createRng, shuffle } from '../util/random';

/** Shuffled consecutive batches; a last batch smaller than 2 is dropped. */
export function shuffledBatches(n: number, batchSize: number, seed: number, epoch: number): number[][] {
  const order = shuffle(
    Array.from({ length: n }, (_, i) => i),
    createRng(seed * 1000003 + epoch * 7919 + 1),
  );
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) {
    const b = order.slice(i, i + batchSize);
    if (b.length >= 2) out.push(b);
  }
  return out;
}

/**
 * Batches in which no text repeats (sentence-transformers' NoDuplicatesBatchSampler): an
 * example whose texts are already in the batch waits for a later one. `keys(i)` lists the
 * texts (or text ids) of example i.
 */
export function noDuplicateBatches(
  n: number,
  batchSize: number,
  seed: number,
  epoch: number,
  keys: (i: number) => readonly (string | number)[],
): number[][] {
  let remaining = shuffle(
    Array.from({ length: n }, (_, i) => i),
    createRng(seed * 1000003 + epoch * 7919 + 2),
  );
  const out: number[][] = [];
  while (remaining.length) {
    const seen = new Set<string | number>();
    const batch: number[] = [];
    const later: number[] = [];
    for (const i of remaining) {
      if (batch.length >= batchSize) {
        later.push(i);
        continue;
      }
      const ks = keys(i);
      if (ks.some((k) => seen.has(k))) later.push(i);
      else {
        for (const k of ks) seen.add(k);
        batch.push(i);
      }
    }
    if (batch.length >= 2) out.push(batch);
    else break; // the rest would only repeat texts
    remaining = later;
  }
  return out;
}

/**
 * Label-grouped batches for batch-hard triplet (like ST's GroupByLabelBatchSampler): each
 * label's examples are shuffled and cut into runs of `perLabel` (≥2), and runs fill the
 * batches, so every anchor in a batch has a positive. Labels with one example are left out.
 */
export function groupedBatches(labels: readonly number[], batchSize: number, seed: number, epoch: number, perLabel = 4): number[][] {
  const rng = createRng(seed * 1000003 + epoch * 7919 + 3);
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l);
    if (list) list.push(i);
    else byLabel.set(l, [i]);
  });
  const runs: number[][] = [];
  const k = Math.max(2, Math.min(perLabel, batchSize));
  for (const members of [...byLabel.keys()].sort((a, b) => a - b).map((l) => byLabel.get(l)!)) {
    if (members.length < 2) continue;
    shuffle(members, rng);
    for (let i = 0; i < members.length; i += k) {
      const r = members.slice(i, i + k);
      if (r.length >= 2) runs.push(r);
      else runs[runs.length - 1].push(...r);
    }
  }
  shuffle(runs, rng);
  const out: number[][] = [];
  let current: number[] = [];
  for (const r of runs) {
    if (current.length + r.length > batchSize && current.length >= 2) {
      out.push(current);
      current = [];
    }
    current.push(...r);
  }
  if (current.length >= 2) out.push(current);
  return out;
}

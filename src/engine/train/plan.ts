/**
 * The batch plan of a run: for every epoch, the batches (row indices into the training
 * set) and, for label-grouped MNR, the positive drawn for each anchor. The plan depends only
 * on the data and the seed, so a resumed run replays the same batches.
 */
import type { LossName } from './losses/index';
import type { TrainingSet } from './training-data';
import { groupedBatches, noDuplicateBatches, shuffledBatches } from './batches';
import { createRng } from '../util/random';

export interface EpochPlan {
  batches: number[][];
  /** Label-grouped MNR: the example used as positive for each anchor this epoch. */
  positives?: Int32Array;
}

export interface PlanInput {
  set: TrainingSet;
  loss: LossName;
  /** Embedding-table rows of the set's texts (text1/anchors/texts, and text2/positives). */
  rowsA: Int32Array;
  rowsB?: Int32Array;
  labelIds?: Int32Array;
  batchSize: number;
  epochs: number;
  seed: number;
}

function drawPositives(labelIds: Int32Array, seed: number, epoch: number): Int32Array {
  const rng = createRng(seed * 31 + epoch * 101 + 5);
  const byLabel = new Map<number, number[]>();
  labelIds.forEach((l, i) => {
    const list = byLabel.get(l);
    if (list) list.push(i);
    else byLabel.set(l, [i]);
  });
  return Int32Array.from(labelIds, (l, i) => {
    const members = byLabel.get(l)!;
    if (members.length < 2) return -1;
    let j = i;
    while (j === i) j = members[Math.floor(rng() * members.length)];
    return j;
  });
}

export function planEpochs(p: PlanInput): EpochPlan[] {
  const out: EpochPlan[] = [];
  const n = p.rowsA.length;
  for (let e = 0; e < p.epochs; e++) {
    if (p.set.kind === 'pairs') {
      const a = p.rowsA;
      const b = p.rowsB!;
      out.push({ batches: noDuplicateBatches(n, p.batchSize, p.seed, e, (i) => [a[i], b[i]]) });
    } else if (p.set.kind === 'labelled' && p.loss === 'mnr') {
      const positives = drawPositives(p.labelIds!, p.seed, e);
      const usable = [...positives.keys()].filter((i) => positives[i] >= 0);
      const rows = p.rowsA;
      const batches = noDuplicateBatches(usable.length, p.batchSize, p.seed, e, (k) => [rows[usable[k]], rows[positives[usable[k]]]]).map(
        (b) => b.map((k) => usable[k]),
      );
      out.push({ batches, positives });
    } else if (p.set.kind === 'labelled') {
      out.push({ batches: groupedBatches([...p.labelIds!], p.batchSize, p.seed, e) });
    } else {
      out.push({ batches: shuffledBatches(n, p.batchSize, p.seed, e) });
    }
  }
  return out;
}

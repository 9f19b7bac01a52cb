/**
 * Which records of a run's map may score it. A run trained on labels has seen the labels of its
 * training records, so label metrics over them (NMI, ARI, purity of the clusters) say little: the
 * run comparison's maps are measured on the held-out records only (the split its config.json
 * states), and say so. A run whose loss never saw labels (annotated pairs, pairs, DEC) may be
 * measured on every record. A run trained on labels without a stated held-out split (its
 * evaluation was another file) is measured on all records and marked as such.
 */
import { ari, nmi, purity } from '../metrics/index';
import type { ClusteringMetrics } from '../project/cluster-cache';

/** What scores a run's map: its held-out records, every record (labels unused), or its training records. */
export type MetricsScope = 'held-out' | 'all' | 'training';

/** The parts of a run's config.json this reads. */
export interface RunSplitConfig {
  options?: { loss?: string; train?: { fields?: { label?: string } }; lossChoice?: { shape?: string } };
  data?: { eval?: { heldOutIds?: string[]; file?: string; overlapsTraining?: number; examples?: number } };
}

export interface RunHeldOut {
  scope: MetricsScope;
  /** The held-out record ids (scope held-out). */
  ids?: ReadonlySet<string>;
  /** What the metrics are measured on, for the map's caption. */
  note: string;
}

/** True when the run's loss trained on the labels (labelled texts with a supervised loss; DEC only scores with them). */
export function trainedOnLabels(config: RunSplitConfig): boolean {
  const o = config.options ?? {};
  const labelled = o.lossChoice?.shape === 'labelled' || !!o.train?.fields?.label;
  return labelled && o.loss !== 'dec';
}

export function runHeldOut(config: RunSplitConfig): RunHeldOut {
  if (!trainedOnLabels(config)) return { scope: 'all', note: 'all records (the run did not train on labels)' };
  const ev = config.data?.eval;
  if (ev?.heldOutIds?.length) return { scope: 'held-out', ids: new Set(ev.heldOutIds), note: 'held-out records' };
  const overlap = ev?.file && ev.overlapsTraining ? `; its evaluation file shares ${ev.overlapsTraining} records with the training data` : '';
  return { scope: 'training', note: `all records, whose labels the run trained on (no held-out split${overlap})` };
}

/** 1 for the held-out points (by id), 0 for the others. */
export function heldOutMask(ids: readonly string[], heldOut: ReadonlySet<string>): Uint8Array {
  return Uint8Array.from(ids, (id) => (heldOut.has(id) ? 1 : 0));
}

/**
 * NMI, ARI and purity of the clusters against the labels (-1: none) over the points of `mask`
 * (every point when absent); undefined with fewer than 2 labelled points. The count is the points scored.
 */
export function labelMetricsOver(clusters: Int32Array, labels: Int32Array, mask?: Uint8Array): { metrics?: ClusteringMetrics; n: number } {
  const idx: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && (!mask || mask[i] === 1)) idx.push(i);
  if (idx.length < 2) return { n: idx.length };
  const truth = idx.map((i) => labels[i]);
  const pred = idx.map((i) => clusters[i]);
  return { metrics: { nmi: nmi(truth, pred), ari: ari(truth, pred), purity: purity(truth, pred) }, n: idx.length };
}

/**
 * The one vocabulary of evaluation metrics: every place that names a metric (the fine-tune
 * toast, the runs table and bars, the project tree, `embedlab runs`) goes through this table,
 * so a metric has the same name everywhere. Pure constants and functions (webviews may import it).
 */

export type MetricDirection = 'higher' | 'lower';

export interface MetricInfo {
  /** The key the engine writes in summary.json and metrics.jsonl. */
  key: string;
  /** Full label: column headers, bar titles. */
  label: string;
  /** Short label: the tree, toasts, terminal tables. */
  short: string;
  description: string;
  direction: MetricDirection;
  /** Digits after the point. */
  digits: number;
}

const m = (key: string, label: string, short: string, description: string, direction: MetricDirection = 'higher', digits = 3): MetricInfo => ({
  key,
  label,
  short,
  description,
  direction,
  digits,
});

/** Every known metric, in display order (the order also picks a run's headline metric). */
export const METRIC_INFO: readonly MetricInfo[] = [
  m('spearman', 'Spearman correlation', 'Spearman', 'Rank correlation between the cosine of each held-out pair and its annotated score.'),
  m('pearson', 'Pearson correlation', 'Pearson', 'Linear correlation between the cosine of each held-out pair and its annotated score.'),
  m('top1', 'Same label, nearest 1', 'Same label@1', 'Share of held-out records whose nearest neighbour has the same label.'),
  m('top10', 'Same label, nearest 10', 'Same label@10', 'Share of the 10 nearest neighbours of a held-out record that have its label.'),
  m('top25', 'Same label, nearest 25', 'Same label@25', 'Share of the 25 nearest neighbours of a held-out record that have its label.'),
  m('top1000', 'Same label, nearest 1000', 'Same label@1000', 'Share of the 1000 nearest neighbours of a held-out record that have its label.'),
  m('recall1', 'Recall at 1', 'Recall@1', 'Share of held-out anchors whose own positive is the nearest of all positives.'),
  m('mrr10', 'Mean reciprocal rank at 10', 'MRR@10', 'Mean of 1/rank of each anchor\'s own positive among all positives (0 beyond rank 10).'),
  m('nmi', 'Normalised mutual information', 'NMI', 'Agreement between the clusters and the labels (0 = none, 1 = the same partition).'),
  m('purity', 'Cluster purity', 'Purity', 'Share of records whose cluster\'s majority label is their own label.'),
  m('ari', 'Adjusted Rand index', 'ARI', 'Pair-counting agreement between the clusters and the labels, 0 for chance.'),
  m('silhouette', 'Silhouette', 'Silhouette', 'How much closer records are to their own cluster than to the next one (−1 to 1).'),
  m(
    'llmCoherence',
    'Coherence (LLM-judged)',
    'Coherence (LLM)',
    'Mean coherence, from 1 (unrelated texts) to 5 (one clear topic), of the clusters the run\'s encoder gives, as judged by a language model ("Judge Clusters with LLM…"); a model\'s opinion, not a measurement.',
    'higher',
    2,
  ),
  m('loss', 'Training loss', 'Loss', 'The loss on the last training batch.', 'lower', 4),
];

const byKey = new Map(METRIC_INFO.map((i) => [i.key, i]));

/** The entry for `key`; an unknown key gets a neutral entry named by the key itself. */
export function metricInfo(key: string): MetricInfo {
  return byKey.get(key) ?? m(key, key, key, key);
}

export function isKnownMetric(key: string): boolean {
  return byKey.has(key);
}

/** The value with the metric's digits ("0.812"); "—" when missing or not finite. */
export function formatMetricValue(key: string, value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(metricInfo(key).digits);
}

/** "Spearman 0.812": the short label and the value. */
export function formatMetric(key: string, value: number | undefined): string {
  return `${metricInfo(key).short} ${formatMetricValue(key, value)}`;
}

/** The keys of `metrics` with a finite number, known ones in vocabulary order, then unknown ones sorted. */
export function orderedMetricKeys(metrics: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!metrics) return [];
  const present = Object.keys(metrics).filter((k) => typeof metrics[k] === 'number' && Number.isFinite(metrics[k]));
  const known = METRIC_INFO.map((i) => i.key).filter((k) => present.includes(k));
  return [...known, ...present.filter((k) => !byKey.has(k)).sort()];
}

/** The metric a run is summarised by: the first present in vocabulary order (loss only as a last resort). */
export function headlineMetric(metrics: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const keys = orderedMetricKeys(metrics);
  return keys.find((k) => k !== 'loss') ?? keys[0];
}

/** "Spearman 0.701, Same label@10 0.503": the first `count` metrics present, for toasts and lines. */
export function describeMetrics(metrics: Readonly<Record<string, unknown>> | undefined, count = 2): string {
  const keys = orderedMetricKeys(metrics).filter((k) => k !== 'loss').slice(0, count);
  return keys.length ? keys.map((k) => formatMetric(k, metrics![k] as number)).join(', ') : 'no metrics';
}

/** True when `a` beats `b` for this metric. */
export function isBetter(key: string, a: number, b: number): boolean {
  return metricInfo(key).direction === 'higher' ? a > b : a < b;
}

/**
 * The choices of "Cluster" and how its result is told to the user. Pure (no `vscode`),
 * so the quick picks, the map source and the tests share it.
 */
import type { ClusteringSettings } from '../../engine/project/cluster-cache';
import type { ClusterJobResult } from '../../engine/jobs/cluster-job';
import { CLUSTER_DEFAULTS, DEFAULT_SEED } from '../../engine/defaults';

export interface ClusterSettingValues {
  'cluster.algorithm': string;
  'cluster.minClusterSize': number;
  'cluster.k': string;
  'cluster.reassignOutliers': boolean;
  'cluster.seed': number;
}

/** "auto", or an integer ≥ 2; undefined for anything else. */
export function parseK(text: string): number | 'auto' | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'auto' || t === '') return 'auto';
  if (!/^\d+$/.test(t)) return undefined;
  const k = Number(t);
  return k >= 2 ? k : undefined;
}

/** The clustering the settings describe (used for the map when nothing was clustered yet). */
export function clusterDefaults(settings: ClusterSettingValues): ClusteringSettings {
  const seed = Number.isInteger(settings['cluster.seed']) ? settings['cluster.seed'] : DEFAULT_SEED;
  if (settings['cluster.algorithm'] === 'kmeans') return { algo: 'kmeans', k: parseK(settings['cluster.k']) ?? 'auto', seed };
  const minClusterSize = Math.max(2, Math.round(settings['cluster.minClusterSize'] || CLUSTER_DEFAULTS.minClusterSize));
  return { algo: 'hdbscan', minClusterSize, reassignOutliers: settings['cluster.reassignOutliers'], seed };
}

export interface ClusterChoice {
  id: 'hdbscan' | 'hdbscan-reassign' | 'kmeans-auto' | 'kmeans-k';
  label: string;
  detail: string;
  /** Shown next to the label of the choice the settings name. */
  isDefault: boolean;
  /** The settings, except k for 'kmeans-k' (asked next). */
  settings: ClusteringSettings;
}

/** The algorithm quick pick: the configured choice first. */
export function clusterChoices(settings: ClusterSettingValues): ClusterChoice[] {
  const d = clusterDefaults(settings);
  const minClusterSize = d.algo === 'hdbscan' ? d.minClusterSize ?? CLUSTER_DEFAULTS.minClusterSize : Math.max(2, Math.round(settings['cluster.minClusterSize'] || CLUSTER_DEFAULTS.minClusterSize));
  const seed = d.seed;
  const choices: ClusterChoice[] = [
    {
      id: 'hdbscan',
      label: 'HDBSCAN',
      detail: `finds the number of clusters; records in no dense region stay outliers (min cluster size ${minClusterSize})`,
      isDefault: d.algo === 'hdbscan' && !d.reassignOutliers,
      settings: { algo: 'hdbscan', minClusterSize, reassignOutliers: false, seed },
    },
    {
      id: 'hdbscan-reassign',
      label: 'HDBSCAN, outliers reassigned',
      detail: 'as HDBSCAN, then every outlier joins the cluster with the nearest centroid',
      isDefault: d.algo === 'hdbscan' && !!d.reassignOutliers,
      settings: { algo: 'hdbscan', minClusterSize, reassignOutliers: true, seed },
    },
    {
      id: 'kmeans-auto',
      label: 'k-means, k chosen by silhouette',
      detail: 'tries k = 2…20 on a sample and keeps the best silhouette; every record gets a cluster',
      isDefault: d.algo === 'kmeans' && d.k === 'auto',
      settings: { algo: 'kmeans', k: 'auto', seed },
    },
    {
      id: 'kmeans-k',
      label: 'k-means, k of your choice…',
      detail: 'you give the number of clusters',
      isDefault: d.algo === 'kmeans' && d.k !== 'auto',
      settings: { algo: 'kmeans', k: d.algo === 'kmeans' && d.k !== 'auto' ? d.k : 8, seed },
    },
  ];
  return [...choices.filter((c) => c.isDefault), ...choices.filter((c) => !c.isDefault)];
}

/** One line for the notification after Cluster. */
export function describeClusterResult(
  dataset: string,
  r: Pick<ClusterJobResult, 'count' | 'clusters' | 'outliers' | 'metrics' | 'seconds' | 'kScores' | 'settings' | 'notes'>,
): string {
  const parts = [`${r.clusters.length} clusters in "${dataset}" (${r.count} records`];
  parts[0] += r.outliers > 0 ? `, ${r.outliers} outliers)` : ')';
  if (r.settings.algo === 'kmeans' && r.kScores?.length) parts.push(`k ${r.clusters.length} chosen by silhouette`);
  if (r.metrics) parts.push(`against the labels: NMI ${r.metrics.nmi.toFixed(2)}, ARI ${r.metrics.ari.toFixed(2)}, purity ${r.metrics.purity.toFixed(2)}`);
  parts.push(`${r.seconds.toFixed(1)} s`);
  const top = [...r.clusters].sort((a, b) => b.size - a.size).slice(0, 3).map((c) => `"${c.keywords.slice(0, 3).join(', ')}"`);
  const notes = (r.notes ?? []).map((n) => ` Note: ${n}.`).join('');
  return `${parts.join(' · ')}. Largest topics: ${top.join('; ')}.${notes}`;
}

import type { CliCommand } from '../command';
import { embeddingOptions, encoderParamsFrom, fileAndTemplate, templateOption } from '../embed-texts';
import { jobContextFor } from '../job-context';
import { UsageError } from '../args';
import type { ClusterAlgorithm } from '../../engine/cluster/pipeline';
import { clusterFileJob } from '../../engine/jobs/cluster-file-job';
import { CLUSTER_DEFAULTS } from '../../engine/defaults';

function parseK(raw: unknown): number | 'auto' | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto') return 'auto';
  const k = Number(raw);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k must be a positive integer or "auto", got "${String(raw)}"`);
  return k;
}

function optionalPositiveInt(raw: unknown, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got "${String(raw)}"`);
  return v;
}

/** `embedlab cluster`: embed, cluster, name the topics, and score against labels. */
export const clusterCommand: CliCommand = {
  name: 'cluster',
  summary: 'Cluster the texts of a file (k-means or UMAP + HDBSCAN) and name topics by c-TF-IDF',
  usage:
    'embedlab cluster <file> --text "<template>" [--label <field>] [--algo kmeans|hdbscan] [--k N|auto] ' +
    '[--min-cluster-size N] [--min-samples N] [--reassign-outliers] [--encoder builtin|<folder>|<hub id>|<url>|run:<id>] [--project <dir>] [--seed N] [--out <file.jsonl|file.csv>] [--json]',
  options: [
    templateOption,
    { name: 'label', kind: 'string', description: 'field with the true class: adds nmi, ari, purity, silhouette' },
    { name: 'algo', kind: 'string', description: 'clustering algorithm', choices: ['kmeans', 'hdbscan'], default: CLUSTER_DEFAULTS.algorithm },
    { name: 'k', kind: 'string', description: 'k-means clusters, or "auto" (silhouette); ignored by hdbscan', default: CLUSTER_DEFAULTS.k },
    { name: 'min-cluster-size', kind: 'number', description: 'HDBSCAN minimum cluster size (default max(10, 1% of n))' },
    { name: 'min-samples', kind: 'number', description: 'HDBSCAN core neighbours (default min(min-cluster-size, 10))' },
    { name: 'reassign-outliers', kind: 'boolean', description: 'give HDBSCAN outliers the nearest cluster centroid' },
    { name: 'top', kind: 'number', description: 'keywords per topic', default: CLUSTER_DEFAULTS.keywords },
    { name: 'out', kind: 'string', description: 'per-record results (id, cluster, x, y): .jsonl or .csv' },
    ...embeddingOptions,
  ],
  async run(ctx) {
    const { file, template } = fileAndTemplate(ctx);
    const o = ctx.args.options;
    const summary = await clusterFileJob(
      {
        file,
        template,
        label: typeof o.label === 'string' ? o.label : undefined,
        algo: (o.algo ?? CLUSTER_DEFAULTS.algorithm) as ClusterAlgorithm,
        k: parseK(o.k),
        minClusterSize: optionalPositiveInt(o['min-cluster-size'], 'min-cluster-size'),
        minSamples: optionalPositiveInt(o['min-samples'], 'min-samples'),
        reassignOutliers: Boolean(o['reassign-outliers']),
        topN: optionalPositiveInt(o.top, 'top') ?? CLUSTER_DEFAULTS.keywords,
        out: typeof o.out === 'string' ? o.out : undefined,
        ...encoderParamsFrom(ctx),
      },
      jobContextFor(ctx),
    );
    if (o.json) ctx.stdout(JSON.stringify(summary));
    else {
      ctx.stdout(`${summary.n} texts → ${summary.clusters} clusters, ${summary.outliers} outliers, ${summary.seconds} s`);
      for (const t of summary.topics) ctx.stdout(`  ${t.cluster} (${t.size}): ${t.words.join(', ')}`);
      if (summary.metrics) ctx.stdout(`  metrics: ${JSON.stringify(summary.metrics)}`);
      for (const n of summary.notes ?? []) ctx.stdout(`  note: ${n}`);
    }
    return 0;
  },
};

import * as path from 'node:path';
import { progressPrinter } from '../progress';
import type { CliCommand } from '../command';
import { embeddingOptions, fileAndTemplate, loadFileTexts, templateOption, withEmbeddedTexts } from '../embed-texts';
import { UsageError } from '../args';
import { clusterEmbeddings, type ClusterResult } from '../../engine/cluster/pipeline';
import { ari, nmi, purity, silhouette } from '../../engine/metrics/index';
import { writeFileAtomic } from '../../engine/util/fs';
import { csvCell } from '../../engine/util/csv';
import { CLUSTER_DEFAULTS, DEFAULT_SEED } from '../../engine/defaults';

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

/** Per-record results as JSONL or CSV (by extension), written atomically. */
async function writeAssignments(out: string, ids: readonly string[], result: ClusterResult): Promise<void> {
  const csv = path.extname(out).toLowerCase() === '.csv';
  const lines: string[] = csv ? ['id,cluster,x,y'] : [];
  ids.forEach((id, i) => {
    const x = result.coords2d ? Number(result.coords2d[2 * i].toFixed(5)) : null;
    const y = result.coords2d ? Number(result.coords2d[2 * i + 1].toFixed(5)) : null;
    if (csv) lines.push(`${csvCell(id)},${result.labels[i]},${x ?? ''},${y ?? ''}`);
    else lines.push(JSON.stringify({ id, cluster: result.labels[i], x, y }));
  });
  await writeFileAtomic(out, lines.join('\n') + '\n');
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
    const algo = (o.algo ?? CLUSTER_DEFAULTS.algorithm) as 'kmeans' | 'hdbscan';
    const k = parseK(o.k);
    const minClusterSize = optionalPositiveInt(o['min-cluster-size'], 'min-cluster-size');
    const minSamples = optionalPositiveInt(o['min-samples'], 'min-samples');
    const topN = optionalPositiveInt(o.top, 'top') ?? CLUSTER_DEFAULTS.keywords;
    const seed = Number(o.seed ?? DEFAULT_SEED);
    const out = typeof o.out === 'string' ? o.out : undefined;
    const label = typeof o.label === 'string' ? o.label : undefined;
    const started = performance.now();
    const onProgress = progressPrinter(ctx);
    const loaded = await loadFileTexts(ctx, file, template, label);
    if (loaded.texts.length < 3) throw new UsageError(`${file}: need at least 3 texts to cluster, found ${loaded.texts.length}`);
    const { x, encoder } = await withEmbeddedTexts(ctx, loaded.texts, { role: 'passage', onProgress }, (x, encoder) => ({ x, encoder }));
    const result = await clusterEmbeddings(x, loaded.texts, {
      algo,
      k,
      minClusterSize,
      minSamples,
      reassignOutliers: Boolean(o['reassign-outliers']),
      layout2d: out !== undefined,
      topN,
      seed,
      signal: ctx.signal,
      onProgress,
    });
    if (out) await writeAssignments(out, loaded.ids, result);
    const count = (labels: Int32Array): number => labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);
    const outliers = count(result.labels);
    const summary: Record<string, unknown> = {
      n: loaded.texts.length,
      skipped: loaded.skipped.length,
      algo,
      clusters: result.clusters.length,
      outliers,
      outliersBeforeReassign: count(result.labelsBeforeReassign),
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
      clusterSeconds: Number(result.seconds.toFixed(3)),
      encoder: encoder.id,
      seed,
      topics: result.clusters.map((c) => ({ cluster: c.id, size: c.size, words: c.keywords })),
    };
    if (result.kScores) summary.kScores = result.kScores;
    if (loaded.labels) {
      const truth = loaded.labels;
      summary.metrics = {
        nmi: nmi(truth, result.labels),
        ari: ari(truth, result.labels),
        purity: purity(truth, result.labels),
        silhouette: silhouette(x, result.labels, { metric: 'cosine', sampleSize: 3000, seed }),
      };
    }
    if (out) summary.out = out;
    if (o.json) ctx.stdout(JSON.stringify(summary));
    else {
      ctx.stdout(`${summary.n} texts → ${result.clusters.length} clusters, ${outliers} outliers, ${summary.seconds} s`);
      for (const c of result.clusters) ctx.stdout(`  ${c.id} (${c.size}): ${c.keywords.join(', ')}`);
      if (summary.metrics) ctx.stdout(`  metrics: ${JSON.stringify(summary.metrics)}`);
    }
    return 0;
  },
};

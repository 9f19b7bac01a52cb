/**
 * The `clusterFile` job (`embedlab cluster`): embed the texts of a data file, cluster them
 * (k-means or UMAP + HDBSCAN), name the topics by c-TF-IDF, score against the labels when a
 * label field is given, and optionally write the per-record results (.jsonl or .csv).
 */
import * as path from 'node:path';
import { InputError } from '../util/errors';
import { topicTermsInBackground } from '../cluster/topic-terms-background';
import { clusterEmbeddings, type ClusterAlgorithm, type ClusterResult } from '../cluster/pipeline';
import { ari, nmi, purity, silhouette } from '../metrics/index';
import { writeFileAtomic } from '../util/fs';
import { csvCell } from '../util/csv';
import { CLUSTER_DEFAULTS, DEFAULT_SEED } from '../defaults';
import type { JobContext } from './job-context';
import type { ProgressListener } from '../util/job';
import { TFIDF_FIT_STAGE } from '../encoders/builtin/tfidf';
import { loadFileTexts, withEmbeddedTexts, type EncoderParams, type FileTextsParams } from './file-texts';

export interface ClusterFileParams extends FileTextsParams, EncoderParams {
  /** Field with the true class: adds nmi, ari, purity and silhouette. */
  label?: string;
  /** Default HDBSCAN (engine/defaults.ts). */
  algo?: ClusterAlgorithm;
  /** k-means: a k, or "auto" (silhouette). */
  k?: number | 'auto';
  minClusterSize?: number;
  minSamples?: number;
  reassignOutliers?: boolean;
  /** Keywords per topic (default 10). */
  topN?: number;
  /** Per-record results (id, cluster, x, y) to this .jsonl or .csv file. */
  out?: string;
}

/** The summary `embedlab cluster --json` prints. */
export interface ClusterFileResult {
  n: number;
  skipped: number;
  algo: ClusterAlgorithm;
  clusters: number;
  outliers: number;
  outliersBeforeReassign: number;
  seconds: number;
  clusterSeconds: number;
  encoder: string;
  seed: number;
  topics: { cluster: number; size: number; words: string[] }[];
  kScores?: ClusterResult['kScores'];
  metrics?: { nmi: number; ari: number; purity: number; silhouette: number };
  out?: string;
  /** For the user: texts cut on reading, and what the encoder chose from the texts (e.g. the built-in encoder's topic weighting). */
  notes?: string[];
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

/**
 * A job context whose progress reports also tell when the encoder is past its TF-IDF fit: the
 * fit's last report, or any report of another stage. `end` settles it by hand.
 */
function tfidfFitEnd(ctx: JobContext): { ctx: JobContext; ended: Promise<void>; end: () => void } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const onProgress: ProgressListener = (p) => {
    if (p.stage !== TFIDF_FIT_STAGE || p.done >= p.total) end();
    ctx.onProgress?.(p);
  };
  return { ctx: { ...ctx, onProgress }, ended, end };
}

const countOutliers = (labels: Int32Array): number => labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);

export async function clusterFileJob(params: ClusterFileParams, ctx: JobContext): Promise<ClusterFileResult> {
  const algo = params.algo ?? CLUSTER_DEFAULTS.algorithm;
  const seed = params.seed ?? DEFAULT_SEED;
  const started = performance.now();
  const loaded = await loadFileTexts(params, ctx, { purpose: 'clustering', label: params.label });
  if (loaded.texts.length < 3) throw new InputError(`need at least 3 texts to cluster, found ${loaded.texts.length}`, { file: params.file });
  // The keywords' terms depend on the texts only: a worker finds them while the encoder runs,
  // from the end of the built-in encoder's TF-IDF fit (which counts terms on every core) on.
  const fitted = tfidfFitEnd(ctx);
  const keywordTerms = topicTermsInBackground(loaded.texts, { startAfter: fitted.ended });
  const { x, encoderId, topicColumns, notes } = await withEmbeddedTexts(params, fitted.ctx, loaded.texts, { role: 'passage' }, (x, encoder) => ({
    x,
    encoderId: encoder.id,
    topicColumns: encoder.topicColumns,
    notes: encoder.notes,
  }));
  fitted.end(); // (an encoder without a TF-IDF fit, or a cached one)
  const result = await clusterEmbeddings(x, loaded.texts, {
    algo,
    k: params.k,
    minClusterSize: params.minClusterSize,
    minSamples: params.minSamples,
    reassignOutliers: params.reassignOutliers === true,
    layout2d: params.out !== undefined,
    kmeansColumns: topicColumns,
    topN: params.topN ?? CLUSTER_DEFAULTS.keywords,
    keywordTerms,
    seed,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
  });
  if (params.out) await writeAssignments(params.out, loaded.ids, result);
  const summary: ClusterFileResult = {
    n: loaded.texts.length,
    skipped: loaded.skipped.length,
    algo,
    clusters: result.clusters.length,
    outliers: countOutliers(result.labels),
    outliersBeforeReassign: countOutliers(result.labelsBeforeReassign),
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    clusterSeconds: Number(result.seconds.toFixed(3)),
    encoder: encoderId,
    seed,
    topics: result.clusters.map((c) => ({ cluster: c.id, size: c.size, words: c.keywords })),
  };
  if (result.kScores) summary.kScores = result.kScores;
  const allNotes = [...(loaded.cutNote ? [loaded.cutNote] : []), ...(notes ?? [])];
  if (allNotes.length) summary.notes = allNotes;
  if (loaded.labels) {
    const truth = loaded.labels;
    summary.metrics = {
      nmi: nmi(truth, result.labels),
      ari: ari(truth, result.labels),
      purity: purity(truth, result.labels),
      silhouette: silhouette(x, result.labels, { metric: 'cosine', sampleSize: 3000, seed }),
    };
  }
  if (params.out) summary.out = params.out;
  return summary;
}

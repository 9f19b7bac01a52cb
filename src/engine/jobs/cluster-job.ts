/**
 * The `cluster` job and the saved clusterings the map reads: a project dataset is
 * embedded (through the embedding cache) and run through the engine's clustering
 * pipeline (cosine kNN → UMAP → HDBSCAN or k-means → outlier reassignment → c-TF-IDF
 * topics → 2-d UMAP layout). The result — layout, clusters, topics and the kNN graph — is
 * saved in <project>/.cache/clusters/ so the map opens without recomputing it.
 */
import { clusterEmbeddings } from '../cluster/pipeline';
import { encoderKind } from '../encoders/resolve';
import { ari, nmi, purity } from '../metrics/index';
import { InputError } from '../util/errors';
import type { DatasetRecord } from '../project/dataset-file';
import {
  clusteringFile, loadClustering, recordsHash, saveClustering, CLUSTER_CACHE_SCHEMA_VERSION,
  type ClusteringMetrics, type ClusteringSettings, type ClusterTopic, type SavedClustering,
} from '../project/cluster-cache';
import { datasetEncoder, embedDataset, readDataset, type DatasetEncoderParams, type EngineJobOptions } from './dataset-embeddings';

export interface ClusterJobParams extends DatasetEncoderParams {
  settings: ClusteringSettings;
}

export interface ClusterJobResult {
  dataset: string;
  encoderId: string;
  count: number;
  settings: ClusteringSettings;
  clusters: ClusterTopic[];
  outliers: number;
  /** Outliers before reassignment (HDBSCAN). */
  outliersBeforeReassign: number;
  metrics?: ClusteringMetrics;
  /** k-means with k 'auto': silhouette per k tried. */
  kScores?: { k: number; silhouette: number }[];
  seconds: number;
  file: string;
  /** What the encoder chose from the data (Encoder.notes), e.g. the built-in encoder's topic weighting. */
  notes?: string[];
}

/** Neighbours kept per record in the saved kNN graph. */
export const SAVED_NEIGHBOURS = 15;

function checkSettings(s: ClusteringSettings): void {
  if (s.algo !== 'hdbscan' && s.algo !== 'kmeans') throw new InputError(`unknown clustering algorithm "${String(s.algo)}" (hdbscan or kmeans)`, { field: 'algo' });
  if (s.k !== undefined && s.k !== 'auto' && !(Number.isInteger(s.k) && s.k >= 2)) throw new InputError(`k must be an integer ≥ 2 or "auto", got ${String(s.k)}`, { field: 'k' });
  if (s.minClusterSize !== undefined && !(Number.isInteger(s.minClusterSize) && s.minClusterSize >= 2))
    throw new InputError(`the minimum cluster size must be an integer ≥ 2, got ${String(s.minClusterSize)}`, { field: 'minClusterSize' });
  if (!Number.isInteger(s.seed)) throw new InputError(`the seed must be an integer, got ${String(s.seed)}`, { field: 'seed' });
}

const countOutliers = (labels: Int32Array): number => labels.reduce((s, l) => s + (l < 0 ? 1 : 0), 0);

/** NMI, ARI and purity of the clusters against the records' labels (outliers count as one group). */
export function labelAgreement(records: readonly DatasetRecord[], labels: Int32Array): ClusteringMetrics | undefined {
  const idx = records.flatMap((r, i) => (r.label !== undefined ? [i] : []));
  if (idx.length < 2) return undefined;
  const truth = idx.map((i) => records[i].label as string);
  const pred = idx.map((i) => labels[i]);
  return { nmi: nmi(truth, pred), ari: ari(truth, pred), purity: purity(truth, pred) };
}

/** Embeds and clusters a dataset, then saves the clustering; returns it with the records. */
export async function computeClustering(
  params: ClusterJobParams,
  options: EngineJobOptions,
): Promise<{
  records: DatasetRecord[];
  clustering: SavedClustering;
  file: string;
  kScores?: ClusterJobResult['kScores'];
  outliersBeforeReassign: number;
  encoderNotes: string[];
}> {
  checkSettings(params.settings);
  const started = performance.now();
  const data = await embedDataset({ ...params, seed: params.seed ?? params.settings.seed }, options);
  const texts = data.records.map((r) => r.text);
  if (texts.length < 3) throw new InputError(`need at least 3 records to cluster, the dataset has ${texts.length}`, { file: data.file });
  const s = params.settings;
  const result = await clusterEmbeddings(data.embeddings, texts, {
    algo: s.algo,
    k: s.algo === 'kmeans' ? s.k ?? 'auto' : undefined,
    minClusterSize: s.minClusterSize,
    reassignOutliers: s.reassignOutliers,
    nNeighbors: SAVED_NEIGHBOURS,
    layout2d: true,
    kmeansColumns: data.topicColumns,
    seed: s.seed,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const n = texts.length;
  const knn = result.knn;
  const k = knn ? knn.k : 0;
  const knnSims = new Float32Array(n * k);
  if (knn) for (let t = 0; t < n * k; t++) knnSims[t] = 1 - knn.distances[t];
  const clustering: SavedClustering = {
    header: {
      magic: 'embedlab-clustering',
      schemaVersion: CLUSTER_CACHE_SCHEMA_VERSION,
      dataset: params.dataset,
      encoderSpec: params.encoder,
      encoderId: data.encoderId,
      settings: { ...s },
      recordsHash: recordsHash(data.records),
      count: n,
      knnK: k,
      clusters: result.clusters,
      outliers: countOutliers(result.labels),
      metrics: labelAgreement(data.records, result.labels),
      createdAt: new Date().toISOString(),
      seconds: (performance.now() - started) / 1000,
    },
    coords: result.coords2d ?? new Float32Array(2 * n),
    labels: result.labels,
    knnIds: knn ? knn.indices : new Int32Array(0),
    knnSims,
  };
  if (clustering.header.metrics === undefined) delete clustering.header.metrics;
  const file = clusteringFile(params.projectDir, params.dataset, params.encoder);
  await saveClustering(file, clustering);
  return {
    records: data.records,
    clustering,
    file,
    kScores: result.kScores,
    outliersBeforeReassign: countOutliers(result.labelsBeforeReassign),
    encoderNotes: data.encoderNotes,
  };
}

/** The `cluster` job: cluster a dataset with the given settings and save the result. */
export async function clusterJob(params: ClusterJobParams, options: EngineJobOptions): Promise<ClusterJobResult> {
  const out = await computeClustering(params, options);
  const h = out.clustering.header;
  return {
    dataset: h.dataset,
    encoderId: h.encoderId,
    count: h.count,
    settings: h.settings,
    clusters: h.clusters,
    outliers: h.outliers,
    outliersBeforeReassign: out.outliersBeforeReassign,
    ...(h.metrics ? { metrics: h.metrics } : {}),
    ...(out.kScores ? { kScores: out.kScores } : {}),
    seconds: h.seconds,
    file: out.file,
    ...(out.encoderNotes.length ? { notes: out.encoderNotes } : {}),
  };
}

/** True for specs that name files on disk whose content can change while the spec stays the same. */
function weightsMayChangeUnderSpec(spec: string): boolean {
  return encoderKind(spec) === 'onnx-folder' || spec.trim().startsWith('builtin:');
}

/** The id (weights hash included) of the encoder the spec resolves to now; the encoder is disposed. */
async function currentEncoderId(params: ClusterJobParams, records: readonly DatasetRecord[], options: EngineJobOptions): Promise<string> {
  const encoder = await datasetEncoder(params, records.map((r) => r.text), options);
  try {
    return encoder.id;
  } finally {
    await encoder.dispose();
  }
}

/**
 * The dataset's latest saved clustering with this encoder when it still matches the
 * records and the encoder's current weights (whatever settings made it), else a new one made
 * with `settings` and saved.
 */
export async function freshClustering(
  params: ClusterJobParams,
  options: EngineJobOptions,
): Promise<{ records: DatasetRecord[]; clustering: SavedClustering; computed: boolean; problem?: string }> {
  const data = await readDataset(params.projectDir, params.dataset, options);
  const file = clusteringFile(params.projectDir, params.dataset, params.encoder);
  const saved = await loadClustering(file);
  const c = saved.clustering;
  if (c && c.header.recordsHash === recordsHash(data.records) && c.header.count === data.records.length && c.header.encoderSpec === params.encoder) {
    // A model folder or a saved built-in model file may have been replaced since: the encoder's
    // id carries a hash of its weights. ("builtin" is fitted on the records, already compared;
    // runs do not change once done; an endpoint's weights cannot be seen.)
    if (!weightsMayChangeUnderSpec(params.encoder) || (await currentEncoderId(params, data.records, options)) === c.header.encoderId) {
      return { records: data.records, clustering: c, computed: false };
    }
  }
  const made = await computeClustering(params, options);
  return { records: made.records, clustering: made.clustering, computed: true, ...(saved.problem ? { problem: saved.problem } : {}) };
}

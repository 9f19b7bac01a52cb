import type { Matrix } from '../util/matrix';
import { checkpoint, throwIfCancelled, type JobOptions } from '../util/job';
import { normalizedCopy, type KnnResult } from './knn';
import { knnGraph } from './knn-graph';
import { umapLayout } from './umap';
import { fuzzySimplicialSet, type FuzzyGraph } from './fuzzy-graph';
import { spectralInit } from './umap-init';
import { hdbscan } from './hdbscan';
import { kmeans } from './kmeans';
import { kmeansAutoK } from './choose-k';
import { reassignOutliers } from './reassign';
import { keywordsFromTerms, topicTermIds, type NumberedTerms } from './topics';
import type { BackgroundTerms } from './topic-terms-background';

/**
 * k-means restarts (the lowest inertia wins). AG News' built-in topic vectors (k=4) have many local
 * minima of nearly equal inertia (NMI 0.42–0.60); the lowest sits at NMI 0.54–0.56 for every encoder
 * seed, but 8 restarts on all points missed it for seed 42 (NMI 0.48). The restarts run on a sample
 * of KMEANS_SCREEN_SAMPLE points and the KMEANS_SCREEN_KEEP best continue on all of them: on two
 * encoder seeds × five k-means seeds, 30 screened restarts reached the lowest inertia every time,
 * for 40% less CPU than 20 restarts on all points (a 1,900-point sample kept 3 missed it once).
 */
export const KMEANS_RESTARTS = 30;
export const KMEANS_SCREEN_SAMPLE = 3000;
export const KMEANS_SCREEN_KEEP = 5;

export type ClusterAlgorithm = 'kmeans' | 'hdbscan';

export interface ClusterOptions extends JobOptions {
  algo: ClusterAlgorithm;
  /** k-means: a number, or 'auto' (best sampled silhouette over 2..20). Ignored by HDBSCAN. */
  k?: number | 'auto';
  /** HDBSCAN (default max(10, 1% of n)). */
  minClusterSize?: number;
  /** HDBSCAN (default min(minClusterSize, 10)). */
  minSamples?: number;
  /** Give every HDBSCAN outlier the cluster of the nearest centroid (default false). */
  reassignOutliers?: boolean;
  /** With reassignment: keep as outliers the points below this cosine to every centroid. */
  reassignMinSimilarity?: number;
  /** UMAP dimensions HDBSCAN runs on (default 5). */
  umapDims?: number;
  /** Neighbours of the kNN graph (UMAP and the map's neighbour lists; default 15). */
  nNeighbors?: number;
  /** Compute the 2-d map layout (default true; the CLI skips it unless it writes --out). */
  layout2d?: boolean;
  /** Where k-means runs: the normalised embeddings, or the n-d UMAP layout (default 'embedding': measured NMI 0.51 vs 0.37 on AG News). */
  kmeansSpace?: 'embedding' | 'umap';
  /**
   * k-means on the leading this many coordinates of each normalised row, renormalised (default all):
   * the built-in encoder's topic part (`Encoder.topicColumns`). Its lexical part is there for
   * sentence similarity; in k-means it only adds spread (AG News k=4: NMI 0.47–0.59 over the seeds on
   * the whole vector, 0.547–0.552 on the topic part).
   */
  kmeansColumns?: number;
  /** Keywords per topic (default 10). */
  topN?: number;
  /** The keywords' terms of `texts` (default options), already being found (topicTermsInBackground); else found here. */
  keywordTerms?: BackgroundTerms;
  seed: number;
}

export interface ClusterSummary {
  id: number;
  size: number;
  keywords: string[];
}

export interface ClusterResult {
  /** Cluster per record, −1 for outliers. */
  labels: Int32Array;
  clusters: ClusterSummary[];
  /** n×2 map coordinates (UMAP 2-d), row-major; absent when layout2d was false. */
  coords2d?: Float32Array;
  /** The cosine kNN graph (self excluded), for neighbour lists in the map; absent only for k-means without layout2d. */
  knn?: KnnResult;
  /** HDBSCAN labels before outlier reassignment (same as labels otherwise). */
  labelsBeforeReassign: Int32Array;
  /** Silhouette scores per k when k was 'auto'. */
  kScores?: { k: number; silhouette: number }[];
  algo: ClusterAlgorithm;
  seed: number;
  seconds: number;
}

/**
 * The clustering pipeline shared by the CLI, the engine worker and the map:
 * cosine kNN graph → (HDBSCAN: UMAP n-d → HDBSCAN → optional outlier reassignment) or
 * (k-means on the normalised embeddings, k given or chosen by silhouette) → c-TF-IDF
 * keywords → UMAP 2-d for the map. k-means runs on the embeddings themselves by default:
 * on AG News with the first built-in encoder (64-d LSA) k=4 gave NMI 0.51 there against 0.37 on a
 * 5-d UMAP layout, and it needs no UMAP.
 */
export async function clusterEmbeddings(x: Matrix, texts: readonly string[], options: ClusterOptions): Promise<ClusterResult> {
  const started = performance.now();
  const n = x.rows;
  if (texts.length !== n) throw new Error(`cluster: ${n} vectors but ${texts.length} texts`);
  if (n < 3) throw new Error(`cluster: need at least 3 records, got ${n}`);
  throwIfCancelled(options.signal);
  const { signal, onProgress, seed } = options;
  const xn: Matrix = { rows: n, cols: x.cols, data: normalizedCopy(x) };
  const nNeighbors = Math.min(options.nNeighbors ?? 15, n - 1);
  // The kNN graph feeds UMAP (HDBSCAN's layout, the map); plain k-means without a map skips it.
  const needKnn = options.algo === 'hdbscan' || options.kmeansSpace === 'umap' || options.layout2d !== false;
  const knn = needKnn ? await knnGraph(xn, nNeighbors, { signal, onProgress, seed }) : undefined;
  let labels: Int32Array;
  let before: Int32Array;
  let kScores: { k: number; silhouette: number }[] | undefined;
  const keywordOptions = { topN: options.topN ?? 10 };
  let docTerms: NumberedTerms | undefined;
  const kmeansOnUmap = options.kmeansSpace === 'umap';
  const umapDims = Math.min(options.umapDims ?? 5, n - 2);
  const needUmapNd = options.algo === 'hdbscan' || kmeansOnUmap;
  // Both UMAP layouts share one fuzzy graph and one spectral start (the 2-d start is the n-d start's
  // first two axes, the two leading eigenvectors).
  let shared: { graph: FuzzyGraph; init: Matrix } | undefined;
  const umapStart = (): { graph: FuzzyGraph; init: Matrix } => {
    if (!shared) {
      const graph = fuzzySimplicialSet(knn!);
      const cols = Math.max(needUmapNd ? umapDims : 2, 2);
      shared = { graph, init: { rows: n, cols, data: spectralInit(graph, cols, { seed }) } };
    }
    return shared;
  };
  const layout = needUmapNd ? await umapLayout(knn!, { nComponents: umapDims, seed, nEpochs: 200, minDist: 0, signal, onProgress, ...umapStart() }) : undefined;
  if (options.algo === 'hdbscan') {
    const minClusterSize = Math.max(2, options.minClusterSize ?? Math.max(10, Math.round(n / 100)));
    const minSamples = options.minSamples ?? Math.min(minClusterSize, 10);
    before = (await hdbscan(layout!, { minClusterSize, minSamples, signal, onProgress })).labels;
    labels = options.reassignOutliers
      ? reassignOutliers(xn, before, { minSimilarity: options.reassignMinSimilarity }).labels
      : before;
  } else {
    const space = layout ?? leadingColumns(xn, options.kmeansColumns);
    if (options.k === undefined || options.k === 'auto') {
      const auto = await kmeansAutoK(space, { seed, signal, onProgress });
      labels = auto.result.labels;
      kScores = auto.scores;
    } else {
      const running = kmeans(space, {
        k: options.k,
        seed,
        nInit: KMEANS_RESTARTS,
        screenSample: KMEANS_SCREEN_SAMPLE,
        screenKeep: KMEANS_SCREEN_KEEP,
        signal,
        onProgress,
      });
      // The keywords' terms do not depend on the clusters: unless a worker is finding them, this
      // thread finds and numbers them while the restarts run on worker threads.
      if (!options.keywordTerms) docTerms = topicTermIds(texts, keywordOptions);
      labels = (await running).labels;
    }
    before = labels;
  }
  await checkpoint(signal);
  docTerms ??= options.keywordTerms ? await options.keywordTerms.get() : topicTermIds(texts, keywordOptions);
  const topics = keywordsFromTerms(docTerms, labels, keywordOptions);
  let coords2d: Float32Array | undefined;
  if (options.layout2d !== false) {
    coords2d = (await umapLayout(knn!, { nComponents: 2, seed, minDist: 0.1, nEpochs: n > 10_000 ? 200 : 300, signal, onProgress, ...umapStart() })).data;
  }
  return {
    labels,
    clusters: topics.map((t) => ({ id: t.cluster, size: t.size, keywords: t.keywords })),
    coords2d,
    knn,
    labelsBeforeReassign: before,
    kScores,
    algo: options.algo,
    seed,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The first `cols` coordinates of every row, each row renormalised; x itself when cols is absent or all. */
export function leadingColumns(x: Matrix, cols: number | undefined): Matrix {
  if (cols === undefined || cols >= x.cols) return x;
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`cluster: kmeansColumns must be a positive integer, got ${cols}`);
  const data = new Float32Array(x.rows * cols);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0, o = i * x.cols; j < cols; j++) s += x.data[o + j] * x.data[o + j];
    const f = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0, o = i * x.cols; j < cols; j++) data[i * cols + j] = x.data[o + j] * f;
  }
  return { rows: x.rows, cols, data };
}
